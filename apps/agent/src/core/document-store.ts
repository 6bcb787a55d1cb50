import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '@netcanvas/kernel';
import { Topology, describeIssue, emptyTopology, issuesFromZod } from '@netcanvas/model';
import { labStateDir } from './state-dir';

/**
 * The lab's desired topology and its version, saved atomically (temp file, fsync, rename) after
 * every accepted edit, before the kernel is touched: an agent killed mid-apply comes back with the
 * document the user asked for and converges to it.
 */
const Saved = z.object({ version: z.number().int().min(0), document: Topology, savedAt: z.string() });

export interface Versioned {
  version: number;
  document: Topology;
}

export class DocumentStore {
  readonly file: string;

  constructor(lab: string) {
    this.file = path.join(labStateDir(lab), 'topology.json');
  }

  /** The saved document, or version 0 with an empty one. A damaged file is an error, never silently replaced. */
  async load(): Promise<Versioned> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT')
        return { version: 0, document: emptyTopology() };
      throw error;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new Error(
        `${this.file} is not valid JSON (${(error as Error).message}); move it away to start empty`,
      );
    }
    const parsed = Saved.safeParse(json);
    if (!parsed.success)
      throw new Error(
        `${this.file} is not a saved topology: ${issuesFromZod(parsed.error).map(describeIssue).join('; ')}`,
      );
    return { version: parsed.data.version, document: parsed.data.document };
  }

  async save(state: Versioned): Promise<void> {
    const saved = { ...state, savedAt: new Date().toISOString() };
    await writeFileAtomic(this.file, JSON.stringify(saved, null, 2) + '\n');
  }
}
