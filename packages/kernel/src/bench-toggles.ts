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
};
