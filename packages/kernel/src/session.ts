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
const MAX_STDERR = 64 * 1024;

export class SessionClosedError extends Error {
  constructor(
    readonly stderr: string,
    readonly exitCode: number | null,
    readonly signal: NodeJS.Signals | null = null,
  ) {
    super(`ip session ended: ${stderr.trim() || (signal ? `killed by ${signal}` : `exit ${exitCode}`)}`);
  }
}

export type SessionRunResult =
  | { ok: true; durationMs: number }
  | {
      ok: false;
      failedIndex: number;
      stderr: string;
      exitCode: number;
      durationMs: number;
      /**
       * None of these lines ran: the session had ended, or an earlier caller's line ended it (a
       * read's `addr show dev X` of a link just deleted, queued before them). The stderr is that
       * line's, not theirs: run them again in a new session (io.ts `runContext`).
       */
      notStarted?: true;
    };

/**
 * A session ends for reasons outside netcanvas (its namespace deleted between listing and spawn,
 * so nsenter fails; the process killed): every promise it makes is handled here, so an ending
 * session is an error its caller sees, never an unhandled rejection that kills the agent.
 */
export class IpSession {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly json = new JsonStream();
  private waiting: { resolve: (doc: unknown) => void; reject: (e: Error) => void }[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  private linesWritten = 0;
  private stderr = '';
  private exited: SessionClosedError | null = null;
  /** No new work: closing now, or once the queued work is done (retired). */
  private closing = false;
  private retiring = false;
  private readonly exitPromise: Promise<void>;
  /**
   * Namespaces this session has an fd to. iproute2 keeps the fd of `netns NAME` open after
   * `netns add`, `netns set NAME auto` and `link add ... netns NAME` (measured: one per line, never
   * closed), so a long-lived session keeps a deleted namespace, and its veths, alive.
   */
  readonly namespacesHeld = new Set<string>();

  constructor(readonly argv: readonly string[]) {
    const [file, ...args] = diesWithParent(argv);
    this.child = spawn(file as string, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout.setEncoding('utf8').on('data', (text: string) => this.answer(text));
    this.child.stderr.setEncoding('utf8').on('data', (text: string) => (this.stderr += text));
    this.child.stdin.on('error', () => {}); // EPIPE after the session ended; reported via 'close'
    this.exitPromise = new Promise((resolve) => {
      this.child.on('close', (code, signal) =>
        resolve(this.end(new SessionClosedError(this.stderr, code, signal))),
      );
      // Spawn failed (no 'close' may follow).
      this.child.on('error', (error) => resolve(this.end(new SessionClosedError(error.message, null))));
    });
  }

  get alive(): boolean {
    return this.exited === null && !this.closing && !this.retiring;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  private answer(text: string): void {
    let docs: unknown[];
    try {
      docs = this.json.push(text);
    } catch {
      // Output that is not JSON: answers can no longer be paired with questions.
      this.stderr += 'unreadable output from ip\n';
      this.child.kill('SIGKILL');
      return;
    }
    for (const doc of docs) this.waiting.shift()?.resolve(doc);
  }

  private end(error: SessionClosedError): void {
    this.exited ??= error;
    for (const w of this.waiting.splice(0)) w.reject(this.exited);
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const result = this.queue.then(task, task);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private write(lines: readonly string[], expectDocs: number): Promise<unknown>[] {
    if (this.exited) throw this.exited;
    if (this.closing) throw new SessionClosedError('closed by netcanvas', null);
    const docs = Array.from({ length: expectDocs }, () => {
      const doc = new Promise<unknown>((resolve, reject) => this.waiting.push({ resolve, reject }));
      // Handled here: when the session ends, the caller awaits only the first that fails.
      doc.catch(() => undefined);
      return doc;
    });
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
      // A -force session (a firewall reader) lives on past failing lines: keep what they said
      // bounded. Between two runs nothing reads the older part.
      if (this.stderr.length > MAX_STDERR) this.stderr = this.stderr.slice(-MAX_STDERR / 2);
      const stderrBefore = this.stderr.length;
      const endedBefore = this.exited !== null || this.closing;
      for (const line of lines) for (const name of namespacesNamed(line)) this.namespacesHeld.add(name);
      try {
        const [sentinel] = this.write([...lines, SENTINEL], 1);
        await sentinel;
        return { ok: true, durationMs: performance.now() - started };
      } catch (error) {
        await this.exitPromise;
        // What ip said about these lines, or else why the session was already gone.
        const said = this.stderr.slice(stderrBefore).trim();
        const stderr = said || (error instanceof Error ? error.message : String(error));
        const match = /Command failed -:(\d+)/.exec(stderr);
        const failedIndex = match ? Number(match[1]) - firstLine : 0;
        return {
          ok: false,
          failedIndex: Math.max(0, Math.min(failedIndex, lines.length - 1)),
          stderr: stderr.replace(/Command failed -:\d+\s*/g, '').trim(),
          exitCode: this.exited?.exitCode ?? 1,
          durationMs: performance.now() - started,
          ...(endedBefore || failedIndex < 0 ? { notStarted: true as const } : {}),
        };
      }
    });
  }

  /** Ends the session (ip exits at end of input); kills it if it does not go within `timeoutMs`. */
  async close(timeoutMs = 1000): Promise<void> {
    this.closing = true;
    if (!this.exited) this.child.stdin.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    await this.exitPromise;
    clearTimeout(timer);
  }

  /** Closes the session once the work already queued on it is done (a new one takes new work). */
  retire(): Promise<void> {
    this.retiring = true;
    return this.serial(() => this.close());
  }
}

/** The namespaces a batch line opens by name (`netns add X`, `netns set X auto`, `... netns X ...`). */
export function namespacesNamed(line: string): string[] {
  const words = line.split(' ');
  const names: string[] = [];
  words.forEach((word, i) => {
    if (word !== 'netns') return;
    const next = words[i + 1];
    const name = next === 'add' || next === 'set' ? words[i + 2] : next;
    if (name && !['exec', 'del', 'list', 'add', 'set'].includes(name)) names.push(name);
  });
  return names;
}
