import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseLinks, splitJsonLines } from '../src/parse';
import { readPartially } from '../src/observe-partial';
import type { RawNamespace } from '../src/observe';

// Captured by fixtures/capture.sh on this machine (iproute2 6.1); see fixtures/README.md.
const [rootLinks] = splitJsonLines(
  readFileSync(new URL('./fixtures/bridge-lab/root.batch.txt', import.meta.url), 'utf8'),
) as [unknown[]];

describe('a read in part of marked interfaces', () => {
  it('reads an interface named three ways (index, index and name, name) once', async () => {
    const raw: RawNamespace = { name: 'root', interfaces: parseLinks(rootLinks), ids: new Map(), fdb: [] };
    const port = raw.interfaces.find((i) => i.ifname !== 'lo') as { ifindex: number; ifname: string };
    const asked: string[][] = [];
    const one = rootLinks.find((l) => (l as { ifindex: number }).ifindex === port.ifindex);
    const ask = async (commands: readonly string[]) => {
      asked.push([...commands]);
      return [[one], []];
    };
    const { ifindex, ifname } = port;
    const marks = [{ ifindex }, { ifindex, ifname }, { ifname }, { ifindex }];
    const read = await readPartially(raw, { marks, counters: false }, ask);
    expect(read?.interfaces.map((i) => i.ifname)).toEqual(raw.interfaces.map((i) => i.ifname));
    expect(asked).toEqual([[`addr show dev ${ifname}`, `route show table all dev ${ifname}`]]);
  });

  it('reads it again after a mark that it was deleted (made again since)', async () => {
    const raw: RawNamespace = { name: 'root', interfaces: parseLinks(rootLinks), ids: new Map(), fdb: [] };
    const port = raw.interfaces.find((i) => i.ifname !== 'lo') as { ifindex: number; ifname: string };
    const one = rootLinks.find((l) => (l as { ifindex: number }).ifindex === port.ifindex);
    let asks = 0;
    const ask = async () => {
      asks++;
      return [[one], []];
    };
    const { ifname } = port;
    const marks = [{ ifname }, { ifname, deleted: true }, { ifname }];
    const read = await readPartially(raw, { marks, counters: false }, ask);
    expect(read?.interfaces.some((i) => i.ifname === ifname)).toBe(true);
    expect(asks).toBe(2);
  });
});
