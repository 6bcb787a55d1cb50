import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';

export interface AtomicOptions {
  /** The file's mode (0600 by default: the agent's own state is root's alone). */
  mode?: number;
  /**
   * `false`: no fsync. Still whole or old after the process dies (the rename), not after a power
   * loss: for records of what the kernel holds, which a reboot empties anyway.
   */
  durable?: boolean;
}

/** A file's next content being written aside (temp + fsync), not yet in place. */
export interface StagedFile {
  /** Puts it in place once written (a rename: readers see the old content or the new). */
  commit(): Promise<void>;
  /** Drops it (the file keeps its content). */
  abandon(): Promise<void>;
}

/**
 * Starts writing a file's next content aside (temp + fsync) and returns at once, so the caller
 * can do other work while the disk syncs (the writer plans an edit meanwhile: docs/benchmarks.md,
 * "Edits, session 13"). Private (0600) unless `mode` says otherwise: the agent's own state is
 * root's alone.
 */
export function stageFileAtomic(file: string, content: string, options: AtomicOptions = {}): StagedFile {
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const write = async () => {
    await mkdir(path.dirname(file), { recursive: true });
    const handle = await open(temp, 'w', options.mode ?? 0o600);
    try {
      await handle.writeFile(content);
      if (options.durable !== false) await handle.sync();
    } finally {
      await handle.close();
    }
  };
  // Settled at once into a value: a write that fails before anyone asks is no unhandled rejection.
  const written = write().then(
    () => null,
    (error: unknown) => ({ error }),
  );
  return {
    async commit() {
      const failed = await written;
      try {
        if (failed) throw failed.error;
        await rename(temp, file);
      } catch (error) {
        await rm(temp, { force: true });
        throw error;
      }
    },
    async abandon() {
      await written;
      await rm(temp, { force: true });
    },
  };
}

/** Writes a file so that readers see the old content or the new, never half of it (temp + fsync + rename). */
export async function writeFileAtomic(
  file: string,
  content: string,
  options: AtomicOptions = {},
): Promise<void> {
  await stageFileAtomic(file, content, options).commit();
}
