import { readdir, readFile, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '@netcanvas/kernel';
import {
  CHECKPOINT_LIMITS,
  CheckpointHolds,
  CheckpointInfo,
  CheckpointObservedNote,
  ROOT,
  Topology,
  checkpointHolds,
  checkpointNameProblem,
  describeIssue,
  validateTopology,
  type ObservedState,
} from '@netcanvas/model';
import { labStateDir } from './state-dir';

/**
 * A lab's checkpoints (issue 13 §5): its document saved under a name, one file each in the lab's
 * state folder (`checkpoints/NAME.json`), written atomically as the document is. Bounded in count
 * and size; a damaged file is listed as nothing and refused by name, never trusted.
 */

// `holds` is worked out from the document when listed: files saved before it was listed lack it.
const Saved = CheckpointInfo.extend({ document: Topology, holds: CheckpointHolds.optional() });

/** A refusal a client is told as it is: the field, and why (nothing was saved or changed). */
export class CheckpointRefusal extends Error {
  constructor(
    message: string,
    readonly path: string = 'name',
  ) {
    super(message);
  }
}

export interface CheckpointSaveInput {
  name: string;
  document: Topology;
  version: number;
  by: string;
  observed: ObservedState;
}

const FILE_SUFFIX = '.json';

export class Checkpoints {
  readonly dir: string;

  constructor(
    lab: string,
    private readonly limits: { count: number; bytes: number } = CHECKPOINT_LIMITS,
  ) {
    this.dir = path.join(labStateDir(lab), 'checkpoints');
  }

  private file(name: string): string {
    const why = checkpointNameProblem(name);
    if (why !== null) throw new CheckpointRefusal(`name: ${why}`);
    return path.join(this.dir, `${name}${FILE_SUFFIX}`);
  }

  private async names(): Promise<string[]> {
    const entries = await readdir(this.dir).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [];
      throw error;
    });
    return entries
      .filter((f) => f.endsWith(FILE_SUFFIX))
      .map((f) => f.slice(0, -FILE_SUFFIX.length))
      .filter((n) => checkpointNameProblem(n) === null);
  }

  /** Saves (or replaces) a checkpoint; refused when the lab has its count already, or it is too big. */
  async save(input: CheckpointSaveInput): Promise<{ info: CheckpointInfo; replaced: boolean }> {
    const file = this.file(input.name);
    const existing = await this.names();
    const replaced = existing.includes(input.name);
    if (!replaced && existing.length >= this.limits.count)
      throw new CheckpointRefusal(
        `name: the lab keeps at most ${this.limits.count} checkpoints; save over one of them instead`,
      );
    const info: CheckpointInfo = {
      name: input.name,
      savedAt: new Date().toISOString(),
      version: input.version,
      by: input.by,
      namespaces: input.document.namespaces.length,
      bridges: input.document.bridges.length,
      links: input.document.links.length,
      observed: observedNote(input.observed),
      holds: checkpointHolds(input.document),
    };
    const text = JSON.stringify({ ...info, document: input.document }, null, 1) + '\n';
    if (Buffer.byteLength(text) > this.limits.bytes)
      throw new CheckpointRefusal(
        `document: ${Buffer.byteLength(text)} bytes, a checkpoint may hold at most ${this.limits.bytes}`,
        'document',
      );
    await writeFileAtomic(file, text);
    return { info, replaced };
  }

  /** Every readable checkpoint, oldest first. */
  async list(): Promise<CheckpointInfo[]> {
    const found: CheckpointInfo[] = [];
    for (const name of await this.names()) {
      const saved = await this.read(name).catch(() => null);
      // What it holds, from its document: files saved before the list carried it have none.
      if (saved) found.push(CheckpointInfo.parse({ ...saved, holds: checkpointHolds(saved.document) }));
    }
    return found.sort((a, b) => a.savedAt.localeCompare(b.savedAt) || a.name.localeCompare(b.name));
  }

  /** Forgets a checkpoint (a damaged one too: its file goes); refused when the lab has none of that name. */
  async delete(name: string): Promise<void> {
    await unlink(this.file(name)).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT')
        throw new CheckpointRefusal(`name: no checkpoint named "${name}" in this lab`);
      throw error;
    });
  }

  /** The checkpoint's document, checked as any document is; refused when missing or damaged. */
  async document(name: string): Promise<Topology> {
    const saved = await this.read(name);
    if (!saved) throw new CheckpointRefusal(`name: no checkpoint named "${name}" in this lab`);
    return saved.document;
  }

  private async read(name: string): Promise<z.infer<typeof Saved> | null> {
    const file = this.file(name);
    const size = await stat(file).then(
      (s) => s.size,
      () => null,
    );
    if (size === null) return null;
    if (size > this.limits.bytes)
      throw new CheckpointRefusal(`name: checkpoint "${name}" is too big to read`);
    const parsed = Saved.safeParse(JSON.parse(await readFile(file, 'utf8')));
    if (!parsed.success) throw new CheckpointRefusal(`name: checkpoint "${name}" is damaged`);
    const valid = validateTopology(parsed.data.document);
    if (!valid.ok)
      throw new CheckpointRefusal(
        `name: checkpoint "${name}" holds a document that is not valid (${valid.issues.map(describeIssue).join('; ')})`,
      );
    return { ...parsed.data, document: valid.value };
  }
}

/** What the kernel held, in a few numbers and the names of what was made by hand. */
export function observedNote(observed: ObservedState): CheckpointObservedNote {
  const unmanaged: string[] = [];
  let interfaces = 0;
  for (const ns of observed.namespaces) {
    interfaces += ns.interfaces.length;
    // A namespace made by hand is said once, not with each of its interfaces.
    if (!ns.managed && ns.name !== ROOT) {
      unmanaged.push(`namespace ${ns.name}`);
      continue;
    }
    for (const i of ns.interfaces)
      if (!i.managed && i.kind !== 'loopback') unmanaged.push(`${i.kind} ${i.ifname} in ${ns.name}`);
  }
  return CheckpointObservedNote.parse({
    takenAt: observed.takenAt,
    namespaces: observed.namespaces.length,
    interfaces,
    unmanaged: unmanaged.slice(0, 100),
  });
}
