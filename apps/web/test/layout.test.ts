import { validateTopology, type Topology } from '@netcanvas/model';
import type { XYPosition } from '@xyflow/react';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import bridge from '../../../examples/bridge.json';
import firewallDrop from '../../../examples/firewall-drop.json';
import routerNat from '../../../examples/router-nat.json';
import vethPair from '../../../examples/veth-pair.json';
import { buildGraph } from '../src/adapters/graph';
import { autoLayout } from '../src/adapters/layout';
import { keepPlaced } from '../src/adapters/layout-keep';
import { tidyLayers } from '../src/adapters/layout-tidy';
import { PLACE_GAP, crowds, type Box } from '../src/adapters/placement';
import type { Graph } from '../src/adapters/types';

// The layout on the real elkjs, and the examples as they open (their own saved places): no card
// on another, room between cards for a line and its label, bridges and routers in the middle.

const doc = (raw: unknown): Topology => {
  const r = validateTopology(raw);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
};
const graphOf = (d: Topology): Graph =>
  buildGraph({ document: d, observed: null, editable: true, pending: {}, local: {} });
const withoutPlaces = (d: Topology): Topology => ({
  ...d,
  namespaces: d.namespaces.map(({ position: _p, ...n }) => n),
  bridges: d.bridges.map(({ position: _p, ...b }) => b),
});

const EXAMPLES = { 'veth-pair': vethPair, bridge, 'router-nat': routerNat, 'firewall-drop': firewallDrop };

/** Boxes of a graph's nodes at the given places (or where the graph draws them). */
function boxesOf(graph: Graph, at?: ReadonlyMap<string, XYPosition>): Map<string, Box> {
  return new Map(
    graph.nodes.map((n) => [
      n.id,
      { ...(at?.get(n.id) ?? n.position), width: n.width ?? 0, height: n.height ?? 0 },
    ]),
  );
}
const cx = (b: Box) => b.x + b.width / 2;
const bottom = (b: Box) => b.y + b.height;
const get = (boxes: Map<string, Box>, id: string): Box => {
  const b = boxes.get(id);
  if (!b) throw new Error(`${id} has no place`);
  return b;
};

/** What "laid out well" means for the examples, checked on the layout's output and on the files. */
function expectLaidOutWell(name: string, boxes: Map<string, Box>): void {
  const list = [...boxes.entries()];
  // Every card clear of every other by the placement gap at least: room for a line between them.
  for (const [i, [a, ba]] of list.entries())
    for (const [b, bb] of list.slice(i + 1))
      expect(crowds(ba, bb, PLACE_GAP - 1), `${a} and ${b}`).toBe(false);
  if (name === 'veth-pair' || name === 'firewall-drop') {
    const [ns0, ns1] = [get(boxes, 'ns0'), get(boxes, 'ns1')];
    // Side by side, rows level, a label's room between them.
    expect(ns0.y).toBe(ns1.y);
    expect(ns1.x - (ns0.x + ns0.width)).toBeGreaterThanOrEqual(150);
  }
  if (name === 'bridge') {
    const br0 = get(boxes, 'br0');
    const hosts = ['ns1', 'ns2', 'ns3'].map((id) => get(boxes, id));
    // The bridge centred over its namespaces, a layer apart, the namespaces in order.
    const span = (Math.min(...hosts.map((h) => h.x)) + Math.max(...hosts.map((h) => h.x + h.width))) / 2;
    expect(Math.abs(cx(br0) - span)).toBeLessThanOrEqual(2);
    for (const h of hosts) expect(h.y - bottom(br0)).toBeGreaterThanOrEqual(100);
    expect(hosts.map((h) => h.x)).toEqual([...hosts.map((h) => h.x)].sort((a, b) => a - b));
  }
  if (name === 'router-nat') {
    const [h1, h2, brIn, r1, brOut, srv] = ['h1', 'h2', 'br-in', 'r1', 'br-out', 'srv'].map((id) =>
      get(boxes, id),
    ) as Box[];
    // Top to bottom: the inside hosts, their bridge, the router, the outside bridge, the server.
    for (const h of [h1, h2] as Box[]) expect(bottom(h)).toBeLessThan((brIn as Box).y);
    expect(bottom(brIn as Box)).toBeLessThan((r1 as Box).y);
    expect(bottom(r1 as Box)).toBeLessThan((brOut as Box).y);
    expect(bottom(brOut as Box)).toBeLessThan((srv as Box).y);
    // Narrow enough to read at Fit: two cards wide, not five.
    const all = [...boxes.values()];
    const width = Math.max(...all.map((b) => b.x + b.width)) - Math.min(...all.map((b) => b.x));
    expect(width).toBeLessThan(800);
  }
}

describe('autoLayout (elkjs, layered with ports)', () => {
  // elkjs (1.4 MB) is loaded on first use: a test that paid for that import, with its JIT, ran past
  // the unit tests' 30 s on a machine at load 20 (docs/testing.md, session 12). It is loaded here,
  // with time of its own; the tests then time the layout alone.
  beforeAll(async () => {
    await autoLayout(graphOf(withoutPlaces(doc(EXAMPLES['veth-pair']))));
  }, 180_000);

  for (const [name, raw] of Object.entries(EXAMPLES))
    it(`lays out the ${name} example well, from no places at all`, async () => {
      const graph = graphOf(withoutPlaces(doc(raw)));
      const laid = await autoLayout(graph);
      expect([...laid.keys()].sort()).toEqual(graph.nodes.map((n) => n.id).sort());
      expectLaidOutWell(name, boxesOf(graph, laid));
    });

  it('lays out a lab of several parts without one part on another', async () => {
    const d = doc({
      schemaVersion: 1,
      namespaces: ['a', 'b', 'c', 'd', 'e'].map((name) => ({ name })),
      bridges: [{ name: 'br0' }],
      links: [
        { a: { node: 'a', ifname: 'eth0' }, b: { node: 'b', ifname: 'eth0' } },
        { a: { node: 'br0', ifname: 'pc' }, b: { node: 'c', ifname: 'eth0' } },
        { a: { node: 'br0', ifname: 'pd' }, b: { node: 'd', ifname: 'eth0' } },
      ],
    });
    const graph = graphOf(d);
    const boxes = [...boxesOf(graph, await autoLayout(graph)).values()];
    for (const [i, a] of boxes.entries())
      for (const b of boxes.slice(i + 1)) expect(crowds(a, b, PLACE_GAP - 1)).toBe(false);
  });
});

describe('the examples open laid out (their saved places)', () => {
  for (const [name, raw] of Object.entries(EXAMPLES))
    it(name, () => {
      const graph = graphOf(doc(raw));
      expectLaidOutWell(name, boxesOf(graph));
    });
});

describe('keepPlaced ("Lay out new")', () => {
  const size = { width: 264, height: 140 };
  const boxArb = fc.record({
    x: fc.integer({ min: -1200, max: 1200 }),
    y: fc.integer({ min: -900, max: 900 }),
  });

  it('leaves the kept nodes alone and puts the others clear of them and of each other', () => {
    fc.assert(
      fc.property(
        fc.array(boxArb, { minLength: 2, maxLength: 14 }),
        fc.array(fc.boolean(), { minLength: 14, maxLength: 14 }),
        fc.array(boxArb, { minLength: 14, maxLength: 14 }),
        fc.array(fc.tuple(fc.nat(13), fc.nat(13)), { maxLength: 16 }),
        (laidList, keepFlags, hand, pairs) => {
          const ids = laidList.map((_, i) => `n${i}`);
          // A layout's own output is clear between its nodes: spread them on a grid.
          const laid = new Map(ids.map((id, i) => [id, { x: (i % 4) * 400, y: Math.floor(i / 4) * 300 }]));
          const sizes = new Map(ids.map((id) => [id, size]));
          const kept = new Map<string, Box>();
          ids.forEach((id, i) => {
            const spot = hand[i] as { x: number; y: number };
            const box = { ...spot, ...size };
            if (keepFlags[i] && ![...kept.values()].some((k) => crowds(k, box, PLACE_GAP))) kept.set(id, box);
          });
          const neighbours = new Map<string, string[]>();
          for (const [a, b] of pairs) {
            const [ia, ib] = [ids[a % ids.length], ids[b % ids.length]] as [string, string];
            neighbours.set(ia, [...(neighbours.get(ia) ?? []), ib]);
            neighbours.set(ib, [...(neighbours.get(ib) ?? []), ia]);
          }
          const settled = new Map([...laid].filter(([id], i) => !kept.has(id) && i % 2 === 0));
          const out = keepPlaced({ laidOut: laid, kept, settled, sizes, neighbours });
          expect([...out.keys()].sort()).toEqual(ids.filter((id) => !kept.has(id)).sort());
          const placed = [...out.values()].map((p) => ({ ...p, ...size }));
          for (const [i, a] of placed.entries()) {
            for (const k of kept.values()) expect(crowds(a, k, PLACE_GAP)).toBe(false);
            for (const b of placed.slice(i + 1)) expect(crowds(a, b, PLACE_GAP)).toBe(false);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a new node keeps its place relative to the kept node it connects to', () => {
    const size = { width: 264, height: 140 };
    const laid = new Map([
      ['br0', { x: 0, y: 0 }],
      ['ns1', { x: -100, y: 200 }],
    ]);
    const kept = new Map([['br0', { x: 1000, y: 500, width: 316, height: 76 }]]);
    const out = keepPlaced({
      laidOut: laid,
      kept,
      settled: new Map(),
      sizes: new Map([['ns1', size]]),
      neighbours: new Map([['ns1', ['br0']]]),
    });
    expect(out.get('ns1')).toEqual({ x: 900, y: 700 });
  });

  it('nodes the layout placed before follow it again where the picture is now; a hand-placed one stays', () => {
    const size = { width: 264, height: 140 };
    const laid = new Map([
      ['a', { x: 0, y: 0 }],
      ['b', { x: 400, y: 0 }],
      ['c', { x: 800, y: 0 }],
      ['d', { x: 400, y: 300 }],
    ]);
    // The picture was drawn 50 right and 30 down of the layout's frame; c was dragged far away.
    const settled = new Map([
      ['a', { x: 50, y: 30 }],
      ['b', { x: 450, y: 30 }],
    ]);
    const kept = new Map([['c', { x: 2000, y: 2000, ...size }]]);
    const out = keepPlaced({
      laidOut: laid,
      kept,
      settled,
      sizes: new Map([...laid.keys()].map((id) => [id, size])),
      neighbours: new Map([
        ['d', ['b']],
        ['b', ['d']],
      ]),
    });
    expect(Object.fromEntries(out)).toEqual({
      a: { x: 50, y: 30 },
      b: { x: 450, y: 30 },
      d: { x: 450, y: 330 },
    });
  });
});

describe('tidyLayers: ELK layers drawn as centred rows', () => {
  const at = (id: string, x: number, y: number, width = 264, height = 140) => ({ id, x, y, width, height });

  it('centres each layer on the axis, keeps ELK order, wraps a crowded outer layer outwards', () => {
    const hosts = Array.from({ length: 8 }, (_, i) => at(`h${i}`, i * 300, 0));
    const nodes = [...hosts, at('br', 40, 260, 316, 76), at('r', 500, 460), at('s', 10, 700)];
    const out = tidyLayers(nodes, 'DOWN', { inLayer: 80, betweenLayers: 120 });
    const p = (id: string) => out.get(id) ?? { x: NaN, y: NaN };
    // Eight hosts above the bridge: two rows of four, the first four nearest the bridge.
    expect(['h0', 'h1', 'h2', 'h3'].map((id) => p(id).y)).toEqual([220, 220, 220, 220]);
    expect(['h4', 'h5', 'h6', 'h7'].map((id) => p(id).y)).toEqual([0, 0, 0, 0]);
    expect(['h0', 'h1', 'h2', 'h3'].map((id) => p(id).x)).toEqual([-648, -304, 40, 384]);
    // Each row centred on x = 0, in ELK's order; the next layer 120 below the row before.
    expect(p('br')).toEqual({ x: -158, y: 220 + 140 + 120 });
    expect(p('r')).toEqual({ x: -132, y: 480 + 76 + 120 });
    expect(p('s')).toEqual({ x: -132, y: 676 + 140 + 120 });
  });

  it('left to right, layers are columns, top-aligned so rows across a veth are level', () => {
    const out = tidyLayers([at('a', 0, 30, 264, 140), at('b', 400, 0, 264, 184)], 'RIGHT', {
      inLayer: 64,
      betweenLayers: 180,
    });
    expect(out.get('a')).toEqual({ x: 0, y: 0 });
    expect(out.get('b')).toEqual({ x: 264 + 180, y: 0 });
  });
});
