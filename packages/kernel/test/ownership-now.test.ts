import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readOwnedNamespacesNow, writeOwnedNamespaces } from '../src/ownership';

let dir = '';
let before: string | undefined;
beforeAll(() => {
  before = process.env.NETCANVAS_RUN_DIR;
  dir = mkdtempSync(path.join(tmpdir(), 'nc-owned-'));
  process.env.NETCANVAS_RUN_DIR = dir;
});
afterAll(() => {
  if (before === undefined) delete process.env.NETCANVAS_RUN_DIR;
  else process.env.NETCANVAS_RUN_DIR = before;
  rmSync(dir, { recursive: true, force: true });
});

describe('the ownership record, read at once for the live reads', () => {
  it('is empty without a record, and follows every write (each one a new file)', async () => {
    expect([...readOwnedNamespacesNow('owned-now')]).toEqual([]);
    await writeOwnedNamespaces('owned-now', ['ns1', 'ns0']);
    const first = readOwnedNamespacesNow('owned-now');
    expect([...first]).toEqual(['ns0', 'ns1']);
    // Unchanged: the same set, not parsed again.
    expect(readOwnedNamespacesNow('owned-now')).toBe(first);
    await writeOwnedNamespaces('owned-now', ['ns0']);
    expect([...readOwnedNamespacesNow('owned-now')]).toEqual(['ns0']);
    rmSync(path.join(dir, 'labs', 'owned-now', 'owned.json'));
    expect([...readOwnedNamespacesNow('owned-now')]).toEqual([]);
  });
});
