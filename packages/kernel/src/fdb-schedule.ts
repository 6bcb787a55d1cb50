/**
 * The once-a-second sample reads a bridge's learned MACs (a spawn of `bridge fdb show`: they raise
 * no event) at most every this many times what its last read cost: every second for a small lab's
 * bridges (~10 ms), every few seconds for a root whose bridges have 1,000 ports (~150 ms, and
 * ~3,000 entries of which most are the ports' own). The ages shown are counted in seconds anyway.
 */
export const FDB_STRETCH = 20;
/**
 * …but never less often than this: one slow read on a loaded machine (300 ms) would otherwise leave
 * the ages shown unrefreshed for 6 s (the CI rehearsal's bridge.spec '@timed' test met it).
 */
export const FDB_MAX_GAP_MS = 3000;

/** How far past its longest gap a read may be put off for an edit (`overdue`). */
export const OVERDUE_SLACK_MS = 1000;

/**
 * When the sample reads something costly again, from what its last read cost: each namespace's
 * forwarding table (these bounds, the default), and the lab's root's `addr show` (other bounds:
 * observe.ts `rootAddrSchedule`).
 */
export class ReadSchedule {
  /** When each namespace's table was last read (ms, the caller's clock), and what that cost. */
  private readonly reads = new Map<string, { at: number; ms: number }>();

  constructor(
    private readonly stretch = FDB_STRETCH,
    private readonly maxGapMs = FDB_MAX_GAP_MS,
  ) {}

  /** Whether the sample reads this namespace's table at `now` (or keeps the last one). */
  due(name: string, now: number): boolean {
    const last = this.reads.get(name);
    return !last || now - last.at >= Math.min(this.stretch * last.ms, this.maxGapMs);
  }

  /**
   * Past its longest gap by a second: read now even when the sample was told to yield to an edit
   * (live-state.ts `yieldTo`), or a user editing without pause would never see it refreshed.
   */
  overdue(name: string, now: number): boolean {
    const last = this.reads.get(name);
    return !last || now - last.at >= this.maxGapMs + OVERDUE_SLACK_MS;
  }

  /** A read of this namespace's table started at `at` and cost `ms`. */
  noteRead(name: string, at: number, ms: number): void {
    this.reads.set(name, { at, ms });
  }
}
