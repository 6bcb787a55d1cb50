import { ServerMessage } from '@netcanvas/model';
import type { ZodError } from 'zod';
import { compileExactCheck } from './exact-check';

/**
 * A message from the agent, read against the protocol's schema. Most messages the agent sends are
 * exactly what the schema makes of them (it built them from parsed values), so a closure-built
 * check (./exact-check.ts) accepts them as they are, without zod's jitless walk: at 2,000
 * namespaces the `welcome`'s validation drops from hundreds of milliseconds to tens
 * (docs/benchmarks.md). Anything the check does not accept as it is goes through the full schema,
 * which refuses it with its path and reason or returns what it made of it: the safety is the
 * schema's, only the cost of the common case changes.
 */
const isExact = compileExactCheck(ServerMessage);

export type ParsedMessage =
  | { ok: true; message: ServerMessage }
  | { ok: false; reason: 'not JSON' | 'not the protocol'; error: string; issues: ZodError['issues'] };

/** The first issue, its field named: `observed.namespaces[3].interfaces[0].mtu: expected number, …`. */
function describe(issues: ZodError['issues']): string {
  const [first] = issues;
  if (!first) return 'does not match the protocol';
  const field = first.path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join('');
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  return `${field || 'the message'}: ${first.message}${more}`;
}

export function parseServerMessage(text: string): ParsedMessage {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, reason: 'not JSON', error: (e as Error).message, issues: [] };
  }
  if (isExact(json)) return { ok: true, message: json as ServerMessage };
  const parsed = ServerMessage.safeParse(json);
  if (!parsed.success) {
    const { issues } = parsed.error;
    return { ok: false, reason: 'not the protocol', error: describe(issues), issues };
  }
  return { ok: true, message: parsed.data };
}
