/**
 * For tests and benches, never the apps (eslint.config.js refuses this path in apps/*\/src):
 * a process of the test's own (the command line under test, a check inside a lab through
 * `lab.execArgv`) and the step builders, to make steps by hand.
 */
export { run, type RunResult } from './process';
export * as commands from './commands';
/** The benchmarks' switches between a design and the one it replaced (firewall reads, the live sweep). */
export { benchToggles } from './bench-toggles';
/** Where a lab's records are (its ownership record, `owned.json`): a test that breaks one on purpose. */
export { labDir } from './paths';
