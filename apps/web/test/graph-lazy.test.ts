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
  const observed: ObservedState = {
    ...plain,
    namespaces: plain.namespaces.map((ns) => {
      const copy = { ...ns };
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
  return { document, observed, plain, read };
}

describe('the adapter works out a card when it is read', () => {
  it('builds 30 cards without reading any namespace’s details, then reads one card’s alone', () => {
    const { document, observed, read } = watchedLab(30);
    const graph = buildGraph({ document, observed, editable: true, pending: {}, local: {} });
    expect(graph.nodes).toHaveLength(30);
    // Sizes, handles and edges come from the interface names alone.
    const ns3 = graph.nodes.find((n) => n.id === 'ns0003') as CardNode;
    expect(ns3.height).toBeGreaterThan(0);
    expect(ns3.handles?.map((h) => h.id)).toContain('eth1:R');
    expect(graph.edges).toHaveLength(30);
    expect(read.size).toBe(0);

    expect(ns3.data.rows.map((r) => [r.ifname, r.state])).toEqual([
      ['lo', 'up'],
      ['eth0', 'up'],
      ['eth1', 'up'],
    ]);
    expect(ns3.data.netfilter).toEqual({ forwarding: false, rules: 0, routes: 0 });
    expect([...read]).toEqual(['ns0003']);
  });

  it('what is read is what an eager build gives: the same graph, field by field', () => {
    const { document, observed, plain } = watchedLab(12);
    const lazy = buildGraph({ document, observed, editable: true, pending: {}, local: {} });
    const again = buildGraph({ document, observed: plain, editable: false, pending: {}, local: {} });
    // Plain copies (every getter read), so nothing lazy is left on either side.
    const plainCopy = (x: unknown) => JSON.parse(JSON.stringify(x)) as unknown;
    expect(plainCopy(lazy.nodes.map((n) => n.data.rows))).toEqual(
      plainCopy(again.nodes.map((n) => n.data.rows)),
    );
    expect(plainCopy(lazy)).toEqual(
      plainCopy(buildGraph({ document, observed: plain, editable: true, pending: {}, local: {} })),
    );
  });
});
