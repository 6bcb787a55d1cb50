import {
  CHECKPOINT_MESSAGES,
  CLASS_MESSAGES,
  ClientMessage,
  EDITOR_PRESENTER_MESSAGES,
  EDITOR_TERMINAL_MESSAGES,
  PROTOCOL_VERSION,
  VIEWER_TERMINAL_MESSAGES,
  badEditOf,
  type BadEdit,
  type Role,
} from '@netcanvas/model';
import type { RawData } from 'ws';
import type { z } from 'zod';

/** ws hands over a Buffer, a list of Buffers (fragments) or an ArrayBuffer depending on binaryType; one place turns it into text. */
export function rawDataToText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

/** `edits[0].a.ifname`, the same shape as the model's validation paths. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(message)' : out;
}

const MAX_ERROR_TEXT = 300;

function describeIssues(error: z.ZodError): string {
  // The message's own fields first: a wrong envelope is the problem to fix before its edits.
  const inEdits = (issue: z.core.$ZodIssue) => (issue.path[0] === 'edits' ? 1 : 0);
  const [first, ...rest] = [...error.issues].sort((a, b) => inEdits(a) - inEdits(b));
  if (first === undefined) return '(message): invalid';
  const text = `${formatPath(first.path)}: ${first.message}${rest.length > 0 ? ` (and ${rest.length} more)` : ''}`;
  return text.length > MAX_ERROR_TEXT ? `${text.slice(0, MAX_ERROR_TEXT)}…` : text;
}

/**
 * A message read whole; or a request that is sound but for an edit (answered `rejected` with the
 * edit's field, like any edit the writer cannot apply); or a message that cannot be read at all.
 */
export type Parsed =
  | { ok: true; message: ClientMessage }
  | { ok: false; badEdit: BadEdit }
  | { ok: false; badEdit?: undefined; error: string };

export function parseClientMessage(text: string): Parsed {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, error: '(message): not JSON' };
  }
  const result = ClientMessage.safeParse(value);
  if (result.success) return { ok: true, message: result.data };
  const badEdit = badEditOf(value, result.error);
  return badEdit ? { ok: false, badEdit } : { ok: false, error: describeIssues(result.error) };
}

export type HelloVerdict = 'ok' | 'bad-protocol-version' | 'bad-hello';

/**
 * The first message. The version is looked at before the strict schema, so a client from a later
 * protocol whose hello carries extra fields is told "wrong version", which is the real problem.
 */
export function checkHello(text: string): HelloVerdict {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'bad-hello';
  }
  if (typeof value !== 'object' || value === null || !('type' in value) || value.type !== 'hello')
    return 'bad-hello';
  if (
    'protocolVersion' in value &&
    typeof value.protocolVersion === 'number' &&
    value.protocolVersion !== PROTOCOL_VERSION
  )
    return 'bad-protocol-version';
  const parsed = ClientMessage.safeParse(value);
  return parsed.success && parsed.data.type === 'hello' ? 'ok' : 'bad-hello';
}

/**
 * What each role may send after hello. A viewer watches: it gets the state stream and may send
 * nothing (a ping runs a process in the lab, and a preview plans against the live kernel) but
 * attach to a terminal to watch it, and detach.
 */
const ALLOWED: Record<Role, ReadonlySet<ClientMessage['type']>> = {
  editor: new Set([
    'edit',
    'preview',
    'ping',
    'path',
    'captureStart',
    'captureStop',
    'flapLink',
    'lessonLoad',
    'lessonGoto',
    ...EDITOR_TERMINAL_MESSAGES,
    ...EDITOR_PRESENTER_MESSAGES,
    ...CLASS_MESSAGES,
    ...CHECKPOINT_MESSAGES,
  ]),
  viewer: new Set([...VIEWER_TERMINAL_MESSAGES]),
};

export const allowedFor = (role: Role, type: ClientMessage['type']): boolean => ALLOWED[role].has(type);
