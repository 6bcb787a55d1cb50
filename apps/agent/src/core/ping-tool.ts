import type { Lab } from '@netcanvas/kernel';
import {
  ErrorCode,
  ROOT,
  parseIpAddress,
  type ClientMessage,
  type CommandRecord,
  type ServerMessage,
} from '@netcanvas/model';

type PingMessage = Extract<ClientMessage, { type: 'ping' }>;

/**
 * Ping from one of the lab's namespaces, with the output streamed back line by line. Validated
 * before anything runs: the namespace must exist in the lab, the address must be an IP address.
 */
export async function runPing(
  lab: Lab,
  message: PingMessage,
  knownNamespaces: readonly string[],
  send: (m: ServerMessage) => void,
  by: string,
  /** Calls back when the asker has gone: a ping nobody reads ends then, not 20 probes later. */
  onGone: (stop: () => void) => void = () => undefined,
): Promise<CommandRecord | null> {
  const address = parseIpAddress(message.address);
  const refuse = (path: string, text: string) => {
    send({
      type: 'rejected',
      requestId: message.requestId,
      code: ErrorCode.invalid,
      message: text,
      path,
      currentVersion: -1,
    });
    return null;
  };
  if (!address.ok) return refuse('address', address.error);
  if (message.namespace !== ROOT && !knownNamespaces.includes(message.namespace))
    return refuse('namespace', `the lab has no namespace "${message.namespace}"`);
  const started = performance.now();
  const ping = lab.ping(
    message.namespace,
    address.ip,
    { count: message.count, timeoutSeconds: message.timeoutSeconds },
    (line) => send({ type: 'pingLine', requestId: message.requestId, line }),
  );
  onGone(() => ping.stop());
  const exitCode = await ping.done;
  send({ type: 'pingDone', requestId: message.requestId, exitCode });
  return {
    at: new Date().toISOString(),
    by,
    context: message.namespace,
    argv: ping.shown,
    reason: 'ping tool',
    exitCode,
    stderr: '',
    durationMs: Math.round(performance.now() - started),
  };
}
