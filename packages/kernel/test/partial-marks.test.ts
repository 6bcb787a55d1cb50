import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseLinks, splitJsonLines } from '../src/parse';
import type { ObservedStats } from '@netcanvas/model';
import { LINKS_CHANGED, readPartially } from '../src/observe-partial';
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

describe('a read in part of routes and forwarding (route and netconf lines)', () => {
  const routeOf = (to: string, dev: string | null) => ({
    to,
    via: null,
    dev,
    protocol: 'kernel',
    metric: null,
    managed: false,
  });
  const raw = (): RawNamespace => ({
    name: 'root',
    interfaces: parseLinks(rootLinks),
    ids: new Map(),
    fdb: [],
    routes: [routeOf('10.0.0.0/24', 'br0'), routeOf('10.9.0.0/24', 'p1')],
    forwarding: false,
  });

  it('reads the routes through a device alone, not its addresses; a device gone has its routes dropped', async () => {
    const asked: string[][] = [];
    const ask = async (commands: readonly string[]) => {
      asked.push([...commands]);
      if (commands[0]?.endsWith('dev gone0')) return null;
      // As `route show table all dev p1` prints them: without the device.
      return [
        [
          { dst: '10.9.0.0/24', protocol: 'kernel', flags: [] },
          { dst: '10.77.0.0/16', gateway: '10.9.0.2', flags: [] },
        ],
      ];
    };
    const marks = [
      { ifname: 'p1', routesOnly: true },
      { ifname: 'gone0', routesOnly: true },
    ];
    const before = raw();
    before.routes?.push({
      destination: '10.5.0.0/16',
      dev: 'gone0',
      table: 'main',
      type: 'unicast',
    } as never);
    const read = await readPartially(before, { marks, counters: false }, ask);
    expect(asked).toEqual([['route show table all dev p1'], ['route show table all dev gone0']]);
    expect(read?.interfaces).toEqual(before.interfaces);
    expect(read?.routes?.map((r) => `${r.to} ${r.dev}`)).toEqual([
      '10.0.0.0/24 br0',
      '10.9.0.0/24 p1',
      '10.77.0.0/16 p1',
    ]);
  });

  it('reads every route and the forwarding of "all" when asked, and nothing else', async () => {
    const asked: string[][] = [];
    const ask = async (commands: readonly string[]) => {
      asked.push([...commands]);
      return [
        [
          { type: 'blackhole', dst: '10.88.0.0/16', flags: [] },
          { type: 'local', dst: '10.0.0.1', dev: 'br0', table: 'local', flags: [] },
        ],
        [{ family: 'inet', interface: 'all', forwarding: true }],
      ];
    };
    const read = await readPartially(
      raw(),
      { marks: [], counters: false, routes: true, forwarding: true },
      ask,
    );
    expect(asked).toEqual([['route show table all', 'netconf show']]);
    expect(read?.forwarding).toBe(true);
    expect(read?.routes?.map((r) => `${r.to} ${r.dev}`)).toEqual(['10.88.0.0/16 null']);
  });
});

const ZERO_STATS: ObservedStats = {
  ...{ rxBytes: 0, rxPackets: 0, rxErrors: 0, rxDropped: 0 },
  ...{ txBytes: 0, txPackets: 0, txErrors: 0, txDropped: 0 },
};

describe("the sample's counters, when links came or went since the last read", () => {
  const known = (): RawNamespace => ({
    name: 'root',
    interfaces: parseLinks(rootLinks),
    ids: new Map(),
    fdb: [],
  });
  // `addr show` as it is after a port was added by an edit beside the read: one link more.
  const added = { ...(rootLinks[1] as object), ifindex: 9999, ifname: 'p-new' };
  const addrShow = async () => [[...rootLinks, added]];

  it('are left to the read the events ask for (the namespace kept as it was), not read whole', async () => {
    expect(await readPartially(known(), { marks: [], counters: true }, addrShow, undefined, true)).toBe(
      LINKS_CHANGED,
    );
    // Before session 15 (and for a read someone waits for): null, the namespace read whole.
    expect(await readPartially(known(), { marks: [], counters: true }, addrShow)).toBeNull();
  });

  it('from /proc, with a link more, do not go on to `addr show` when left', async () => {
    const raw = known();
    const stats = new Map([...raw.interfaces, { ifname: 'p-new' }].map((i) => [i.ifname, ZERO_STATS]));
    let asked = 0;
    const ask = async () => {
      asked++;
      return addrShow();
    };
    const read = await readPartially(raw, { marks: [], counters: true }, ask, async () => stats, true);
    expect(read).toBe(LINKS_CHANGED);
    expect(asked).toBe(0);
  });

  it('from /proc that could not be read are not taken for links that changed: `addr show` reads them', async () => {
    let asked = 0;
    const ask = async () => {
      asked++;
      return [rootLinks];
    };
    const read = await readPartially(known(), { marks: [], counters: true }, ask, async () => null, true);
    expect(asked).toBe(1);
    expect(read).not.toBe(LINKS_CHANGED);
    expect(read).not.toBeNull();
  });
});
