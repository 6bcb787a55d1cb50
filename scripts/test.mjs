#!/usr/bin/env node
// `pnpm test` (what CI runs): the five stages in two lanes at once instead of one after another.
//
//   kernel lane: the web build (when stale), the kernel tests, the fault suite;
//   CPU lane:    the check, the unit tests, then the browser tests, once the kernel tests are over.
//
// In series each stage left a core idle part of the time (waiting on the kernel, on sleeps, on a
// single-threaded tool); side by side each fills the other's gaps (docs/testing.md, session 11).
// The browser tests wait for the kernel tests to end, the longest stage beside the fault suite
// only: the kernel tests rebuild the command line's bundle on purpose (cli-bundle.kernel.test),
// which every lab of an e2e test starts from. The web build comes first so that it is built once,
// not by the command line's kernel test and the e2e global setup at once (a clean clone has none).
//
// A stage that fails ends its lane (no browser tests after a failed check or unit run) and fails
// the run; the other lane goes on, so one run shows every failure. Each stage's output is printed
// whole when it ends, with its time, except the browser tests' (the longest), printed as it comes.
import { spawn } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const started = performance.now();
const since = () => ((performance.now() - started) / 1000).toFixed(0);

/** Runs one stage, stdout and stderr together; resolves with its exit code. */
function runStage({ name, argv, live = false }) {
  const from = performance.now();
  process.stdout.write(`── ${name}: started at ${since()} s\n`);
  return new Promise((resolve) => {
    const child = spawn(argv[0], argv.slice(1), { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const take = (chunk) => (live ? process.stdout.write(chunk) : (output += chunk));
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('error', (error) => take(`${error.message}\n`));
    child.on('close', (code, signal) => {
      const status = code ?? (signal ? 1 : 0);
      const verdict = status === 0 ? 'ok' : `FAILED (exit ${status})`;
      const seconds = ((performance.now() - from) / 1000).toFixed(1);
      process.stdout.write(
        `── ${name}: ${verdict} in ${seconds} s (at ${since()} s)\n${output.trimEnd()}${output ? '\n' : ''}`,
      );
      resolve(status);
    });
  });
}

/** Runs stages one after another up to the first that fails; resolves with its name, or none. */
async function runLane(stages) {
  for (const stage of stages) {
    await stage.after;
    if ((await runStage(stage)) !== 0) return [stage.name];
  }
  return [];
}

let kernelEnded;
const kernelOver = new Promise((resolve) => (kernelEnded = resolve));
const pnpm = (script) => ['pnpm', 'run', script];

const kernelLane = runLane([
  { name: 'web build', argv: ['node', 'scripts/build-web-if-stale.mjs'] },
  { name: 'kernel', argv: pnpm('test:kernel') },
]).then(async (failed) => {
  kernelEnded();
  return failed.length > 0 ? failed : runLane([{ name: 'faults', argv: pnpm('test:faults') }]);
});
const cpuLane = runLane([
  { name: 'check', argv: pnpm('check') },
  { name: 'unit', argv: pnpm('test:unit') },
  { name: 'e2e', argv: pnpm('test:e2e'), live: true, after: kernelOver },
]);

const failed = (await Promise.all([kernelLane, cpuLane])).flat();
process.stdout.write(
  failed.length === 0
    ? `── every stage passed in ${since()} s\n`
    : `── FAILED: ${failed.join(', ')} (${since()} s)\n`,
);
process.exitCode = failed.length === 0 ? 0 : 1;
