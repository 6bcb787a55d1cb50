import { describe, expect, it } from 'vitest';
import vethPair from '../../../examples/veth-pair.json';
import bridge from '../../../examples/bridge.json';
import { proposeNodeName, proposeVethNames } from '../src/adapters/names';
import { applyEdits, emptyTopology, replaceDocumentEdits } from '@netcanvas/model';
import { observedVeth as iface } from '../../../packages/model/test/fixtures';
import { graphOf, observedNs, observedOf, validDoc as doc } from './lab-state';

describe('buildGraph', () => {
  const pair = doc(vethPair);
  const lo = iface('lo', { kind: 'loopback', managed: false, addresses: ['127.0.0.1/8'] });
  const matching = observedOf({
    root: [],
    ns0: [
      lo,
      iface('veth0', { addresses: ['10.0.1.1/24'], peer: { namespace: 'ns1', ifindex: 2, ifname: 'veth1' } }),
    ],
    ns1: [
      lo,
      iface('veth1', { addresses: ['10.0.1.2/24'], peer: { namespace: 'ns0', ifindex: 2, ifname: 'veth0' } }),
    ],
  });

  it('draws a namespace card per namespace, lo first, and one veth edge between the rows', () => {
    const g = graphOf(pair, matching);
    expect(g.nodes.map((n) => n.id)).toEqual(['ns0', 'ns1']);
    const ns0 = g.nodes[0]!;
    expect(ns0.type === 'card' && ns0.data.rows.map((r) => r.ifname)).toEqual(['lo', 'veth0']);
    expect(g.edges).toHaveLength(1);
    expect(g.edges[0]).toMatchObject({
      source: 'ns0',
      target: 'ns1',
      sourceHandle: 'veth0:R',
      targetHandle: 'veth1:L',
      data: { state: 'up' },
    });
  });

  it('draws every row of a namespace deleted by hand alike: missing, "not in the kernel" (lo too)', () => {
    const gone = structuredClone(matching);
    gone.namespaces = gone.namespaces.filter((ns) => ns.name !== 'ns1');
    const ns1 = graphOf(pair, gone).nodes.find((n) => n.id === 'ns1');
    const rows = ns1?.type === 'card' ? ns1.data.rows.map((r) => [r.ifname, r.state, r.drift]) : [];
    expect(rows).toEqual([
      ['lo', 'missing', ['not in the kernel']],
      ['veth1', 'missing', ['not in the kernel']],
    ]);
  });

  it('gives every node its size and handles up front', () => {
    for (const n of graphOf(pair, matching).nodes) {
      expect(n.measured?.width).toBeGreaterThan(0);
      expect(n.measured?.height).toBeGreaterThan(0);
      expect(n.handles?.length).toBeGreaterThan(0);
    }
  });

  it('draws a link that is down in the kernel but desired up as drift, with the reason', () => {
    const down = structuredClone(matching);
    const veth1 = down.namespaces[2]!.interfaces[1]!;
    veth1.up = false;
    veth1.operstate = 'DOWN';
    const g = graphOf(pair, down);
    expect(g.edges[0]?.data?.state).toBe('drift');
    expect(g.edges[0]?.data?.reasons).toContain('veth1: down, desired up');
    const ns1 = g.nodes.find((n) => n.id === 'ns1');
    expect(ns1?.type === 'card' && ns1.data.rows[1]).toMatchObject({
      state: 'down',
      drift: ['down, desired up'],
    });
  });

  it('reports a desired address the kernel lacks as drift', () => {
    const missing = structuredClone(matching);
    missing.namespaces[1]!.interfaces[1]!.addresses = [];
    const ns0 = graphOf(pair, missing).nodes[0]!;
    expect(ns0.type === 'card' && ns0.data.rows[1]?.drift).toEqual(['address 10.0.1.1/24 missing']);
  });

  it('draws a namespace the document does not have as unmanaged', () => {
    const extra = structuredClone(matching);
    extra.namespaces.push(observedNs('handmade', [lo], { managed: false }));
    const node = graphOf(pair, extra).nodes.find((n) => n.id === 'handmade');
    expect(node).toMatchObject({ type: 'card', data: { kind: 'foreign' }, deletable: false });
  });

  it('puts bridge ports on the bridge and shows the lab root only when something lives there', () => {
    const g = graphOf(doc(bridge), null);
    expect(g.nodes.map((n) => n.id).sort()).toEqual(['br0', 'ns1', 'ns2', 'ns3']);
    const br0 = g.nodes.find((n) => n.id === 'br0');
    expect(br0?.type === 'bridge' && br0.data.ports.map((p) => p.ifname)).toEqual([
      'veth-ns1',
      'veth-ns2',
      'veth-ns3',
    ]);
    // The bridge sits above the namespaces: its ports attach at the bottom.
    expect(g.edges.every((e) => e.sourceHandle?.endsWith(':B'))).toBe(true);
  });
});

describe('proposals', () => {
  it('names a namespace-to-namespace pair veth0/veth1, as the tutorial does', () => {
    const d = doc({ schemaVersion: 1, namespaces: [{ name: 'ns0' }, { name: 'ns1' }] });
    expect(proposeVethNames(d, null, 'ns0', 'ns1')).toEqual({ a: 'veth0', b: 'veth1' });
    expect(proposeVethNames(doc(vethPair), null, 'ns0', 'ns1')).toEqual({ a: 'veth2', b: 'veth3' });
  });

  it('names a bridge port veth-<namespace> and its namespace end eth<n>', () => {
    const d = doc({ schemaVersion: 1, namespaces: [{ name: 'ns1' }], bridges: [{ name: 'br0' }] });
    expect(proposeVethNames(d, null, 'br0', 'ns1')).toEqual({ a: 'veth-ns1', b: 'eth0' });
  });

  it('proposes free node names', () => {
    expect(proposeNodeName(doc(vethPair), null, 'namespace')).toBe('ns2');
    expect(proposeNodeName(emptyTopology(), null, 'bridge')).toBe('br0');
  });
});

describe('replaceDocumentEdits', () => {
  it('turns any document into the example', () => {
    const from = doc(bridge);
    const to = doc(vethPair);
    const result = applyEdits(from, replaceDocumentEdits(from, to));
    expect(result.ok && result.value).toEqual(to);
  });
});
