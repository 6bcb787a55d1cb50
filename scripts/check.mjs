#!/usr/bin/env node
// `pnpm run check`: the typecheck (every package's tsc), ESLint and the Prettier check, at the same
// time rather than one after the other. They read the same files and share nothing: in series the
// second core sat idle through ESLint and Prettier, each single-threaded (docs/testing.md).
// Each tool's output is printed whole once it ends, in the order started, with its time; the
// check fails if any of them fails.
import { spawn } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

const STEPS = [
  { name: 'typecheck', argv: ['pnpm', 'run', '--silent', 'typecheck'] },
  { name: 'lint', argv: ['pnpm', 'run', '--silent', 'lint'] },
  { name: 'format:check', argv: ['pnpm', 'run', '--silent', 'format:check'] },
];

/** Runs one step, its stdout and stderr kept together; resolves with its exit code, output and time. */
function runStep({ name, argv }) {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(argv[0], argv.slice(1), { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', (error) => (output += `${error.message}\n`));
    child.on('close', (code, signal) =>
      resolve({
        name,
        code: code ?? (signal ? 1 : 0),
        output,
        seconds: (performance.now() - started) / 1000,
      }),
    );
  });
}

const results = await Promise.all(STEPS.map(runStep));
for (const { name, code, output, seconds } of results) {
  const verdict = code === 0 ? 'ok' : `FAILED (exit ${code})`;
  process.stdout.write(
    `── ${name}: ${verdict} in ${seconds.toFixed(1)} s\n${output.trimEnd()}${output ? '\n' : ''}`,
  );
}
process.exitCode = results.some((r) => r.code !== 0) ? 1 : 0;
