import { appendFile, mkdir, open } from 'node:fs/promises';
import path from 'node:path';
import { CommandRecord, type Step } from '@netcanvas/model';
import { labStateDir } from './state-dir';

/**
 * Every command the agent runs, one JSON line each: argv, exit code, duration, and which client
 * asked (its id and role). Tokens and session secrets never reach it: records are built from
 * steps, not from requests.
 *
 * Two promises hold it true under faults:
 * - Commands are written *before* they run, marked `"pending": true` with the id of their apply;
 *   the outcome follows after. An agent killed mid-apply leaves the pending lines behind, so what
 *   it may have run is never missing.
 * - A failed write (disk full, I/O error) is retried, reported through `onProblem`, and kept in a
 *   bounded backlog that the next write flushes first. One failure never poisons later writes.
 */

/** Lines kept in memory while the disk refuses them; beyond that the oldest are dropped (and said). */
const MAX_BACKLOG_LINES = 10_000;
const RETRY_DELAYS_MS = [20, 100];
/** How much of the file's tail is read to rebuild the command log after a restart. */
const TAIL_BYTES = 512 * 1024;

export class AuditLog {
  readonly file: string;
  private chain: Promise<unknown> = Promise.resolve();
  private backlog: string[] = [];
  private dropped = 0;
  private applies = 0;

  constructor(
    lab: string,
    private readonly onProblem: (message: string) => void = () => undefined,
  ) {
    this.file = path.join(labStateDir(lab), 'audit.log');
  }

  /** Lines not yet on disk (after failed writes). */
  get unwritten(): number {
    return this.backlog.length;
  }

  /** The outcome of commands that ran. Resolves true when on disk (never rejects). */
  append(records: readonly CommandRecord[], role: string): Promise<boolean> {
    if (records.length === 0) return Promise.resolve(true);
    return this.write(records.map((r) => JSON.stringify({ ...r, role })));
  }

  /**
   * Writes the steps an apply is about to run, marked pending, and returns the apply's id (the
   * outcome lines that follow carry nothing else: a pending line without a later outcome for the
   * same argv and context was cut off by a crash).
   */
  async pending(steps: readonly Step[], by: string, role: string): Promise<string> {
    const id = `${process.pid}-${Date.now().toString(36)}-${++this.applies}`;
    if (steps.length === 0) return id;
    const at = new Date().toISOString();
    await this.write(
      steps.map((s) =>
        JSON.stringify({
          pending: true,
          apply: id,
          at,
          by,
          role,
          context: s.context,
          argv: s.argv,
          reason: s.reason,
        }),
      ),
    );
    return id;
  }

  /**
   * Something other than a command: a terminal session opened, attached or ended, a line typed in
   * it. One line each, with the time; `recent` skips them (they are not commands).
   */
  note(entry: Record<string, unknown>): Promise<boolean> {
    return this.write([JSON.stringify({ at: new Date().toISOString(), ...entry })]);
  }

  private write(lines: string[]): Promise<boolean> {
    this.backlog.push(...lines);
    if (this.backlog.length > MAX_BACKLOG_LINES) {
      this.dropped += this.backlog.length - MAX_BACKLOG_LINES;
      this.backlog.splice(0, this.backlog.length - MAX_BACKLOG_LINES);
    }
    const attempt = this.chain.then(() => this.flush());
    this.chain = attempt;
    return attempt;
  }

  /** Writes the whole backlog, retrying a little; on failure keeps it for the next write. */
  private async flush(): Promise<boolean> {
    if (this.backlog.length === 0) return true;
    const taking = this.backlog.length;
    const text =
      (this.dropped > 0 ? JSON.stringify({ lost: this.dropped, at: new Date().toISOString() }) + '\n' : '') +
      this.backlog.slice(0, taking).join('\n') +
      '\n';
    let lastError: unknown;
    for (let attempt = 0; attempt <= RETRY_DELAYS_MS.length; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, RETRY_DELAYS_MS[attempt - 1]));
      try {
        await mkdir(path.dirname(this.file), { recursive: true });
        // One append per flush keeps lines whole; the agent is the only writer.
        await appendFile(this.file, text, { mode: 0o600 });
        this.backlog.splice(0, taking);
        this.dropped = 0;
        return true;
      } catch (error) {
        lastError = error;
      }
    }
    this.onProblem(
      `could not write the audit log ${this.file} (${lastError instanceof Error ? lastError.message : String(lastError)}); ` +
        `${this.backlog.length} line(s) kept in memory, written with the next command`,
    );
    return false;
  }

  /** The last `limit` command records on disk (not pending lines), oldest first: the log after a restart. */
  async recent(limit: number): Promise<CommandRecord[]> {
    let text: string;
    try {
      const handle = await open(this.file, 'r');
      try {
        const { size } = await handle.stat();
        const start = Math.max(0, size - TAIL_BYTES);
        const buffer = Buffer.alloc(size - start);
        await handle.read(buffer, 0, buffer.length, start);
        text = buffer.toString('utf8');
        // A read from the middle starts inside a line: drop it.
        if (start > 0) text = text.slice(text.indexOf('\n') + 1);
      } finally {
        await handle.close();
      }
    } catch {
      return [];
    }
    const out: CommandRecord[] = [];
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch {
        continue; // a torn line from a crash
      }
      if (typeof json !== 'object' || json === null || 'pending' in json) continue;
      const parsed = CommandRecord.safeParse(json);
      if (parsed.success) out.push(parsed.data);
    }
    return out.slice(-limit);
  }
}
