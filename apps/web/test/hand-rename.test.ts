import {
  adoptOffer,
  applyEdits,
  expandAdopt,
  stateAfterMarks,
  type ObservedInterface,
  type ObservedState,
  type Topology,
} from '@netcanvas/model';
import { describe, expect, it } from 'vitest';
import { observedVeth } from '../../../packages/model/test/fixtures';
import type { Graph, RowModel } from '../src/adapters/types';
import { graphOf, observedNs, observedState, validDoc } from './lab-state';

// A veth end the lab made (it carries the lab's mark) and someone renamed (`ip -n srv link set
// eth0 name x9`) or moved (`ip link set eth0 netns cli`) by hand is the lab's link that drifted:
// the document has srv:eth0, the kernel has it elsewhere. It was drawn as a link made outside
// netcanvas (an "unmanaged" edge, a row "made outside netcanvas" with an "adopt +1" badge that
// "Adopt all" never took), while the inspector said "netcanvas made this as srv:eth0; ...".

/** br0 in the lab's root, srv and cli on it: br0:veth-srv – srv:eth0, br0:veth-cli – cli:eth0. */
const lab = (): Topology =>
  validDoc({
    schemaVersion: 1,
    namespaces: [{ name: 'srv' }, { name: 'cli' }],
    bridges: [{ name: 'br0' }],
    links: [
      {
        a: { node: 'br0', ifname: 'veth-srv' },
        b: { node: 'srv', ifname: 'eth0', addresses: ['10.0.0.1/24'] },
      },
      {
        a: { node: 'br0', ifname: 'veth-cli' },
        b: { node: 'cli', ifname: 'eth0', addresses: ['10.0.0.2/24'] },
      },
    ],
  });

const lo = observedVeth('lo', { kind: 'loopback', managed: false, addresses: ['127.0.0.1/8'] });
const peerOf = (namespace: string, ifname: string, ifindex: number) => ({ namespace, ifname, ifindex });

/**
 * The kernel with the lab built, srv's end then at `at` (renamed and/or moved by hand), and
 * `extra` interfaces per namespace (made by hand).
 */
function kernel(
  at: { context: string; ifname: string } = { context: 'srv', ifname: 'eth0' },
  extra: Record<string, ObservedInterface[]> = {},
): ObservedState {
  const srvEnd = observedVeth(at.ifname, {
    ifindex: 20,
    addresses: at.context === 'srv' ? ['10.0.0.1/24'] : [],
    peer: peerOf('root', 'veth-srv', 10),
  });
  const root = [
    observedVeth('br0', { ifindex: 5, kind: 'bridge', stp: false }),
    observedVeth('veth-srv', { ifindex: 10, master: 'br0', peer: peerOf(at.context, at.ifname, 20) }),
    observedVeth('veth-cli', { ifindex: 11, master: 'br0', peer: peerOf('cli', 'eth0', 21) }),
  ];
  const cli = [
    lo,
    observedVeth('eth0', { ifindex: 21, addresses: ['10.0.0.2/24'], peer: peerOf('root', 'veth-cli', 11) }),
  ];
  const ns: Record<string, ObservedInterface[]> = { root, srv: [lo], cli };
  ns[at.context]!.push(srvEnd);
  for (const [name, list] of Object.entries(extra)) ns[name] = [...(ns[name] ?? []), ...list];
  return observedState(...Object.entries(ns).map(([name, interfaces]) => observedNs(name, interfaces)));
}

/** srv:h0 – cli:h1, made by hand (no mark). */
const handVeth = {
  srv: [observedVeth('h0', { ifindex: 30, managed: false, peer: peerOf('cli', 'h1', 31) })],
  cli: [observedVeth('h1', { ifindex: 31, managed: false, peer: peerOf('srv', 'h0', 30) })],
};

const rowOf = (g: Graph, node: string, ifname: string): RowModel | undefined => {
  const n = g.nodes.find((x) => x.id === node);
  return (n?.type === 'card' ? n.data.rows : n?.data.ports)?.find((r) => r.ifname === ifname);
};
const unmanagedRows = (g: Graph) =>
  g.nodes.flatMap((n) => (n.type === 'card' ? n.data.rows : n.data.ports).filter((r) => r.unmanaged));

describe('a veth end the lab made, renamed or moved by hand', () => {
  it('renamed: drawn as the lab’s link that drifted, not as one made outside netcanvas', () => {
    const g = graphOf(lab(), kernel({ context: 'srv', ifname: 'x9' }));
    expect(g.edges.filter((e) => e.data?.state === 'unmanaged')).toEqual([]);
    const link = g.edges.find((e) => e.id === 'veth:br0:veth-srv');
    expect(link?.data).toMatchObject({ state: 'drift', reasons: ['eth0: renamed by hand to x9'] });
    // Still the document's link: it can be deleted from the canvas (a foreign one cannot).
    expect(link?.deletable).toBe(true);
    expect(rowOf(g, 'srv', 'x9')).toMatchObject({
      unmanaged: false,
      drift: ['netcanvas made this as srv:eth0; renamed by hand to x9'],
      peer: 'root:veth-srv',
    });
    expect(rowOf(g, 'srv', 'eth0')).toMatchObject({ state: 'missing', drift: ['renamed by hand to x9'] });
    expect(unmanagedRows(g)).toEqual([]);
  });

  it('moved: the same, the row on the card of the namespace it was moved to', () => {
    const g = graphOf(lab(), kernel({ context: 'cli', ifname: 'x9' }));
    expect(g.edges.filter((e) => e.data?.state === 'unmanaged')).toEqual([]);
    expect(g.edges.find((e) => e.id === 'veth:br0:veth-srv')?.data).toMatchObject({
      state: 'drift',
      reasons: ['eth0: renamed by hand to x9 and moved by hand to cli'],
    });
    expect(rowOf(g, 'cli', 'x9')).toMatchObject({
      unmanaged: false,
      drift: ['netcanvas made this as srv:eth0; renamed by hand to x9 and moved by hand to cli'],
    });
    expect(unmanagedRows(g)).toEqual([]);
  });

  it('a bridge port renamed by hand: a port of the lab, drifted, on its bridge', () => {
    const observed = kernel();
    const [root, srv] = observed.namespaces;
    root!.interfaces = root!.interfaces.map((i) => (i.ifname === 'veth-srv' ? { ...i, ifname: 'p9' } : i));
    srv!.interfaces = srv!.interfaces.map((i) =>
      i.ifname === 'eth0' ? { ...i, peer: peerOf('root', 'p9', 10) } : i,
    );
    const g = graphOf(lab(), observed);
    expect(g.edges.filter((e) => e.data?.state === 'unmanaged')).toEqual([]);
    expect(rowOf(g, 'br0', 'p9')).toMatchObject({
      unmanaged: false,
      drift: ['netcanvas made this as root:veth-srv; renamed by hand to p9'],
    });
    expect(g.edges.find((e) => e.id === 'veth:br0:veth-srv')?.data?.reasons).toEqual([
      'veth-srv: renamed by hand to p9',
    ]);
  });

  it('is not counted for adoption, and no badge is left once "Adopt all" took the rest', () => {
    const doc = lab();
    // A veth made by hand, so that "Adopt all" has something to take: it counts that one only.
    const observed = kernel({ context: 'srv', ifname: 'x9' }, handVeth);
    const all = adoptOffer(doc, observed, { all: true });
    expect(all).toMatchObject({ ok: true, counts: { veths: 1 } });
    // Its own offer takes the new name into the topology, with nothing along (no "adopt +1").
    expect(adoptOffer(doc, observed, { namespace: 'srv', ifname: 'x9' })).toMatchObject({
      ok: true,
      label: 'rename eth0 to x9 in the topology',
      along: [],
    });
    const plan = expandAdopt(doc, observed, { type: 'adopt', all: true });
    if (!plan.ok) throw new Error(JSON.stringify(plan.issues));
    const after = applyEdits(doc, plan.value.edits);
    if (!after.ok) throw new Error(JSON.stringify(after.issues));
    const g = graphOf(after.value, stateAfterMarks(observed, plan.value));
    expect(unmanagedRows(g)).toEqual([]);
    expect(rowOf(g, 'srv', 'x9')?.drift).toEqual(['netcanvas made this as srv:eth0; renamed by hand to x9']);
  });

  it('a veth made by hand (no mark) is still drawn and offered as made outside netcanvas', () => {
    const observed = kernel(undefined, handVeth);
    const g = graphOf(lab(), observed);
    expect(g.edges.find((e) => e.data?.state === 'unmanaged')).toMatchObject({
      id: 'foreign:cli:h1',
      deletable: false,
      data: { reasons: ['made outside netcanvas: adopt it to manage it'] },
    });
    expect(rowOf(g, 'srv', 'h0')).toMatchObject({ unmanaged: true, drift: [] });
    expect(g.edges.find((e) => e.id === 'veth:br0:veth-srv')?.data?.state).toBe('up');
    expect(adoptOffer(lab(), observed, { all: true }).counts.veths).toBe(1);
  });
});
