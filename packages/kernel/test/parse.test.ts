import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ROOT, type ObservedInterface, type ObservedNamespace } from '@netcanvas/model';
import { resolvePeers, type RawNamespace } from '../src/observe';
import { parseFdb, parseLinks, parseNetnsList, splitJsonLines } from '../src/parse';

// Captured by fixtures/capture.sh on this machine (iproute2 6.1); see fixtures/README.md.
const fixture = (file: string) =>
  readFileSync(new URL(`./fixtures/bridge-lab/${file}`, import.meta.url), 'utf8');

const NAMES = [ROOT, 'ns0', 'ns1', 'ns2', 'ns3'];

/** What the observer does with one namespace's `ip -j -d -s -batch` output. */
function readRaw(name: string): RawNamespace {
  const [links, netns] = splitJsonLines(fixture(`${name}.batch.txt`));
  const ids = new Map<string, number>();
  for (const entry of parseNetnsList(netns)) if (entry.id !== null) ids.set(entry.name, entry.id);
  return { name, interfaces: parseLinks(links), ids, fdb: [] };
}

const peerIfindexFromEthtool = (context: string, dev: string): number => {
  const match = /^\s*peer_ifindex:\s*(\d+)\s*$/m.exec(fixture(`${context}.ethtool-S-${dev}.txt`));
  if (!match) throw new Error(`no peer_ifindex in ${context}.ethtool-S-${dev}.txt`);
  return Number(match[1]);
};

const observeFixture = (owned: ReadonlySet<string>, names = NAMES) =>
  resolvePeers(names.map(readRaw), owned, true);

const ns = (state: ObservedNamespace[], name: string): ObservedNamespace => {
  const found = state.find((n) => n.name === name);
  if (!found) throw new Error(`no namespace ${name}`);
  return found;
};

const dev = (state: ObservedNamespace[], context: string, ifname: string): ObservedInterface => {
  const found = ns(state, context).interfaces.find((i) => i.ifname === ifname);
  if (!found) throw new Error(`no ${ifname} in ${context}`);
  return found;
};

/** The fields the planner and the canvas rely on, without counters and flags. */
const summary = (i: ObservedInterface) => ({
  ifindex: i.ifindex,
  ifname: i.ifname,
  kind: i.kind,
  up: i.up,
  addresses: i.addresses,
  managed: i.managed,
  master: i.master,
  peer: i.peer,
  stp: i.stp,
  mtu: i.mtu,
});

const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;

describe('splitJsonLines', () => {
  it('splits an ip -batch run into one document per show command', () => {
    const docs = splitJsonLines(fixture('root.batch.txt'));
    expect(docs).toHaveLength(2);
    expect(Array.isArray(docs[0]) && Array.isArray(docs[1])).toBe(true);
  });

  it('skips lines that are not JSON and a command that printed nothing', () => {
    expect(splitJsonLines('\n[{"name":"ns0"}]\nCommand failed -:2\n\n')).toEqual([[{ name: 'ns0' }]]);
    expect(splitJsonLines('')).toEqual([]);
  });
});

describe('parseNetnsList', () => {
  it('reads the ids the lab root gives every namespace', () => {
    const [, netns] = splitJsonLines(fixture('root.batch.txt'));
    expect(parseNetnsList(netns)).toEqual([
      { name: 'ns3', id: 3 },
      { name: 'ns2', id: 2 },
      { name: 'ns1', id: 1 },
      { name: 'ns0', id: 0 },
    ]);
  });

  it('gives null to namespaces this namespace has not numbered', () => {
    const [, ns0] = splitJsonLines(fixture('ns0.batch.txt'));
    expect(parseNetnsList(ns0)).toEqual([
      { name: 'ns3', id: null },
      { name: 'ns2', id: null },
      { name: 'ns1', id: 0 },
      { name: 'ns0', id: null },
    ]);
  });
});

describe('parseLinks on the captured bridge lab', () => {
  const [rootLinks] = splitJsonLines(fixture('root.batch.txt'));
  const root = parseLinks(rootLinks);
  const byName = new Map(root.map((i) => [i.ifname, i]));

  it('reads the kind of every interface: loopback, bridge, veth', () => {
    expect(root.map((i) => [i.ifname, i.kind])).toEqual([
      ['lo', 'loopback'],
      ['br0', 'bridge'],
      ['vb1', 'veth'],
      ['vb2', 'veth'],
      ['hand0', 'veth'],
    ]);
  });

  it('keeps the peer of a veth as (nsid, ifindex) until namespaces are resolved', () => {
    expect(byName.get('vb1')?.peerRef).toEqual({ sameNamespace: false, nsid: 2, ifindex: 2 });
    expect(byName.get('hand0')?.peerRef).toEqual({ sameNamespace: false, nsid: 0, ifindex: 3 });
    expect(byName.get('br0')?.peerRef).toBeNull();
    expect(byName.get('lo')?.peerRef).toBeNull();
  });

  it("finds the peer of a veth whose two ends share a namespace by the peer's name (ip -j gives no link_index there)", () => {
    // `ip link add vethfoo type veth peer name vethbar`, as `ip -j -d addr show` prints it (iproute2 6.1).
    const same = parseLinks([
      { ifindex: 1, ifname: 'lo', flags: ['LOOPBACK'], mtu: 65536, link_type: 'loopback', addr_info: [] },
      {
        ifindex: 2,
        link: 'vethfoo',
        ifname: 'vethbar',
        flags: [],
        mtu: 1500,
        link_type: 'ether',
        linkinfo: { info_kind: 'veth' },
        addr_info: [],
      },
      {
        ifindex: 3,
        link: 'vethbar',
        ifname: 'vethfoo',
        flags: [],
        mtu: 1500,
        link_type: 'ether',
        linkinfo: { info_kind: 'veth' },
        addr_info: [],
      },
    ]);
    expect(same.map((i) => [i.ifname, i.peerRef])).toEqual([
      ['lo', null],
      ['vethbar', { sameNamespace: true, ifindex: 3 }],
      ['vethfoo', { sameNamespace: true, ifindex: 2 }],
    ]);
  });

  it('gives a MAC to ethernet links only, in lower case', () => {
    expect(byName.get('lo')?.mac).toBeNull();
    for (const name of ['br0', 'vb1', 'vb2', 'hand0']) expect(byName.get(name)?.mac).toMatch(MAC);
  });

  it('reads the counters of each interface', () => {
    // The pings crossed vb1 in both directions.
    const stats = byName.get('vb1')?.stats;
    expect(stats?.rxPackets).toBeGreaterThan(0);
    expect(stats?.txPackets).toBeGreaterThan(0);
    expect(byName.get('hand0')?.stats).toEqual({
      rxBytes: 0,
      rxPackets: 0,
      rxErrors: 0,
      rxDropped: 0,
      txBytes: 0,
      txPackets: 0,
      txErrors: 0,
      txDropped: 0,
    });
  });

  it('reads up from the UP flag, not from the operational state', () => {
    // hand0 is up, but its peer hand1 is down, so it has no carrier.
    expect(byName.get('hand0')).toMatchObject({ up: true, operstate: 'DOWN' });
    expect(byName.get('hand0')?.flags).toContain('NO-CARRIER');
    expect(byName.get('vb1')).toMatchObject({ up: true, operstate: 'UP' });
  });

  it('tells the group of an interface as text, and owned only for 28259', () => {
    expect(byName.get('br0')).toMatchObject({ group: '28259', managed: true });
    expect(byName.get('hand0')).toMatchObject({ group: 'default', managed: false });
  });
});

describe('resolvePeers on the captured bridge lab', () => {
  const state = observeFixture(new Set(['ns0', 'ns1', 'ns2', 'ns3']));

  it('lists the root first, then each namespace, as they were read', () => {
    expect(state.map((n) => n.name)).toEqual(['root', 'ns0', 'ns1', 'ns2', 'ns3']);
  });

  it("reports the sandbox root's interfaces: the bridge, its ports and the hand-made veth", () => {
    expect(ns(state, 'root').interfaces.map(summary)).toEqual([
      {
        ifindex: 1,
        ifname: 'lo',
        kind: 'loopback',
        up: true,
        addresses: ['127.0.0.1/8', '::1/128'],
        managed: false,
        master: null,
        peer: null,
        stp: null,
        mtu: 65536,
      },
      {
        ifindex: 2,
        ifname: 'br0',
        kind: 'bridge',
        up: true,
        addresses: [expect.stringMatching(/^fe80::[0-9a-f:]+\/64$/)],
        managed: true,
        master: null,
        peer: null,
        stp: false,
        mtu: 1500,
      },
      {
        ifindex: 3,
        ifname: 'vb1',
        kind: 'veth',
        up: true,
        addresses: [expect.stringMatching(/^fe80::[0-9a-f:]+\/64$/)],
        managed: true,
        master: 'br0',
        peer: { namespace: 'ns2', ifindex: 2, ifname: 'eth0' },
        stp: null,
        mtu: 1500,
      },
      {
        ifindex: 4,
        ifname: 'vb2',
        kind: 'veth',
        up: true,
        addresses: [expect.stringMatching(/^fe80::[0-9a-f:]+\/64$/)],
        managed: true,
        master: 'br0',
        peer: { namespace: 'ns3', ifindex: 2, ifname: 'eth0' },
        stp: null,
        mtu: 1500,
      },
      {
        ifindex: 5,
        ifname: 'hand0',
        kind: 'veth',
        up: true,
        addresses: [],
        managed: false,
        master: null,
        peer: { namespace: 'ns0', ifindex: 3, ifname: 'hand1' },
        stp: null,
        mtu: 1500,
      },
    ]);
  });

  it('reports ns0 with the tutorial veth end and the hand-made veth end', () => {
    expect(ns(state, 'ns0').interfaces.map(summary)).toEqual([
      {
        ifindex: 1,
        ifname: 'lo',
        kind: 'loopback',
        up: true,
        addresses: ['127.0.0.1/8', '::1/128'],
        managed: false,
        master: null,
        peer: null,
        stp: null,
        mtu: 65536,
      },
      {
        ifindex: 2,
        ifname: 'veth0',
        kind: 'veth',
        up: true,
        addresses: ['10.0.1.1/24', expect.stringMatching(/^fe80::[0-9a-f:]+\/64$/)],
        managed: true,
        master: null,
        peer: { namespace: 'ns1', ifindex: 2, ifname: 'veth1' },
        stp: null,
        mtu: 1500,
      },
      {
        ifindex: 3,
        ifname: 'hand1',
        kind: 'veth',
        up: false,
        addresses: [],
        managed: false,
        master: null,
        // ns0 has no name for the sandbox root: found because hand0 there points back at hand1.
        peer: { namespace: 'root', ifindex: 5, ifname: 'hand0' },
        stp: null,
        mtu: 1500,
      },
    ]);
  });

  it('reports the other end of the tutorial pair in ns1', () => {
    expect(summary(dev(state, 'ns1', 'veth1'))).toEqual({
      ifindex: 2,
      ifname: 'veth1',
      kind: 'veth',
      up: true,
      addresses: ['10.0.1.2/24', expect.stringMatching(/^fe80::[0-9a-f:]+\/64$/)],
      managed: true,
      master: null,
      peer: { namespace: 'ns0', ifindex: 2, ifname: 'veth0' },
      stp: null,
      mtu: 1500,
    });
  });

  it('resolves the bridge ports’ peers in namespaces that number no named namespace', () => {
    expect(summary(dev(state, 'ns2', 'eth0'))).toMatchObject({
      up: true,
      addresses: ['10.0.2.2/24', expect.stringMatching(/^fe80::/)],
      managed: true,
      master: null,
      peer: { namespace: 'root', ifindex: 3, ifname: 'vb1' },
    });
    expect(summary(dev(state, 'ns3', 'eth0'))).toMatchObject({
      up: true,
      addresses: ['10.0.2.3/24', expect.stringMatching(/^fe80::/)],
      managed: true,
      master: null,
      peer: { namespace: 'root', ifindex: 4, ifname: 'vb2' },
    });
  });

  it('brings lo up in every namespace the script set up', () => {
    for (const name of NAMES) expect(dev(state, name, 'lo').up).toBe(true);
  });

  it('gives every veth the peer ifindex that ethtool -S reports as peer_ifindex', () => {
    const veths = state.flatMap((n) =>
      n.interfaces.filter((i) => i.kind === 'veth').map((i) => [n.name, i] as const),
    );
    expect(veths.map(([context, i]) => `${context}/${i.ifname}`)).toEqual([
      'root/vb1',
      'root/vb2',
      'root/hand0',
      'ns0/veth0',
      'ns0/hand1',
      'ns1/veth1',
      'ns2/eth0',
      'ns3/eth0',
    ]);
    for (const [context, i] of veths) expect(i.peer?.ifindex).toBe(peerIfindexFromEthtool(context, i.ifname));
  });

  it("pairs the ends symmetrically: each veth's peer names it back", () => {
    for (const n of state)
      for (const i of n.interfaces.filter((x) => x.kind === 'veth')) {
        const peer = dev(state, i.peer?.namespace ?? '?', i.peer?.ifname ?? '?');
        expect(peer.peer).toEqual({ namespace: n.name, ifindex: i.ifindex, ifname: i.ifname });
      }
  });

  it('marks owned namespaces managed and the sandbox root as the lab’s', () => {
    const partly = observeFixture(new Set(['ns0', 'ns1']));
    expect(partly.map((n) => [n.name, n.managed])).toEqual([
      ['root', true],
      ['ns0', true],
      ['ns1', true],
      ['ns2', false],
      ['ns3', false],
    ]);
    expect(resolvePeers([readRaw('root')], new Set(), false)[0]?.managed).toBe(false);
  });

  it('hands back the interfaces it made from the same raw ones, unless a peer or effects differ', () => {
    const raws = NAMES.map(readRaw);
    const first = resolvePeers(raws, new Set(), true);
    const again = resolvePeers(raws, new Set(), true);
    // Same raw interfaces: the same observed ones (a diff skips them without comparing).
    expect(dev(again, 'root', 'vb1')).toBe(dev(first, 'root', 'vb1'));
    expect(dev(again, 'ns2', 'eth0')).toBe(dev(first, 'ns2', 'eth0'));
    // Effects read into a raw interface since: made again. Its peer renamed: made again.
    const vb1 = raws[0]!.interfaces.find((i) => i.ifname === 'vb1')!;
    vb1.effects = null;
    const renamed = raws.map((r) =>
      r.name === ROOT
        ? { ...r, interfaces: r.interfaces.map((i) => (i.ifname === 'vb1' ? { ...i, ifname: 'vb9' } : i)) }
        : r,
    );
    const third = resolvePeers(renamed, new Set(), true);
    expect(dev(resolvePeers(raws, new Set(), true), 'root', 'vb1')).not.toBe(dev(first, 'root', 'vb1'));
    expect(dev(third, 'ns2', 'eth0').peer).toEqual({ namespace: 'root', ifindex: 3, ifname: 'vb9' });
    expect(dev(third, 'ns2', 'eth0')).not.toBe(dev(first, 'ns2', 'eth0'));
    expect(dev(third, 'root', 'lo')).toBe(dev(first, 'root', 'lo'));
  });

  it('finds peers in the root without any ids from the namespace, by the root pointing back', () => {
    const raws = NAMES.map(readRaw).map((r) => (r.name === ROOT ? r : { ...r, ids: new Map() }));
    const state = resolvePeers(raws, new Set(), true);
    expect(dev(state, 'ns2', 'eth0').peer).toEqual({ namespace: 'root', ifindex: 3, ifname: 'vb1' });
    expect(dev(state, 'ns0', 'hand1').peer).toEqual({ namespace: 'root', ifindex: 5, ifname: 'hand0' });
    // Between two named namespaces the ids are the only dictionary.
    expect(dev(state, 'ns0', 'veth0').peer).toEqual({ namespace: null, ifindex: 2, ifname: null });
  });

  it('leaves a peer unnamed, with its ifindex, when its namespace was not read', () => {
    const withoutRoot = observeFixture(new Set(), ['ns0', 'ns2']);
    expect(dev(withoutRoot, 'ns2', 'eth0').peer).toEqual({ namespace: null, ifindex: 3, ifname: null });
    expect(dev(withoutRoot, 'ns0', 'hand1').peer).toEqual({ namespace: null, ifindex: 5, ifname: null });
    // ns1 is numbered by ns0 but was not read: its name is known, its interface is not.
    expect(dev(withoutRoot, 'ns0', 'veth0').peer).toEqual({ namespace: null, ifindex: 2, ifname: null });
  });
});

describe('parseFdb on the captured bridge', () => {
  const fdb = parseFdb(JSON.parse(fixture('root.fdb.json')));
  const state = observeFixture(new Set());
  const macOf = (context: string, ifname: string) => dev(state, context, ifname).mac;
  const byPort = [...fdb].sort(
    (x, y) => x.port.localeCompare(y.port) || Number(y.learned) - Number(x.learned),
  );

  it('keeps only the forwarding table: entries with a master bridge', () => {
    expect(fdb.every((e) => e.bridge === 'br0')).toBe(true);
    expect(fdb.map((e) => e.port).sort()).toEqual(['vb1', 'vb1', 'vb2', 'vb2']);
  });

  it('puts each learned MAC on the port that leads to it, and marks the ports’ own MACs permanent', () => {
    expect(byPort.map(({ port, mac, learned, vlan }) => ({ port, mac, learned, vlan }))).toEqual([
      { port: 'vb1', mac: macOf('ns2', 'eth0'), learned: true, vlan: null },
      { port: 'vb1', mac: macOf('root', 'vb1'), learned: false, vlan: null },
      { port: 'vb2', mac: macOf('ns3', 'eth0'), learned: true, vlan: null },
      { port: 'vb2', mac: macOf('root', 'vb2'), learned: false, vlan: null },
    ]);
  });

  it('takes the age of a learned entry from "updated"; the ports’ own entries have none', () => {
    const raw = (
      JSON.parse(fixture('root.fdb.json')) as {
        mac: string;
        master?: string;
        updated?: number;
        state: string;
      }[]
    )
      .filter((e) => e.master !== undefined)
      .map((e) => [e.mac, e.state === 'permanent' ? null : e.updated]);
    expect(fdb.map((e) => [e.mac, e.ageSeconds])).toEqual(raw);
    expect(fdb.filter((e) => e.learned).every((e) => typeof e.ageSeconds === 'number')).toBe(true);
    expect(fdb.filter((e) => !e.learned).map((e) => e.origin)).toEqual(['local', 'local']);
  });

  it('reads static and self entries as not learned, and lower-cases MACs', () => {
    expect(
      parseFdb([
        { mac: '02:AA:00:00:00:01', ifname: 'vb1', master: 'br0', state: 'static', flags: [] },
        { mac: '02:aa:00:00:00:02', ifname: 'vb1', master: 'br0', state: '', flags: ['self'] },
        { mac: '02:aa:00:00:00:03', ifname: 'vb1', master: 'br0', vlan: 10, state: '', flags: [] },
      ]).map(({ mac, learned, vlan }) => ({ mac, learned, vlan })),
    ).toEqual([
      { mac: '02:aa:00:00:00:01', learned: false, vlan: null },
      { mac: '02:aa:00:00:00:02', learned: false, vlan: null },
      { mac: '02:aa:00:00:00:03', learned: true, vlan: 10 },
    ]);
  });
});
