import { appendFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { CommandRecord } from '@netcanvas/model';
import { labStateDir } from './state-dir';

/**
 * Every command the agent runs, one JSON line each: argv, exit code, duration, and which client
 * asked (its id and role). Tokens and session secrets never reach it: records are built from
 * steps, not from requests.
 */
export class AuditLog {
  readonly file: string;
  private ready: Promise<unknown>;

  constructor(lab: string) {
    this.file = path.join(labStateDir(lab), 'audit.log');
    this.ready = mkdir(path.dirname(this.file), { recursive: true });
  }

  async append(records: readonly CommandRecord[], role: string): Promise<void> {
    if (records.length === 0) return;
    await this.ready;
    const lines = records.map((r) => JSON.stringify({ ...r, role })).join('\n') + '\n';
    // One appendFile per batch keeps lines whole; the writer is the only one appending.
    this.ready = appendFile(this.file, lines, { mode: 0o600 });
    await this.ready;
  }
}
