import { createWriteStream, type WriteStream } from 'node:fs';

/**
 * A timeline of where an edit's time goes: the writer's phases, the live state's reads and the
 * observer's parts, one JSON line per span in the file `NETCANVAS_TRACE` names. Off by default
 * (then each call is one check). Sessions 11 and 12 each built a throwaway probe to find an edit's
 * waits; this one stays (docs/benchmarks.md, "Edits, session 13"; `scripts/trace-summary.mjs`
 * reads the file).
 *
 * A line: `{"at": ms since the agent started, "span": "edit.plan", "ms": 12.3, ...detail}`.
 */
let out: WriteStream | null | undefined;

function stream(): WriteStream | null {
  if (out !== undefined) return out;
  const file = process.env['NETCANVAS_TRACE'];
  out = file ? createWriteStream(file, { flags: 'a' }) : null;
  // A trace is a diagnosis: a file it cannot write must not stop the agent.
  out?.on('error', () => (out = null));
  return out;
}

export function tracing(): boolean {
  return stream() !== null;
}

/** Writes one span that started at `started` (`performance.now()`) and ends now. */
export function traceSpan(span: string, started: number, detail?: Record<string, unknown>): void {
  const to = stream();
  if (!to) return;
  const now = performance.now();
  to.write(`${JSON.stringify({ at: round(started), span, ms: round(now - started), ...detail })}\n`);
}

/**
 * Times an awaited part as `span` (its detail from its result, if given). Untraced, it is the
 * part alone.
 */
export async function traced<T>(
  span: string,
  part: () => Promise<T>,
  detail?: (result: T) => Record<string, unknown>,
): Promise<T> {
  if (!tracing()) return part();
  const started = performance.now();
  const result = await part();
  traceSpan(span, started, detail?.(result));
  return result;
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
