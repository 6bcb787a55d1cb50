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

type Toggled =
  | 'newNamespaceLines'
  | 'rootCounters'
  | 'readsDuringApply'
  | 'sampleYields'
  | 'rootApplySession'
  | 'sampleMarks'
  | 'learnedMacs'
  | 'sampleChangedLinks'
  | 'sweepRoot'
  | 'sliceFirewalls';

/**
 * (b)'s edits in turns between the ways of a bench switch (benchToggles), each edit timed under
 * the way it ran:
 * - `newNamespaceLines`: a new namespace's lines through the root's session (as the agent runs
 *   them) or in a session of its own (tried 2026-12-02, not kept). BENCH_NEW_LINES, default
 *   `via-root` alone; `via-root,own-session` compares.
 * - `rootCounters`: the sample's root counters as the agent takes them (`scheduled`) or by `addr
 *   show` every second (`addr`, before session 10). BENCH_ROOT_COUNTERS, default `scheduled`
 *   alone; `scheduled,addr` compares. The sample runs between edits too, so the way is set as the
 *   edit before ends: it holds for the pause and the edit.
 * - `readsDuringApply`: the other reads held while the writer plans, saves and applies (`held`, as
 *   the agent runs) or started as they come (`free`, before session 12). BENCH_READS_DURING_APPLY,
 *   default `held` alone; `held,free` compares.
 * - `sampleYields`: the second's sample, once an edit waits behind it, leaves the root's `addr
 *   show` and learned MACs to its next read (`yield`, as the agent runs) or reads them all
 *   (`finish`, before session 12). BENCH_SAMPLE_YIELDS, default `yield` alone; `yield,finish`
 *   compares.
 * - `rootApplySession`: the root's lines of an apply in a session of their own (`own`, as the
 *   agent runs), or in the session the root's reads use (`shared`, before session
 *   13). BENCH_ROOT_APPLY, default `own` alone (`own,shared` compares; two switches of two ways
 *   each would turn in step: compare one at a time).
 * - `sampleMarks`: the second's sample, when marks wait for their read as it starts, reads them
 *   apart first (`apart`, as the agent runs) or takes them into its own read (`joined`, before
 *   session 14). BENCH_SAMPLE_MARKS, default `apart` alone; `apart,joined` compares.
 * - `learnedMacs`: the sample's learned-MAC command under way once an edit waits behind it: left,
 *   its answer taken by the next read (`leave`, as the agent runs), or waited for (`wait`, before
 *   session 14). BENCH_LEARNED_MACS, default `leave` alone; `leave,wait` compares.
 * - `sampleChangedLinks`: the sample finding a namespace's links came or went since the last read
 *   (an edit beside it added a port): the namespace kept as it was, left to the read its events ask
 *   for (`leave`, as the agent runs), or read whole at once (`whole`, before session 15).
 *   BENCH_SAMPLE_CHANGED_LINKS, default `leave` alone; `leave,whole` compares.
 * - `sweepRoot`: the sweep's slice with the lab's root while a user edits: its firewall and
 *   numbering only, the dump left to a quiet moment or five minutes (`when-quiet`, as the agent runs),
 *   or the root whole (`always`, before session 16). BENCH_SWEEP_ROOT, default `when-quiet`
 *   alone (until session 20 both: the headline mixed the old way in); `when-quiet,always`
 *   compares (one two-way switch at a time). A sweep's root slice comes once a round (tens of seconds at 1,000): the
 *   ways' figures differ only in the few edits that meet one.
 * - `sliceFirewalls`: a sweep's slice whose firewalls' turn comes while an edit runs or waits:
 *   their `iptables-save` left to the sample's read (`leave`, as the agent runs since session 21)
 *   or run (`finish`, before). BENCH_SLICE_FIREWALLS, default `leave` alone; `leave,finish`
 *   compares.
 */
/**
 * How many edits in a row each way takes (BENCH_TURN_EDITS, default 1). A switch whose way outlives
 * the edit (a background read started under one way lasts up to ~300 ms at 1,000) is also worth
 * comparing in runs of edits: then few edits meet a read the other way started.
 */
const TURN_EDITS = Math.max(1, Number(process.env.BENCH_TURN_EDITS ?? 1));

export class Turns<K extends Toggled> {
  private readonly ways: (typeof benchToggles)[K][];
  private times = new Map<(typeof benchToggles)[K], number[]>();
  private count = 0;

  constructor(
    private readonly key: K,
    ways: string,
    private readonly usual: (typeof benchToggles)[K],
  ) {
    this.ways = ways.split(',') as (typeof benchToggles)[K][];
    benchToggles[key] = this.ways[0] ?? usual;
  }

  /** The way of the next edit (set already); `took` files its time under it and hands the time back. */
  next(): { took: (ms: number) => number } {
    const way = benchToggles[this.key];
    this.count++;
    return {
      took: (ms) => {
        this.times.set(way, [...(this.times.get(way) ?? []), ms]);
        benchToggles[this.key] =
          this.ways[Math.floor(this.count / TURN_EDITS) % this.ways.length] ?? this.usual;
        return ms;
      },
    };
  }

  reset(): void {
    this.times = new Map();
    this.count = 0;
    benchToggles[this.key] = this.ways[0] ?? this.usual;
  }

  /** Leaves the switch as the agent has it. */
  done(): void {
    benchToggles[this.key] = this.usual;
  }

  describe(): string {
    return [...this.times]
      .map(
        ([way, xs]) =>
          `${String(way)}: median ${ms(quantile(xs, 0.5))}, p95 ${ms(quantile(xs, 0.95))} over ${xs.length}`,
      )
      .join('; ');
  }
}
