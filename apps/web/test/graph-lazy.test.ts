import type { ObservedState } from '@netcanvas/model';
import { describe, expect, it } from 'vitest';
import { buildGraph } from '../src/adapters/graph';
import type { CardNode } from '../src/adapters/types';
import { buildDocument, buildObserved } from '../src/bench/lab';

// A namespace's card works out its rows, drift and firewall summary when they are first read
// (adapters/lazy.ts): a large lab's canvas reads those of the ~20 cards in view at first
// (canvas/use-staged.ts). Observed here by which namespaces' routes were read: only the drift and
// the summary read them.

function watchedLab(n: number) {
  const document = buildDocument(n);
  const plain = buildObserved(n);
  const read = new Set<string>();
  // Lookups of one interface by name (the adapter's index.find), which only the details make.
  const reads = { interfaces: 0 };
  const observed: ObservedState = {
    ...plain,
    namespaces: plain.namespaces.map((ns) => {
      const interfaces = [...ns.interfaces];
      interfaces.find = function (this: typeof interfaces, ...args: Parameters<typeof Array.prototype.find>) {
        reads.interfaces++;
        return Array.prototype.find.apply(this, args);
      } as typeof interfaces.find;
      const copy = { ...ns, interfaces };
      Object.defineProperty(copy, 'routes', {
        get: () => {
          read.add(ns.name);
          return ns.routes;
        },
        enumerable: true,
      });
      return copy;
    }),
  };
  return { document, observed, plain, read, reads };
}

describe('the adapter works out a card when it is read', () => {
  it('builds 30 cards without reading any namespace’s details, then reads one card’s alone', () => {
    const { document, observed, read, reads } = watchedLab(30);
    const graph = buildGraph({ document, observed, editable: true, pending: {}, local: {} });
    expect(graph.nodes).toHaveLength(30);
    // Sizes, handles and edges come from the interface names alone.
    const ns3 = graph.nodes.find((n) => n.id === 'ns0003') as CardNode;
    expect(ns3.height).toBeGreaterThan(0);
    expect(ns3.handles?.map((h) => h.id)).toContain('eth1:R');
    expect(graph.edges).toHaveLength(30);
    expect(graph.edges[3]?.sourceHandle).toBe('eth1:R');
    expect(read.size).toBe(0);
    expect(reads.interfaces).toBe(0);

    expect(ns3.data.rows.map((r) => [r.ifname, r.state])).toEqual([
      ['lo', 'up'],
      ['eth0', 'up'],
      ['eth1', 'up'],
    ]);
    expect(ns3.data.netfilter).toEqual({ forwarding: false, rules: 0, routes: 0 });
    expect([...read]).toEqual(['ns0003']);

    // An edge's state, reasons and label are worked out when read, from the ends' interfaces.
    const edge = graph.edges.find((e) => e.id === 'veth:ns0003:eth1')!;
    reads.interfaces = 0;
    expect(edge.data?.state).toBe('up');
    expect(edge.ariaLabel).toBe('veth ns0003:eth1 to ns0004:eth0, up');
    expect(reads.interfaces).toBeGreaterThan(0);
  });

  it('what is read is what an eager build gives: the same graph, field by field', () => {
    const { document, observed, plain } = watchedLab(12);
    const lazy = buildGraph({ document, observed, editable: true, pending: {}, local: {} });
    const again = buildGraph({ document, observed: plain, editable: false, pending: {}, local: {} });
    // Plain copies (every getter read), so nothing lazy is left on either side.
    const plainCopy = (x: unknown) => JSON.parse(JSON.stringify(x)) as unknown;
    expect(plainCopy(lazy.nodes.map((n) => n.type === 'card' && n.data.rows))).toEqual(
      plainCopy(again.nodes.map((n) => n.type === 'card' && n.data.rows)),
    );
    expect(plainCopy(lazy)).toEqual(
      plainCopy(buildGraph({ document, observed: plain, editable: true, pending: {}, local: {} })),
    );
  });
});
