import { createWriteStream, type WriteStream } from 'node:fs';
import { PerformanceObserver, constants, type PerformanceEntry } from 'node:perf_hooks';

/**
 * A timeline of where an edit's time goes: the writer's phases, the live state's reads and the
 * observer's parts, one JSON line per span in the file `NETCANVAS_TRACE` names. Off by default
 * (then each call is one check). Sessions 11 and 12 each built a throwaway probe to find an edit's
 * waits; this one stays (docs/benchmarks.md, "Edits, session 13"; `scripts/trace-summary.mjs`
 * reads the file).
 *
 * A line: `{"at": ms since the agent started, "span": "edit.plan", "ms": 12.3, ...detail}`. The
 * agent's garbage collections are spans too (`gc.minor`, `gc.major`…: docs/benchmarks.md, "Edits,
 * session 17"), so a slow edit shows whether a pause of its one thread was in it.
 */
let out: WriteStream | null | undefined;

function stream(): WriteStream | null {
  if (out !== undefined) return out;
  const file = process.env['NETCANVAS_TRACE'];
  out = file ? createWriteStream(file, { flags: 'a' }) : null;
  // A trace is a diagnosis: a file it cannot write must not stop the agent.
  out?.on('error', () => (out = null));
  if (out) traceGarbageCollection();
  return out;
}

const GC_KINDS: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
};

/**
 * The agent's garbage collections as spans (`gc.major`, `gc.minor`…): a pause on its one thread
 * delays whatever edit runs then, and at 1,000 namespaces the heap holds hundreds of MB.
 */
function traceGarbageCollection(): void {
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      // A gc entry's detail says its kind (Node's typings leave `detail` off PerformanceEntry).
      const { kind } = (entry as PerformanceEntry & { detail?: { kind?: number } }).detail ?? {};
      const name = `gc.${(kind !== undefined && GC_KINDS[kind]) || 'other'}`;
      out?.write(
        `${JSON.stringify({ at: round(entry.startTime), span: name, ms: round(entry.duration) })}\n`,
      );
    }
  }).observe({ entryTypes: ['gc'] });
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
