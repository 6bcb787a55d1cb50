import { lstat, stat } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '@netcanvas/kernel';
import { CliError, EXIT_USAGE, systemErrorCode } from './errors';

/**
 * Writes what a command exports to `-o FILE`, atomically (a reader, or a crash, never sees half a
 * file). Refused, before anything is written, with what to do instead: a directory, a folder that
 * is not there, and anything that is not a plain file (a fifo or a device would be replaced by a
 * file, which is never what was meant).
 */
export async function writeOutputFile(file: string, content: string): Promise<void> {
  const folder = path.dirname(path.resolve(file));
  const folderKind = await kindOf(folder, stat);
  if (folderKind === null)
    throw new CliError(`cannot write ${file}: there is no folder ${folder}`, EXIT_USAGE);
  if (folderKind !== 'directory')
    throw new CliError(`cannot write ${file}: ${folder} is a ${folderKind}, not a folder`, EXIT_USAGE);
  const kind = await kindOf(file, lstat);
  if (kind === 'directory')
    throw new CliError(
      `cannot write ${file}: it is a directory; name a file in it, e.g. ${path.join(file, 'lab.json')}`,
      EXIT_USAGE,
    );
  if (kind !== null && kind !== 'file')
    throw new CliError(
      `cannot write ${file}: it is a ${kind}, not a file; netcanvas replaces only files`,
      EXIT_USAGE,
    );
  await writeFileAtomic(file, content, { mode: 0o644 });
}

type Kind = 'file' | 'directory' | 'symbolic link' | 'fifo' | 'socket' | 'device';

async function kindOf(file: string, how: typeof stat): Promise<Kind | null> {
  try {
    const s = await how(file);
    if (s.isFile()) return 'file';
    if (s.isDirectory()) return 'directory';
    if (s.isSymbolicLink()) return 'symbolic link';
    if (s.isFIFO()) return 'fifo';
    if (s.isSocket()) return 'socket';
    return 'device';
  } catch (error) {
    if (systemErrorCode(error) === 'ENOENT' || systemErrorCode(error) === 'ENOTDIR') return null;
    throw error;
  }
}
