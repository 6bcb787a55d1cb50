import type { ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { execa } from 'execa';

/**
 * The one place in netcanvas that spawns processes (lint keeps execa and child_process out of
 * the rest: eslint.config.js). Everything else builds argv arrays and hands them here; nothing
 * goes through a shell.
 */

export interface RunResult {
  argv: string[];
  exitCode: number;
  stdout: string;
  stderr: string;
  durationMs: number;
}

export interface RunOptions {
  input?: string;
  /** Milliseconds; the process is killed after this. */
  timeoutMs?: number;
}

/** Runs argv to completion; never throws for a non-zero exit (the caller decides). */
export async function run(argv: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const [file, ...args] = argv;
  if (file === undefined) throw new Error('run: empty argv');
  const started = performance.now();
  const result = await execa(file, args, {
    reject: false,
    stripFinalNewline: false,
    ...(options.input !== undefined ? { input: options.input } : { stdin: 'ignore' }),
    ...(options.timeoutMs !== undefined ? { timeout: options.timeoutMs } : {}),
  });
  return {
    argv: [...argv],
    exitCode: result.exitCode ?? (result.failed ? 1 : 0),
    stdout: String(result.stdout ?? ''),
    stderr:
      String(result.stderr ?? '') +
      (result.exitCode === undefined && result.failed ? result.shortMessage : ''),
    durationMs: performance.now() - started,
  };
}

export interface InteractiveOptions {
  /** Variables added to (or overriding) this process's environment for the command. */
  env?: Record<string, string>;
}

/** Runs argv with the terminal attached (exec, shell); resolves to its exit code. */
export async function runInteractive(
  argv: readonly string[],
  options: InteractiveOptions = {},
): Promise<number> {
  const [file, ...args] = argv;
  if (file === undefined) throw new Error('runInteractive: empty argv');
  const result = await execa(file, args, {
    reject: false,
    stdio: 'inherit',
    ...(options.env !== undefined ? { env: options.env } : {}),
  });
  if (result.exitCode !== undefined) return result.exitCode;
  // Killed by a signal: report it the way a shell does.
  return result.signal ? 128 + (signalNumbers[result.signal] ?? 1) : 1;
}

const signalNumbers: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGTERM: 15 };

/** Runs `fn` over `items` with at most `limit` running at once, keeping result order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * Starts a long-lived process that outlives this one (a sandbox holder). Resolves with its pid once
 * it prints `readyLine` on stdout; rejects with its stderr if it exits first.
 */
export async function spawnDetached(
  argv: readonly string[],
  readyLine: string,
  timeoutMs = 5000,
): Promise<number> {
  const [file, ...args] = argv;
  if (file === undefined) throw new Error('spawnDetached: empty argv');
  const child = execa(file, args, {
    detached: true,
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
    buffer: false,
  });
  // It will be killed (by `destroy`) long after we stop caring about its result.
  child.catch(() => {});
  return await new Promise<number>((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(
      () => finish(new Error(`timed out after ${timeoutMs} ms: ${err.trim()}`)),
      timeoutMs,
    );
    const finish = (error: Error | null) => {
      clearTimeout(timer);
      child.stdout.removeAllListeners('data');
      child.stderr.removeAllListeners('data');
      child.stdout.destroy();
      child.stderr.destroy();
      if (error) {
        child.kill('SIGKILL');
        reject(error);
      } else {
        child.unref();
        resolve(child.pid as number);
      }
    };
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.split('\n').includes(readyLine)) finish(null);
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.once('exit', (code) => finish(new Error(`exited with code ${code}: ${err.trim()}`)));
  });
}

/** A process whose output is streamed line by line; stop() ends it early. */
export interface StreamingRun {
  /** The exit code once it ends; 1 if it was killed. */
  readonly done: Promise<number>;
  /** Sends it `signal` (SIGINT by default: ping then prints its summary and exits). */
  stop(signal?: NodeJS.Signals): void;
}

/** Starts argv, handing each output line (stdout and stderr, as they come) to `onLine`. */
export function startStreaming(
  argv: readonly string[],
  onLine: (line: string) => void,
  options: { timeoutMs?: number } = {},
): StreamingRun {
  const [file, ...args] = argv;
  if (file === undefined) throw new Error('startStreaming: empty argv');
  const child = execa(file, args, {
    reject: false,
    stdin: 'ignore',
    all: true,
    buffer: false,
    ...(options.timeoutMs !== undefined ? { timeout: options.timeoutMs } : {}),
  });
  const done = (async () => {
    for await (const line of child.iterable({ from: 'all' })) onLine(String(line));
    // Killed (its time limit, or a signal it does not handle): 1, as ping's own failure.
    return (await child).exitCode ?? 1;
  })();
  return { done, stop: (signal = 'SIGINT') => void child.kill(signal) };
}

/**
 * Ends a long-lived child (a monitor, a helper) and waits until it has closed. One killed by a
 * signal already, or exited, is not waited for: its 'close' came, and would never come again.
 */
export async function stopChild(child: ChildProcess | null): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const closed = new Promise((resolve) => child.once('close', resolve));
  child.kill('SIGTERM');
  await closed;
}

/**
 * argv that dies with this process: `setpriv --pdeathsig SIGKILL` makes the kernel kill it when its
 * parent dies, even by SIGKILL. For the lab's helpers (sessions, the monitor): an agent killed in
 * the middle of an apply must not leave an `ip -batch` running on, racing the next agent.
 */
export const diesWithParent = (argv: readonly string[]): string[] => [
  'setpriv',
  '--pdeathsig',
  'SIGKILL',
  '--',
  ...argv,
];

/** A process on a pseudo-terminal (node-pty's, the part of it netcanvas uses). */
export interface PtyProcess {
  readonly pid: number;
  write(data: string): void;
  resize(cols: number, rows: number): void;
  onData(listener: (data: string) => void): unknown;
  onExit(listener: (exit: { exitCode: number; signal?: number }) => void): unknown;
  kill(signal?: string): void;
  /** Stops reading its output (flow control), and starts again. */
  pause(): void;
  resume(): void;
}

/**
 * Starts argv on a new pty (the browser terminal, terminal.ts). node-pty is a native addon,
 * loaded on first use only: the command line's other commands never pay for it.
 */
export async function spawnPty(
  argv: readonly string[],
  size: { cols: number; rows: number },
): Promise<PtyProcess> {
  const [file, ...args] = argv;
  if (file === undefined) throw new Error('spawnPty: empty argv');
  // require, not import(): the bundled command line runs from a code cache, where a dynamic
  // import has no loader; resolved from this source's folder (packages/kernel/node_modules).
  const pty = createRequire(import.meta.url)('node-pty') as typeof import('node-pty');
  // The environment is the command's own (terminal.ts runs it through `env -i`): none of ours.
  return pty.spawn(file, args, { name: 'xterm-256color', cols: size.cols, rows: size.rows, env: {} });
}
