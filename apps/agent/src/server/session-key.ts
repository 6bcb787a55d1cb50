import { randomBytes } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import { link, mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';

/** 256 random bits: everything a session or the viewer link proves is derived from it. */
export const SESSION_KEY_BYTES = 32;
/** The file's name in the lab's state folder. */
export const SESSION_KEY_FILE = 'session.key';

const KEY_TEXT = /^[0-9a-f]{64}\n?$/;
// Far more than a key; a bigger file is not ours and is not read whole.
const MAX_READ = 256;

export const newSessionKey = (): Buffer => randomBytes(SESSION_KEY_BYTES);

/**
 * The lab's session key, kept across restarts in `file` (64 hex digits, mode 0600, written
 * atomically: temp file, fsync, then link or rename). `renew` (`serve --new-links`) always makes
 * a new one, which ends every earlier session and changes the viewer link.
 *
 * A file that is not a plain file owned by us and unreadable to others, or does not hold a key,
 * is replaced with a warning: a key others may have read proves nothing. The log names the file,
 * never the key.
 */
export async function loadSessionKey(
  file: string,
  options: { renew?: boolean; log: (line: string) => void },
): Promise<Buffer> {
  const { log } = options;
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  if (options.renew) {
    const key = newSessionKey();
    await writeKey(file, key, 'replace');
    log(`session key renewed in ${file}: new viewer link, earlier sessions and links no longer work`);
    return key;
  }
  const found = await readKey(file);
  if (found.kind === 'key') return found.key;
  const key = newSessionKey();
  if (found.kind === 'missing') {
    const kept = await writeKey(file, key, 'create');
    // Another process made it between our read and our link: use theirs.
    if (kept !== key) return kept;
    log(`session key created in ${file}`);
    return key;
  }
  await writeKey(file, key, 'replace');
  log(
    `session key in ${file} was not used (${found.why}): replaced; earlier sessions and links no longer work`,
  );
  return key;
}

type Found = { kind: 'key'; key: Buffer } | { kind: 'missing' } | { kind: 'unusable'; why: string };

async function readKey(file: string): Promise<Found> {
  let handle;
  try {
    // O_NOFOLLOW: a symbolic link planted in the folder is not followed to someone else's file.
    handle = await open(file, fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { kind: 'missing' };
    if (code === 'ELOOP') return { kind: 'unusable', why: 'it is a symbolic link' };
    throw error;
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) return { kind: 'unusable', why: 'not a plain file' };
    if ((stat.mode & 0o077) !== 0)
      return { kind: 'unusable', why: `others could read it (mode ${(stat.mode & 0o777).toString(8)})` };
    const uid = process.getuid?.();
    if (uid !== undefined && stat.uid !== uid) return { kind: 'unusable', why: 'owned by another user' };
    const buffer = Buffer.alloc(MAX_READ);
    const { bytesRead } = await handle.read(buffer, 0, MAX_READ, 0);
    const text = buffer.subarray(0, bytesRead).toString('latin1');
    if (!KEY_TEXT.test(text)) return { kind: 'unusable', why: 'it does not hold a key' };
    return { kind: 'key', key: Buffer.from(text.slice(0, 64), 'hex') };
  } finally {
    await handle.close();
  }
}

/**
 * Writes the key to a temp file (0600, fsync), then puts it in place: `create` links it (fails if
 * the file appeared meanwhile, whose key is then returned), `replace` renames over whatever is
 * there (a symbolic link itself, never its target). The folder is synced so the name survives a
 * crash. Returns the key now in the file.
 */
async function writeKey(file: string, key: Buffer, how: 'create' | 'replace'): Promise<Buffer> {
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const handle = await open(
    temp,
    fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL | fsConstants.O_NOFOLLOW,
    0o600,
  );
  try {
    // The umask only removes bits, but say it outright.
    await handle.chmod(0o600);
    await handle.writeFile(`${key.toString('hex')}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  let result = key;
  try {
    if (how === 'replace') await rename(temp, file);
    else {
      try {
        await link(temp, file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const theirs = await readKey(file);
        if (theirs.kind === 'key') result = theirs.key;
        else await rename(temp, file);
      }
    }
  } finally {
    await rm(temp, { force: true });
  }
  await syncFolder(path.dirname(file));
  return result;
}

async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, fsConstants.O_RDONLY | fsConstants.O_DIRECTORY);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
