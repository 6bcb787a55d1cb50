/**
 * Switches that only the benchmarks (and the tests that check a benchmark tells the two apart)
 * turn, to measure a design beside the one it replaced in the same run, on the same lab and load.
 * The apps never touch them: they are exported from `@netcanvas/kernel/testing` alone.
 */
export const benchToggles = {
  /** The agent's firewall reads: through its long-lived readers, or spawned per read (before them). */
  firewallReading: 'readers' as 'readers' | 'spawned',
  /** The live state's background read every tenth second: sliced, or one read of the whole lab (before issue 10). */
  liveSweep: 'sliced' as 'sliced' | 'whole',
  /**
   * A namespace an apply has just made: its few lines as `netns exec` lines in the root's session
   * (io.ts `runContext`), or in a session of its own that the apply spawns (tried 2026-12-02, not
   * kept: docs/benchmarks.md, "Edits, 2026-12-02 (session 9)").
   */
  newNamespaceLines: 'via-root' as 'via-root' | 'own-session',
  /**
   * The sample's counters of the lab's root: `scheduled` (from its holder's /proc/PID/net/dev, with
   * `addr show` when due: observe.ts `rootAddrSchedule`), always `proc`, or always `addr` (`addr
   * show` every second, before session 10): docs/benchmarks.md, "Edits, session 10".
   */
  rootCounters: 'scheduled' as 'scheduled' | 'proc' | 'addr',
  /**
   * While the writer plans, saves and applies an edit, reads that only events, the sample or the
   * sweep asked for wait (`held`, LiveState.holdReads), or start as they come (`free`, before
   * session 12): docs/benchmarks.md, "Edits, session 12".
   */
  readsDuringApply: 'held' as 'held' | 'free',
  /**
   * A read nobody waits for (the second's sample), once an edit waits behind it: leaves what can
   * wait (the root's `addr show`, learned MACs) to its next read (`yield`), or reads it all
   * (`finish`, before session 12): docs/benchmarks.md, "Edits, session 12".
   */
  sampleYields: 'yield' as 'yield' | 'finish',
  /**
   * The lab's root's lines of an apply: in a session of their own, kept between applies
   * (`own`, SessionPool.forApply), or in the session the root's reads use (`shared`, before session 13):
   * docs/benchmarks.md, "Edits, session 13".
   */
  rootApplySession: 'own' as 'own' | 'shared',
  /**
   * The second's sample, when an edit's (or an event's) marks are pending as it starts: those marks
   * read first, on their own (`apart`: the sample after them is one an edit does not wait for), or
   * in the sample's read (`joined`, before session 14: the next edit waited for the whole sample,
   * its learned MACs and counters too): docs/benchmarks.md, "Edits, session 14".
   */
  sampleMarks: 'apart' as 'apart' | 'joined',
  /**
   * The sample's learned-MAC command under way once someone waits for the read after it: left
   * (`leave`: not waited for, its answer taken by the next read; left-reads.ts), or waited for
   * (`wait`, before session 14): docs/benchmarks.md, "Edits, session 14".
   */
  learnedMacs: 'leave' as 'leave' | 'wait',
  /**
   * The sample finding a namespace's links came, went or were renamed since the last read: kept
   * as it was, the change left to the read its events ask for (`leave`), or read whole at once
   * (`whole`, before session 15): docs/benchmarks.md, "Edits, session 15".
   */
  sampleChangedLinks: 'leave' as 'leave' | 'whole',
  /**
   * The sweep's slice with the lab's root, while a user edits: its firewall and numbering only,
   * the dump left to a quiet moment (at least every five minutes: `when-quiet`), or the root whole
   * (`always`, before session 16): docs/benchmarks.md, "Edits, session 16".
   */
  sweepRoot: 'when-quiet' as 'when-quiet' | 'always',
  /**
   * A sweep's slice whose firewalls' turn comes while an edit waits for the read after it: their
   * `iptables-save` left, the namespaces marked for the sample's read (`leave`), or run (`finish`,
   * before session 21): docs/benchmarks.md, "Edits, session 21".
   */
  sliceFirewalls: 'leave' as 'leave' | 'finish',
};
