import {
  validateTopology,
  type ObservedInterface,
  type ObservedState,
  type Topology,
} from '@netcanvas/model';
import { describe, expect, it } from 'vitest';
import { buildGraph } from '../src/adapters/graph';

// buildGraph is assembled from parts (graph-index, -cards, -bridges, -layout, -nodes, -edges):
// these pin what the assembly decides, so a reordering of the parts shows here.

const doc = (): Topology => {
  const r = validateTopology({
    schemaVersion: 1,
    namespaces: [{ name: 'ns2' }, { name: 'ns1' }],
    bridges: [{ name: 'br0' }],
    links: [
      { a: { node: 'br0', ifname: 'p1' }, b: { node: 'ns1', ifname: 'eth0' } },
      { a: { node: 'root', ifname: 'up0' }, b: { node: 'ns2', ifname: 'eth0' } },
    ],
  });
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
};
const iface = (ifname: string, extra: Partial<ObservedInterface> = {}): ObservedInterface =>
  ({
    ifname,
    kind: 'veth',
    up: true,
    operUp: true,
    addresses: [],
    mtu: 1500,
    master: null,
    ...extra,
  }) as ObservedInterface;
const observed: ObservedState = {
  target: { kind: 'sandbox', lab: 'test', pid: 1 },
  takenAt: new Date(0).toISOString(),
  namespaces: [
    { name: 'hand', managed: false, interfaces: [iface('h0')], fdb: [] },
    // A port enslaved to br0 by hand: drawn on the bridge, not as a row of the root's card.
    {
      name: 'root',
      managed: true,
      interfaces: [iface('br0', { kind: 'bridge' }), iface('x0', { master: 'br0' })],
      fdb: [],
    },
  ],
};
const graph = (observedState: ObservedState | null) =>
  buildGraph({ document: doc(), observed: observedState, editable: true, pending: {}, local: {} });

describe('buildGraph’s assembly', () => {
  it('lists the document’s namespaces in its order, then the root, the namespaces made by hand, the bridges', () => {
    expect(graph(observed).nodes.map((n) => n.id)).toEqual(['ns2', 'ns1', 'root', 'hand', 'br0']);
  });

  it('draws a bridge’s port on the bridge even where the root’s card could have a row for it', () => {
    const { nodes } = graph(observed);
    const bridge = nodes.find((n) => n.id === 'br0');
    const root = nodes.find((n) => n.id === 'root');
    expect(bridge?.type === 'bridge' && bridge.data.ports.map((p) => p.ifname)).toEqual(['p1', 'x0']);
    expect(root?.type === 'card' && root.data.rows.map((r) => r.ifname)).toEqual(['up0']);
  });

  it('joins the document’s links by the nodes that draw their ends, with handles on the facing sides', () => {
    const edges = graph(null).edges.map((e) => [e.id, e.source, e.target]);
    expect(edges).toEqual([
      ['veth:br0:p1', 'br0', 'ns1'],
      ['veth:root:up0', 'root', 'ns2'],
    ]);
  });
});
