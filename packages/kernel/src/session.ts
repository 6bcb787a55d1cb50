import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { JsonStream } from './json-stream';
import { diesWithParent } from './process';

/**
 * A long-lived `ip -j -d -s -batch -` inside one network namespace. Spawning a process costs
 * ~3 ms here (more than 20 `ip -batch` lines); a session answers a command in ~0.1 ms, so the
 * agent and a 200-namespace apply or observe pay the spawn once per namespace, not per command.
 *
 * Not -force: the first failing line ends the session with `Command failed -:N`, which is exactly
 * the stop-at-first-failure an apply needs. Every request ends with `rule show`, a small dump that
 * iproute2 flushes whole, so its arrival proves every earlier line is done (some show commands
 * leave their last bytes in stdio's buffer until the next command).
 *
 * This uses node:child_process rather than execa: a session is a pair of pipes held open for the
 * lab's life, and execa's per-process machinery doubled the spawn cost (measured: 6 vs 3 ms).
 */

const SENTINEL = 'rule show';

export class SessionClosedError extends Error {
  constructor(
    readonly stderr: string,
    readonly exitCode: number | null,
  ) {
    super(`ip session ended: ${stderr.trim() || `exit ${exitCode}`}`);
  }
}

export type SessionRunResult =
  | { ok: true; durationMs: number }
  | { ok: false; failedIndex: number; stderr: string; exitCode: number; durationMs: number };

export class IpSession {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly json = new JsonStream();
  private waiting: { resolve: (doc: unknown) => void; reject: (e: Error) => void }[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  private linesWritten = 0;
  private stderr = '';
  private exited: SessionClosedError | null = null;
  private readonly exitPromise: Promise<void>;

  constructor(readonly argv: readonly string[]) {
    const [file, ...args] = diesWithParent(argv);
    this.child = spawn(file as string, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout.setEncoding('utf8').on('data', (text: string) => {
      for (const doc of this.json.push(text)) this.waiting.shift()?.resolve(doc);
    });
    this.child.stderr.setEncoding('utf8').on('data', (text: string) => (this.stderr += text));
    this.child.stdin.on('error', () => {}); // EPIPE after the session ended; reported via 'close'
    this.exitPromise = new Promise((resolve) => {
      this.child.on('close', (code) => {
        this.exited = new SessionClosedError(this.stderr, code);
        for (const w of this.waiting.splice(0)) w.reject(this.exited);
        resolve();
      });
      this.child.on('error', (error) => {
        this.exited = new SessionClosedError(error.message, null);
        for (const w of this.waiting.splice(0)) w.reject(this.exited);
        resolve();
      });
    });
  }

  get alive(): boolean {
    return this.exited === null;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const result = this.queue.then(task, task);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private write(lines: readonly string[], expectDocs: number): Promise<unknown>[] {
    if (this.exited) throw this.exited;
    const docs = Array.from(
      { length: expectDocs },
      () => new Promise<unknown>((resolve, reject) => this.waiting.push({ resolve, reject })),
    );
    this.linesWritten += lines.length;
    this.child.stdin.write(lines.join('\n') + '\n');
    return docs;
  }

  /** Runs one show command (e.g. `addr show`) and returns its parsed JSON. */
  query(command: string): Promise<unknown> {
    return this.serial(async () => {
      const [answer, sentinel] = this.write([command, SENTINEL], 2);
      await sentinel;
      return answer;
    });
  }

  /** Runs mutating lines in order; stops at the first failure and says which line and why. */
  run(lines: readonly string[]): Promise<SessionRunResult> {
    return this.serial(async () => {
      const started = performance.now();
      const firstLine = this.linesWritten + 1;
      const stderrBefore = this.stderr.length;
      try {
        const [sentinel] = this.write([...lines, SENTINEL], 1);
        await sentinel;
        return { ok: true, durationMs: performance.now() - started };
      } catch (error) {
        await this.exitPromise;
        const stderr = error instanceof SessionClosedError ? this.stderr.slice(stderrBefore) : String(error);
        const match = /Command failed -:(\d+)/.exec(stderr);
        const failedIndex = match ? Number(match[1]) - firstLine : 0;
        return {
          ok: false,
          failedIndex: Math.max(0, Math.min(failedIndex, lines.length - 1)),
          stderr: stderr.replace(/Command failed -:\d+\s*/g, '').trim(),
          exitCode: this.exited?.exitCode ?? 1,
          durationMs: performance.now() - started,
        };
      }
    });
  }

  /** Ends the session (ip exits at end of input); kills it if it does not go within `timeoutMs`. */
  async close(timeoutMs = 1000): Promise<void> {
    if (!this.exited) this.child.stdin.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    await this.exitPromise;
    clearTimeout(timer);
  }
}
