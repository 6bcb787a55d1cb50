import { PathRequest, type PathProtocol } from '@netcanvas/model';
import { send } from '../protocol/socket';
import { newRequestId } from '../store/requests';
import { pathActions } from './path-store';

/**
 * Asks the agent for a packet path. The model's check first, as the agent makes it: a wrong field
 * is said here, by name, and nothing is sent.
 */
export function startPath(input: {
  from: string;
  to: string;
  protocol: PathProtocol;
  port: string;
}): { ok: true } | { ok: false; field: string; message: string } {
  const port = input.protocol === 'icmp' || input.port.trim() === '' ? undefined : Number(input.port);
  const parsed = PathRequest.safeParse({
    from: input.from,
    to: input.to.trim(),
    protocol: input.protocol,
    port,
  });
  if (!parsed.success) {
    const [issue] = parsed.error.issues;
    return {
      ok: false,
      field: String(issue?.path[0] ?? 'to'),
      message: issue?.message ?? 'not a path request',
    };
  }
  const request = parsed.data;
  const requestId = newRequestId();
  pathActions.start({
    requestId,
    from: request.from,
    to: request.to,
    protocol: request.protocol,
    port: request.port ?? null,
    result: null,
    error: null,
    errorField: null,
  });
  const message = {
    type: 'path' as const,
    requestId,
    from: request.from,
    to: request.to,
    protocol: request.protocol,
    ...(request.port !== undefined ? { port: request.port } : {}),
  };
  if (!send(message)) {
    pathActions.fail(requestId, 'not connected to the agent', null);
    return { ok: false, field: 'to', message: 'not connected to the agent' };
  }
  return { ok: true };
}
