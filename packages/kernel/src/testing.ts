/**
 * For tests and benches, never the apps (eslint.config.js refuses this path in apps/*\/src):
 * a process of the test's own (the command line under test, a check inside a lab through
 * `lab.execArgv`) and the step builders, to make steps by hand.
 */
export { run, type RunResult } from './process';
export * as commands from './commands';
/** The live state's background read, sliced or (for the benchmark's comparison) whole. */
export { liveScheduling } from './live/live-state';
/** The agent's firewall reads, through its readers or (for the benchmark's comparison) spawned. */
export { firewallReading } from './io';
