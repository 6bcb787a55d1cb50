import { type ObservedInterface, type Topology } from '@netcanvas/model';
import { describe, expect, it } from 'vitest';
import { observedVeth } from '../../../packages/model/test/fixtures';
import { buildGraph } from '../src/adapters/graph';
import type { BridgeNode, CardNode } from '../src/adapters/types';
import { observedNs, observedState, validDoc } from './lab-state';

// A bridge made by hand in the lab's root (`ip link add brX type bridge`, issue 11 §7) is a
// bridge node of its own, marked made by hand, with its ports made by hand on it.

const doc = (raw: object): Topology => validDoc({ schemaVersion: 1, ...raw });
const inRoot = (interfaces: ObservedInterface[]) => observedState(observedNs('root', interfaces));
const handBridge = observedVeth('brX', { kind: 'bridge', managed: false, stp: false });
const handPort = observedVeth('vethX', { managed: false, master: 'brX' });
const graphOf = (d: Topology, o: ReturnType<typeof inRoot>) =>
  buildGraph({ document: d, observed: o, editable: true, pending: {}, local: {} });

describe('a bridge made by hand in the lab’s root', () => {
  it('is a bridge node marked made by hand, its port on it, not a row of the root’s card', () => {
    const g = graphOf(doc({}), inRoot([handBridge, handPort]));
    const bridge = g.nodes.find((n): n is BridgeNode => n.id === 'brX' && n.type === 'bridge');
    expect(bridge?.data).toMatchObject({ name: 'brX', handMade: true, drift: [] });
    expect(bridge?.data.ports.map((p) => [p.ifname, p.unmanaged])).toEqual([['vethX', true]]);
    // Nothing else lives in the root: no card for it.
    expect(g.nodes.find((n): n is CardNode => n.id === 'root')).toBeUndefined();
    // Adopted before it is wired or deleted.
    expect(bridge).toMatchObject({
      deletable: false,
      connectable: false,
      ariaLabel: 'bridge made by hand brX',
    });
  });

  it('is the document’s bridge once adopted, and a row when its name is a namespace’s', () => {
    const adopted = graphOf(doc({ bridges: [{ name: 'brX' }] }), inRoot([{ ...handBridge, managed: true }]));
    expect(
      adopted.nodes.filter((n) => n.id === 'brX').map((n) => n.type === 'bridge' && n.data.handMade),
    ).toEqual([false]);
    const clash = graphOf(doc({ namespaces: [{ name: 'brX' }] }), inRoot([handBridge]));
    const root = clash.nodes.find((n): n is CardNode => n.id === 'root' && n.type === 'card');
    expect(root?.data.rows.map((r) => r.ifname)).toEqual(['brX']);
  });

  it('that took the lab’s port: lists it, and the lab’s veth to it drifts (issue: "no ports", solid green)', () => {
    const lab = doc({
      namespaces: [{ name: 'ns2' }],
      bridges: [{ name: 'br0' }],
      links: [{ a: { node: 'br0', ifname: 'veth-ns2' }, b: { node: 'ns2', ifname: 'eth0' } }],
    });
    const observed = observedState(
      observedNs('root', [
        observedVeth('br0', { kind: 'bridge', stp: false }),
        observedVeth('br1', { kind: 'bridge', managed: false, stp: false }),
        observedVeth('veth-ns2', { master: 'br1' }),
      ]),
      observedNs('ns2', [observedVeth('eth0')]),
    );
    const g = graphOf(lab, observed);
    const br1 = g.nodes.find((n): n is BridgeNode => n.id === 'br1' && n.type === 'bridge');
    expect(br1?.data.ports.map((p) => [p.ifname, p.unmanaged, p.drift])).toEqual([
      ['veth-ns2', false, ['the lab’s port of br0, moved here by hand']],
    ]);
    expect(g.edges.map((e) => [e.data?.state, e.data?.reasons])).toEqual([
      ['drift', ['veth-ns2: a port of br1, desired on br0']],
    ]);
  });
});
