#!/usr/bin/env node
// `pnpm test` (what CI runs): every stage one after another, each one's output printed whole when
// it ends, with its time, except the browser tests' (the longest), printed as it comes:
//
//   the check, the unit tests, the web build (when stale), the kernel tests, the fault suite,
//   the browser tests.
//
// The first that fails ends the run. The web build comes before the kernel tests so that it is
// built once, not by the command line's kernel test and the e2e global setup at once (a clean
// clone has none).
//
// Tried and undone (docs/testing.md, session 11): the kernel tests beside the check and the unit
// tests (niced). The kernel tests are not mostly waiting (~460 s of CPU for ~210 s alone), so
// side by side the three took 467 s on a quiet machine (ci-32), in series 382 and 474 s (ci-30,
// ci-33): no gain; and a kernel test's timing broke beside them once (ci-31). The fault suite and the browser tests
// must run alone in any case (a fault run beside the browser tests hit its time limit; the kernel
// tests rebuild the command line's bundle that every e2e lab starts from).
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
async function runStages(stages) {
  for (const stage of stages) if ((await runStage(stage)) !== 0) return [stage.name];
  return [];
}

const pnpm = (script) => ['pnpm', 'run', script];

const failed = await runStages([
  { name: 'check', argv: pnpm('check') },
  { name: 'unit', argv: pnpm('test:unit') },
  { name: 'web build', argv: ['node', 'scripts/build-web-if-stale.mjs'] },
  { name: 'kernel', argv: pnpm('test:kernel') },
  { name: 'faults', argv: pnpm('test:faults') },
  { name: 'e2e', argv: pnpm('test:e2e'), live: true },
]);
process.stdout.write(
  failed.length === 0
    ? `── every stage passed in ${since()} s\n`
    : `── FAILED: ${failed.join(', ')} (${since()} s)\n`,
);
process.exitCode = failed.length === 0 ? 0 : 1;
