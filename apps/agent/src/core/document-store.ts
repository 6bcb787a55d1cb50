import { readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { stageFileAtomic, type StagedFile } from '@netcanvas/kernel';
import { Topology, describeIssue, issuesFromZod } from '@netcanvas/model';
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

/** What `load` found: a saved document, none at all, or a file that is not one. */
export type Loaded =
  { status: 'saved'; state: Versioned } | { status: 'missing' } | { status: 'unreadable'; reason: string };

export class DocumentStore {
  readonly file: string;

  constructor(lab: string) {
    this.file = path.join(labStateDir(lab), 'topology.json');
  }

  /**
   * The saved document. A missing or damaged file is said as such, never silently replaced by an
   * empty document: the agent decides (it recovers the document from the kernel's owned objects).
   */
  async load(): Promise<Loaded> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { status: 'missing' };
      throw error; // EACCES, EIO: not something to decide about here
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      return { status: 'unreadable', reason: `not valid JSON (${(error as Error).message})` };
    }
    const parsed = Saved.safeParse(json);
    if (!parsed.success)
      return {
        status: 'unreadable',
        reason: `not a saved topology: ${issuesFromZod(parsed.error).map(describeIssue).join('; ')}`,
      };
    return { status: 'saved', state: { version: parsed.data.version, document: parsed.data.document } };
  }

  /** Moves a damaged document aside (`topology.json.corrupt-TIME`), so it is kept, not overwritten. */
  async quarantine(at = new Date()): Promise<string> {
    const aside = `${this.file}.corrupt-${at.toISOString().replace(/[:.]/g, '-')}`;
    await rename(this.file, aside);
    return aside;
  }

  /** Saves atomically; throws (and the old file stays whole) when the disk refuses. */
  async save(state: Versioned): Promise<void> {
    await this.stage(state).commit();
  }

  /** Starts saving (written and synced aside); `commit` puts it in place, `abandon` drops it. */
  stage(state: Versioned): StagedFile {
    const saved = { ...state, savedAt: new Date().toISOString() };
    return stageFileAtomic(this.file, JSON.stringify(saved, null, 2) + '\n');
  }
}
