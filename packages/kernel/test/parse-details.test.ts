import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ROOT, type ObservedInterface, type ObservedNamespace } from '@netcanvas/model';
import { resolvePeers, type RawNamespace } from '../src/observe';
import { normaliseBridgeId, parseFdb, parseLinks, parseNetnsList, splitJsonLines } from '../src/parse';

// details-lab, captured by fixtures/capture.sh (iproute2 6.1): what the tutorial shows beyond the
// basic lab: link-netnsid, same-namespace pairs (one end renamed), STP, a port's cost and priority.
const fixture = (file: string) =>
  readFileSync(new URL(`./fixtures/details-lab/${file}`, import.meta.url), 'utf8');

function readRaw(name: string): RawNamespace {
  const [links, netns] = splitJsonLines(fixture(`${name}.batch.txt`));
  const ids = new Map<string, number>();
  for (const entry of parseNetnsList(netns)) if (entry.id !== null) ids.set(entry.name, entry.id);
  return { name, interfaces: parseLinks(links), ids, fdb: [] };
}

const state = resolvePeers([ROOT, 'ns0', 'ns1'].map(readRaw), new Set(), true);

function dev(context: string, ifname: string): ObservedInterface {
  const ns: ObservedNamespace | undefined = state.find((n) => n.name === context);
  const found = ns?.interfaces.find((i) => i.ifname === ifname);
  if (!found) throw new Error(`no ${ifname} in ${context}`);
  return found;
}

const ethtoolPeer = (file: string) => Number(/peer_ifindex:\s*(\d+)/.exec(fixture(file))?.[1]);

describe('a veth end’s link-netnsid (the tutorial’s `veth1@if5 ... link-netnsid 0`)', () => {
  it('is the id the end’s own namespace gives its peer’s namespace', () => {
    const [, ns1Ids] = splitJsonLines(fixture('ns1.batch.txt'));
    const idOfNs0 = parseNetnsList(ns1Ids).find((e) => e.name === 'ns0')?.id;
    expect(idOfNs0).not.toBeNull();
    expect(dev('ns1', 'veth1').linkNetnsid).toBe(idOfNs0);
    expect(dev('ns1', 'veth1').peer).toEqual({
      namespace: 'ns0',
      ifname: 'veth0',
      ifindex: dev('ns0', 'veth0').ifindex,
    });
  });

  it('gives the peer ifindex ethtool -S reports as peer_ifindex', () => {
    expect(dev('ns1', 'veth1').peer?.ifindex).toBe(ethtoolPeer('ns1.ethtool-S-veth1.txt'));
  });

  it('is null for a peer in the same namespace, and for what is not a veth', () => {
    expect(dev('root', 'vethbar').linkNetnsid).toBeNull();
    expect(dev('ns0', 'vethx').linkNetnsid).toBeNull();
    expect(dev('root', 'br1').linkNetnsid).toBeNull();
    expect(dev('root', 'lo').linkNetnsid).toBeNull();
  });
});

describe('a veth whose two ends share a namespace', () => {
  it('pairs them in the root, one end renamed after it was made (`vethfoo` → `vethbaz`)', () => {
    const bar = dev('root', 'vethbar');
    const baz = dev('root', 'vethbaz');
    expect(bar.peer).toEqual({ namespace: 'root', ifname: 'vethbaz', ifindex: baz.ifindex });
    expect(baz.peer).toEqual({ namespace: 'root', ifname: 'vethbar', ifindex: bar.ifindex });
    expect(bar.peer?.ifindex).toBe(ethtoolPeer('root.ethtool-S-vethbar.txt'));
  });

  it('pairs them in a named namespace', () => {
    expect(dev('ns0', 'vethx').peer).toEqual({
      namespace: 'ns0',
      ifname: 'vethy',
      ifindex: dev('ns0', 'vethy').ifindex,
    });
    expect(dev('ns0', 'vethy').peer?.ifname).toBe('vethx');
  });
});

describe('a bridge with STP on, and its ports', () => {
  it('reads its id, root, STP state and timers in seconds', () => {
    const br1 = dev('root', 'br1');
    const mac = br1.mac ?? '';
    expect(br1.stp).toBe(true);
    expect(br1.bridgeInfo).toEqual({
      bridgeId: `1000.${mac}`,
      rootId: `1000.${mac}`,
      rootPort: 0,
      rootPathCost: 0,
      priority: 4096,
      stpState: 1,
      forwardDelay: 2,
      helloTime: 1,
      maxAge: 20,
      // Captured during the topology change its ports' coming up started: while it lasts, the
      // bridge ages MACs after twice the forward delay instead of its 300 s.
      ageingTime: 4,
      vlanFiltering: false,
      topologyChange: true,
    });
  });

  it('reads each port’s STP state, cost, priority and number, as `bridge link` shows them', () => {
    const ports = JSON.parse(fixture('root.bridge-link.json')) as {
      ifname: string;
      state: string;
      cost: number;
      priority: number;
    }[];
    for (const p of ports)
      expect(dev('root', p.ifname).portInfo).toMatchObject({
        state: p.state,
        cost: p.cost,
        priority: p.priority,
      });
    expect(dev('root', 'p1').portInfo).toEqual({
      state: 'forwarding',
      cost: 7,
      priority: 3,
      portNo: 1,
      learning: true,
      flood: true,
    });
    expect(dev('root', 'p2').portInfo?.portNo).toBe(2);
  });

  it('gives bridge details to bridges only, and port details to bridge ports only', () => {
    expect(dev('root', 'p1').bridgeInfo).toBeNull();
    expect(dev('root', 'br1').portInfo).toBeNull();
    expect(dev('root', 'vethbar').portInfo).toBeNull();
    expect(dev('ns0', 'eth1').portInfo).toBeNull();
  });

  it('keeps a dump whole when another kind’s details are shaped otherwise', () => {
    const [odd] = parseLinks([
      {
        ifindex: 9,
        ifname: 'vlan10',
        mtu: 1500,
        linkinfo: { info_kind: 'vlan', info_data: { protocol: '802.1Q', id: 10, priority: 'x' } },
      },
      {
        ifindex: 10,
        ifname: 'slave0',
        mtu: 1500,
        linkinfo: { info_kind: 'veth', info_slave_kind: 'bond', info_slave_data: { state: 'ACTIVE' } },
      },
    ]);
    expect(odd).toMatchObject({ kind: 'vlan', bridgeInfo: null, portInfo: null });
  });

  it('pads each MAC byte of a bridge id to two digits, as a MAC is written elsewhere', () => {
    expect(normaliseBridgeId('8000.26:18:41:5:dc:88')).toBe('8000.26:18:41:05:dc:88');
    expect(normaliseBridgeId('1000.1A:1:FF:FC:D5:5')).toBe('1000.1a:01:ff:fc:d5:05');
    expect(normaliseBridgeId('garbage')).toBe('garbage');
  });
});

describe('the MAC table of a bridge with learned, local and static entries', () => {
  const raw = JSON.parse(fixture('root.fdb.json')) as { mac: string; master?: string; updated?: number }[];
  const fdb = parseFdb(raw);
  const macOf = (context: string, ifname: string) => dev(context, ifname).mac;

  it('says where each entry comes from', () => {
    const byMac = new Map(fdb.map((e) => [e.mac, e]));
    expect(byMac.get(macOf('ns0', 'eth1') ?? '')).toMatchObject({ port: 'p1', origin: 'learned' });
    expect(byMac.get(macOf('ns1', 'eth1') ?? '')).toMatchObject({ port: 'p2', origin: 'learned' });
    expect(byMac.get(macOf('root', 'p1') ?? '')).toMatchObject({ port: 'p1', origin: 'local' });
    expect(byMac.get('02:00:00:00:00:01')).toMatchObject({ port: 'p2', origin: 'static', learned: false });
  });

  it('ages learned entries only, from "updated" (local and static entries never age)', () => {
    for (const e of fdb) {
      const updated = raw.find((r) => r.mac === e.mac && r.master !== undefined)?.updated;
      expect(e.ageSeconds).toBe(e.origin === 'learned' ? updated : null);
    }
    expect(fdb.filter((e) => e.origin === 'learned').every((e) => (e.ageSeconds ?? 0) >= 1)).toBe(true);
  });
});
