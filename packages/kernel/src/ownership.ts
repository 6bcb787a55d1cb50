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

export async function readOwnedNamespaces(lab: string): Promise<Set<string>> {
  try {
    return new Set(Record.parse(JSON.parse(await readFile(file(lab), 'utf8'))).namespaces);
  } catch {
    return new Set();
  }
}

export async function writeOwnedNamespaces(lab: string, names: Iterable<string>): Promise<void> {
  const record = { namespaces: [...new Set(names)].sort() };
  await writeFileAtomic(file(lab), JSON.stringify(record, null, 2) + '\n');
}
