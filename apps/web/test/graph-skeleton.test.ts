import type { ObservedState, Topology } from '@netcanvas/model';
import { describe, expect, it } from 'vitest';
import bridge from '../../../examples/bridge.json';
import routerNat from '../../../examples/router-nat.json';
import vethPair from '../../../examples/veth-pair.json';
import { observedVeth as iface } from '../../../packages/model/test/fixtures';
import { buildGraph } from '../src/adapters/graph';
import { lazyGraph, skeletonOf, type Part } from '../src/adapters/graph-skeleton';
import type { CanvasNode, EdgeEnds, NodeBox, VethEdge } from '../src/adapters/types';
import { buildDocument, buildObserved } from '../src/bench/lab';
import { givenPart } from '../src/canvas/staging';
import { observedOf, validDoc as doc } from './lab-state';

// The adapter's graph makes each node and edge object when first asked for (adapters/graph-skeleton.ts):
// a large lab's canvas makes only the ~40 its opening view needs before the first frame
// (canvas/use-staged.ts, staging.ts givenPart). What is made is what an eager build makes.

/** Parts that count how many objects were made. */
function counted(n: number) {
  const made = { nodes: 0, edges: 0 };
  const nodes: Part<NodeBox, CanvasNode>[] = Array.from({ length: n }, (_, i) => {
    const box: NodeBox = {
      id: `n${i}`,
      type: 'card',
      position: { x: i * 300, y: 0 },
      width: 264,
      height: 180,
    };
    return {
      box,
      make: () => {
        made.nodes++;
        return { id: box.id, type: 'card', position: box.position, data: {} } as unknown as CanvasNode;
      },
    };
  });
  const edges: Part<EdgeEnds, VethEdge>[] = Array.from({ length: n }, (_, i) => {
    const box = { id: `e${i}`, source: `n${i}`, target: `n${(i + 1) % n}` };
    return {
      box,
      make: () => {
        made.edges++;
        return { ...box, type: 'veth' } as VethEdge;
      },
    };
  });
  return { graph: lazyGraph(nodes, edges), made };
}

describe('the graph makes a node or an edge when it is asked for', () => {
  it('gives every box and edge end without making any object, then makes only those asked for', () => {
    const { graph, made } = counted(2000);
    const skeleton = skeletonOf(graph);
    expect(skeleton.boxes).toHaveLength(2000);
    expect(skeleton.links).toHaveLength(2000);
    expect(made).toEqual({ nodes: 0, edges: 0 });

    const part = givenPart(graph, new Set(['n0', 'n1', 'n2', 'n7']));
    expect(part.nodes.map((n) => n.id)).toEqual(['n0', 'n1', 'n2', 'n7']);
    // Only edges with both ends given: n0-n1 and n1-n2.
    expect(part.edges.map((e) => e.id)).toEqual(['e0', 'e1']);
    expect(part.held).toBe(1996);
    expect(made).toEqual({ nodes: 4, edges: 2 });

    // Asked again (the next step, or the whole list), the same objects: made once each.
    expect(skeleton.node('n7')).toBe(part.nodes[3]);
    expect(graph.nodes[1]).toBe(part.nodes[1]);
    expect(graph.edges[0]).toBe(part.edges[0]);
    expect(made).toEqual({ nodes: 2000, edges: 2000 });
    expect(graph.nodes).toBe(graph.nodes);
  });

  it('is seen by equality and JSON as its nodes and edges', () => {
    const { graph } = counted(3);
    expect(Object.keys(graph)).toEqual(['nodes', 'edges']);
    expect(JSON.parse(JSON.stringify(graph))).toEqual({ nodes: graph.nodes, edges: graph.edges });
  });
});

describe('the adapter’s skeleton agrees with its nodes and edges', () => {
  const lo = iface('lo', { kind: 'loopback', managed: false, addresses: ['127.0.0.1/8'] });
  // A namespace made by hand, wired to ns0 by a veth made by hand: a foreign card and its edge.
  const handMade = observedOf({
    root: [],
    ns0: [lo, iface('vh0', { peer: { namespace: 'handmade', ifindex: 2, ifname: 'vh1' } })],
    handmade: [lo, iface('vh1', { peer: { namespace: 'ns0', ifindex: 3, ifname: 'vh0' } })],
  });
  const labs: Record<string, { document: Topology; observed: ObservedState | null }> = {
    'the bench’s 60 namespaces': { document: buildDocument(60), observed: buildObserved(60) },
    'veth-pair, with a namespace and a veth made by hand': { document: doc(vethPair), observed: handMade },
    bridge: { document: doc(bridge), observed: null },
    'router-nat': { document: doc(routerNat), observed: null },
  };
  for (const [name, { document, observed }] of Object.entries(labs))
    it(name, () => {
      const input = { document, observed, editable: true, pending: {}, local: {} };
      const lazy = buildGraph(input);
      const skeleton = skeletonOf(lazy);
      // Asked one by one first, in reverse: the same objects the lists then hold.
      const nodes = [...skeleton.boxes].reverse().map((b) => skeleton.node(b.id));
      const edges = [...skeleton.links].reverse().map((l) => skeleton.edge(l.id));
      expect(nodes.reverse()).toEqual(lazy.nodes);
      expect(edges.reverse()).toEqual(lazy.edges);
      nodes.forEach((n, i) => expect(n).toBe(lazy.nodes[i]));
      const plain = skeletonOf({ nodes: lazy.nodes, edges: lazy.edges });
      expect(skeleton.boxes).toEqual(plain.boxes);
      expect(skeleton.links).toEqual(plain.links);
      // And what is made equals a build read whole at once.
      expect(lazy).toEqual(buildGraph(input));
    });
});
