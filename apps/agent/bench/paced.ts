import { benchToggles } from '@netcanvas/kernel/testing';

/**
 * Measurements spread over time, so that they meet the live state's background reads (every
 * tenth second, the whole lab), and alternating in windows between the sweep as it is (`sliced`)
 * and the old single whole-lab read (`whole`): both in the same run, on the same lab and load.
 */
export type Scheduling = (typeof benchToggles)['liveSweep'];

export interface Paced {
  sliced: number[];
  whole: number[];
}

/** Not a multiple of the live state's 10 s sweep, or every sweep would start in the same mode. */
const WINDOW_MS = Number(process.env.BENCH_WINDOW_MS ?? 15_000);
/** A pause of 100–600 ms between two measurements: they land anywhere in the sample cycle. */
const pause = () => new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 500));

/**
 * Runs `measure` `count` times, each timed alone; windows of WINDOW_MS alternate the schedule
 * (`compare` off: the sweep as it is, throughout). Leaves the live state sliced.
 */
export async function paced(
  count: number,
  compare: boolean,
  measure: (i: number) => Promise<number>,
): Promise<Paced> {
  const out: Paced = { sliced: [], whole: [] };
  const started = performance.now();
  try {
    for (let i = 0; i < count; i++) {
      const window = Math.floor((performance.now() - started) / WINDOW_MS);
      const mode: Scheduling = compare && window % 2 === 1 ? 'whole' : 'sliced';
      benchToggles.liveSweep = mode;
      out[mode].push(await measure(i));
      await pause();
    }
  } finally {
    benchToggles.liveSweep = 'sliced';
  }
  return out;
}

export const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] as number;
};

const ms = (x: number) => `${x.toFixed(1)} ms`;

/** "median M, p95 P over N" for each schedule measured. */
export function describePaced(result: Paced): string {
  return (['sliced', 'whole'] as const)
    .filter((mode) => result[mode].length > 0)
    .map((mode) => {
      const xs = result[mode];
      const label = mode === 'sliced' ? 'now' : 'old whole read';
      return `${label}: median ${ms(quantile(xs, 0.5))}, p95 ${ms(quantile(xs, 0.95))} over ${xs.length}`;
    })
    .join('; ');
}

type LinesWay = (typeof benchToggles)['newNamespaceLines'];

/**
 * (b)'s edits in turns: the new namespace's lines as `netns exec` lines in the root's session (as
 * the agent runs them), then in a session of its own that the apply spawns (tried 2026-12-02),
 * each edit timed under the way it ran (BENCH_NEW_LINES=via-root or =own-session: one way only).
 */
export class NewNamespaceLines {
  private readonly ways = (process.env.BENCH_NEW_LINES ?? 'via-root,own-session').split(',') as LinesWay[];
  private times = new Map<LinesWay, number[]>();
  private count = 0;

  /** Sets the way for the next edit; `took` files its time under it and hands the time back. */
  next(): { took: (ms: number) => number } {
    const way = this.ways[this.count++ % this.ways.length] ?? 'via-root';
    benchToggles.newNamespaceLines = way;
    return {
      took: (ms) => {
        this.times.set(way, [...(this.times.get(way) ?? []), ms]);
        benchToggles.newNamespaceLines = 'via-root';
        return ms;
      },
    };
  }

  reset(): void {
    this.times = new Map();
    this.count = 0;
  }

  describe(): string {
    return [...this.times]
      .map(
        ([way, xs]) =>
          `${way}: median ${ms(quantile(xs, 0.5))}, p95 ${ms(quantile(xs, 0.95))} over ${xs.length}`,
      )
      .join('; ');
  }
}
