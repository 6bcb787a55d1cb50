#!/usr/bin/env node
// `pnpm test` (what CI runs): the kernel tests beside the check and the unit tests, then the fault
// suite, then the browser tests, instead of all five stages one after another.
//
//   kernel lane: the web build (when stale), then the kernel tests;
//   CPU lane:    the check, then the unit tests, at a lower priority (nice 10);
//   then, alone as before: the fault suite, then the browser tests.
//
// In series the kernel tests left part of two cores idle (waiting on the kernel, on sleeps) and the
// check left one idle through its single-threaded tools; side by side the CPU lane fills the
// kernel lane's gaps, at a lower priority so that the kernel tests keep their time (the CPU lane
// only has to end). Measured in docs/testing.md, session 11, with what must not overlap: the fault
// suite beside other work (its runs share a time limit, and a loaded machine made one run take
// 393 s, another break the invariant that the agent answers in time), and the browser tests beside
// the kernel tests, which rebuild the command line's bundle that every e2e lab starts from. The web
// build comes first so that it is built once, not by the command line's kernel test and the e2e
// global setup at once (a clean clone has none).
//
// A stage that fails ends its lane and fails the run; the other lane goes on, so one run shows
// both lanes' failures; the fault suite and the browser tests run when both lanes passed. Each
// stage's output is printed whole when it ends, with its time, except the browser tests' (the
// longest), printed as it comes.
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
  for (const stage of stages) if ((await runStage(stage)) !== 0) return [stage.name];
  return [];
}

const pnpm = (script) => ['pnpm', 'run', script];
const lower = (argv) => ['nice', '-n', '10', ...argv];

const lanes = await Promise.all([
  runLane([
    { name: 'web build', argv: ['node', 'scripts/build-web-if-stale.mjs'] },
    { name: 'kernel', argv: pnpm('test:kernel') },
  ]),
  runLane([
    { name: 'check', argv: lower(pnpm('check')) },
    { name: 'unit', argv: lower(pnpm('test:unit')) },
  ]),
]);
const failedLanes = lanes.flat();
const alone =
  failedLanes.length === 0
    ? await runLane([
        { name: 'faults', argv: pnpm('test:faults') },
        { name: 'e2e', argv: pnpm('test:e2e'), live: true },
      ])
    : [];

const failed = [...failedLanes, ...alone];
process.stdout.write(
  failed.length === 0
    ? `── every stage passed in ${since()} s\n`
    : `── FAILED: ${failed.join(', ')} (${since()} s)\n`,
);
process.exitCode = failed.length === 0 ? 0 : 1;
