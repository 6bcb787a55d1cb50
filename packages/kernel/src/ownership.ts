import { readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from './atomic-file';
import { labDir } from './paths';

/**
 * The namespaces a lab made. Interfaces carry their own mark (a link group), but a network
 * namespace has no attribute to put one on, so the lab keeps this list instead. A name is written
 * here *before* `ip netns add` runs, so a crash mid-apply can never leave a namespace the lab
 * made but does not know it owns.
 */
const Record = z.object({ namespaces: z.array(z.string()) });

const file = (lab: string) => path.join(labDir(lab), 'owned.json');
const parseRecord = (text: string) => new Set(Record.parse(JSON.parse(text)).namespaces);

export async function readOwnedNamespaces(lab: string): Promise<Set<string>> {
  try {
    return parseRecord(await readFile(file(lab), 'utf8'));
  } catch {
    return new Set();
  }
}

/** The record as last read, by the file it was read from (each write is a new file: rename). */
const lastRead = new Map<string, { identity: string; names: ReadonlySet<string> }>();

/**
 * The record for a live read, read at once. Every read of the live state asks (~1,000 a minute at
 * 1,000 namespaces); the asynchronous read waited in libuv's four threads behind the state
 * folder's fsyncs, 37 ms at p95 and up to 214 ms, inside reads an edit waited for
 * (docs/benchmarks.md, "Edits, session 13"). A `stat` and a read of a small file just written
 * (in the page cache) take microseconds; the file is parsed again only when it was replaced.
 */
export function readOwnedNamespacesNow(lab: string): ReadonlySet<string> {
  const at = file(lab);
  try {
    const stat = statSync(at);
    const identity = `${stat.ino}:${stat.mtimeMs}:${stat.size}`;
    const known = lastRead.get(lab);
    if (known?.identity === identity) return known.names;
    const names = parseRecord(readFileSync(at, 'utf8'));
    lastRead.set(lab, { identity, names });
    return names;
  } catch {
    lastRead.delete(lab);
    return new Set();
  }
}

export async function writeOwnedNamespaces(lab: string, names: Iterable<string>): Promise<void> {
  const record = { namespaces: [...new Set(names)].sort() };
  // Atomic, not durable: it must survive the agent dying mid-apply (the rename does that), not a
  // power loss, after which the namespaces it names are gone too. One fsync less per edit, beside
  // the document's (docs/benchmarks.md, "Edits, session 13").
  await writeFileAtomic(file(lab), JSON.stringify(record, null, 2) + '\n', { durable: false });
}
