import { validateTopology, type Topology } from '@netcanvas/model';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sideFacing } from '../src/adapters/edge-sides';
import { buildGraph } from '../src/adapters/graph';
import { edgeLabel, endNames, wrap } from '../src/canvas/routing/edge-label';
import { placeLabels } from '../src/canvas/routing/label-placement';
import { routeEdges } from '../src/canvas/routing/edge-routes';
import { DEFAULT_ROUTE, routeOrthogonal, type Side } from '../src/canvas/routing/orthogonal-router';
import { RectIndex, grow, overlap, segmentCrosses, type Point, type Rect } from '../src/canvas/routing/rects';
import { halfway, roundedPath } from '../src/canvas/routing/route-path';
import { SharedLines } from '../src/canvas/routing/shared-lines';

// Edges that read like a network diagram: each end leaves its node on the side facing the other
// end, the line goes around every card (never through one), and labels never sit on a card or on
// each other. The router and the placer are pure; these check them on hand-made cases and on
// random labs built by the real adapter.

const { pad: PAD, stub: STUB } = DEFAULT_ROUTE;
const segments = (points: readonly Point[]): [Point, Point][] =>
  points.slice(1).map((p, i) => [points[i]!, p]);
const orthogonal = (points: readonly Point[]) =>
  segments(points).every(([a, b]) => a.x === b.x || a.y === b.y);

describe('sideFacing', () => {
  const card = (x: number, y: number): Rect => ({ x, y, width: 264, height: 140 });
  const bridge = (x: number, y: number): Rect => ({ x, y, width: 316, height: 76 });

  it('sends a card row towards its peer, left or right', () => {
    expect(sideFacing('row', card(0, 0), card(400, 0), false)).toBe('R');
    expect(sideFacing('row', card(400, 300), card(0, 0), false)).toBe('L');
  });

  it('puts a bridge port on the edge facing its namespace: below, above or beside', () => {
    expect(sideFacing('port', bridge(300, 0), card(0, 300), false)).toBe('B');
    expect(sideFacing('port', bridge(300, 400), card(320, 0), false)).toBe('T');
    // router-nat: h1 up and to the left of br-in, mostly beside it.
    expect(sideFacing('port', bridge(360, 150), card(0, 0), false)).toBe('L');
    expect(sideFacing('port', bridge(360, 150), card(760, 100), false)).toBe('R');
  });

  it('loops out of one side and back in', () => {
    expect(sideFacing('row', card(0, 0), card(0, 0), true)).toBe('R');
    expect(sideFacing('port', bridge(0, 0), bridge(0, 0), true)).toBe('B');
  });
});

describe('routeOrthogonal', () => {
  const left = { x: 0, y: 0, width: 200, height: 100 };
  const middle = { x: 300, y: -100, width: 200, height: 300 };
  const right = { x: 600, y: 0, width: 200, height: 100 };

  it('goes around a card between the two ends, straight out of each end first', () => {
    const from = { at: { x: 200, y: 50 }, side: 'R' as Side };
    const to = { at: { x: 600, y: 50 }, side: 'L' as Side };
    const { points, clear } = routeOrthogonal(from, to, [left, middle, right]);
    expect(clear).toBe(true);
    expect(points[0]).toEqual(from.at);
    expect(points.at(-1)).toEqual(to.at);
    // Out of the right side and into the left one, straight, at least a pad long.
    expect(points[1]!.y).toBe(50);
    expect(points[1]!.x).toBeGreaterThanOrEqual(200 + STUB);
    expect(points.at(-2)!.y).toBe(50);
    expect(points.at(-2)!.x).toBeLessThanOrEqual(600 - STUB);
    expect(orthogonal(points)).toBe(true);
    for (const [a, b] of segments(points)) expect(segmentCrosses(middle, a, b)).toBe(false);
  });

  it('draws a loop out of a card’s side and back into it', () => {
    const card = { x: 0, y: 0, width: 264, height: 184 };
    const { points, clear } = routeOrthogonal(
      { at: { x: 264, y: 110 }, side: 'R' },
      { at: { x: 264, y: 154 }, side: 'R' },
      [card],
      { stub: 36 },
    );
    expect(clear).toBe(true);
    expect(points).toEqual([
      { x: 264, y: 110 },
      { x: 300, y: 110 },
      { x: 300, y: 154 },
      { x: 264, y: 154 },
    ]);
  });

  it('still draws a line when an end is inside another card (nodes that overlap)', () => {
    const boxed = { x: -50, y: -400, width: 400, height: 900 };
    const route = routeOrthogonal(
      { at: { x: 200, y: 50 }, side: 'R' },
      { at: { x: 900, y: 50 }, side: 'L' },
      [left, boxed],
    );
    expect(route.points[0]).toEqual({ x: 200, y: 50 });
    expect(route.points.at(-1)).toEqual({ x: 900, y: 50 });
  });

  // Cards on a grid with room between them (at least two pads), ends on random sides of two of them.
  const lab = fc
    .uniqueArray(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 5 })), {
      minLength: 2,
      maxLength: 14,
      selector: ([c, r]) => `${c},${r}`,
    })
    .chain((cells) =>
      fc.record({
        rects: fc.tuple(
          ...cells.map(([c, r]) =>
            fc
              .record({
                w: fc.integer({ min: 60, max: 300 }),
                h: fc.integer({ min: 40, max: 200 }),
                dx: fc.integer({ min: 0, max: 20 }),
                dy: fc.integer({ min: 0, max: 20 }),
              })
              .map(({ w, h, dx, dy }) => ({ x: c * 360 + dx, y: r * 260 + dy, width: w, height: h })),
          ),
        ),
        pick: fc.tuple(
          fc.nat(),
          fc.nat(),
          fc.constantFrom<Side>('L', 'R', 'T', 'B'),
          fc.constantFrom<Side>('L', 'R', 'T', 'B'),
        ),
        along: fc.tuple(
          fc.double({ min: 0.1, max: 0.9, noNaN: true }),
          fc.double({ min: 0.1, max: 0.9, noNaN: true }),
        ),
      }),
    );

  const onSide = (r: Rect, side: Side, t: number): Point =>
    side === 'L'
      ? { x: r.x, y: r.y + r.height * t }
      : side === 'R'
        ? { x: r.x + r.width, y: r.y + r.height * t }
        : side === 'T'
          ? { x: r.x + r.width * t, y: r.y }
          : { x: r.x + r.width * t, y: r.y + r.height };

  it('never crosses a padded card between its two stubs, whatever the cards and sides (property)', () => {
    fc.assert(
      fc.property(lab, ({ rects, pick, along }) => {
        const [i, j, si, sj] = pick;
        const a = rects[i % rects.length]!;
        const b = rects[(i + 1 + (j % (rects.length - 1))) % rects.length]!;
        const from = { at: onSide(a, si, along[0]), side: si };
        const to = { at: onSide(b, sj, along[1]), side: sj };
        const { points, clear } = routeOrthogonal(from, to, rects);
        expect(clear).toBe(true);
        expect(orthogonal(points)).toBe(true);
        expect(points[0]).toEqual(from.at);
        expect(points.at(-1)).toEqual(to.at);
        // The stubs (first and last segments) cross their own node's pad by design; nothing else may.
        const inner = points.slice(1, -1);
        for (const [p, q] of segments(inner))
          for (const r of rects)
            expect(segmentCrosses(grow(r, PAD), p, q), JSON.stringify({ p, q, r })).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});

describe('roundedPath and halfway', () => {
  const route = [
    { x: 0, y: 0 },
    { x: 100, y: 0 },
    { x: 100, y: 50 },
  ];
  it('starts and ends at the route’s ends and rounds each corner', () => {
    const d = roundedPath(route);
    expect(d.startsWith('M 0,0 L 92,0 Q 100,0 100,8')).toBe(true);
    expect(d.endsWith('L 100,50')).toBe(true);
  });
  it('finds the point halfway by length', () => {
    expect(halfway(route)).toEqual({ x: 75, y: 0 });
  });
});

/** A random lab on a grid: namespaces and bridges, linked at random (a few links each), positioned. */
const randomLab = fc
  .record({
    namespaces: fc.integer({ min: 2, max: 12 }),
    bridges: fc.integer({ min: 0, max: 3 }),
    links: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 16 }),
    jitter: fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 16, maxLength: 16 }),
    cells: fc.shuffledSubarray(
      Array.from({ length: 25 }, (_, i) => i),
      { minLength: 15, maxLength: 15 },
    ),
  })
  .map(({ namespaces, bridges, links, jitter, cells }): Topology => {
    const nodes = [
      ...Array.from({ length: namespaces }, (_, i) => `ns${i}`),
      ...Array.from({ length: bridges }, (_, i) => `br${i}`),
    ];
    const at = (i: number) => {
      const cell = cells[i]!;
      return { x: (cell % 5) * 330 + jitter[i]!, y: Math.floor(cell / 5) * 300 };
    };
    const degree = new Map<string, number>();
    const chosen = links.flatMap(([p, q], k) => {
      const a = nodes[p % nodes.length]!;
      const b = nodes[q % nodes.length]!;
      if (a === b || (a.startsWith('br') && b.startsWith('br'))) return [];
      // At most three links a namespace, two a bridge: no node outgrows its cell of the grid.
      const room = (n: string) => (degree.get(n) ?? 0) < (n.startsWith('br') ? 2 : 3);
      if (!room(a) || !room(b)) return [];
      degree.set(a, (degree.get(a) ?? 0) + 1);
      degree.set(b, (degree.get(b) ?? 0) + 1);
      return [{ a: { node: a, ifname: `v${k}a` }, b: { node: b, ifname: `v${k}b` } }];
    });
    const r = validateTopology({
      schemaVersion: 1,
      namespaces: nodes.filter((n) => n.startsWith('ns')).map((name, i) => ({ name, position: at(i) })),
      bridges: nodes
        .filter((n) => n.startsWith('br'))
        .map((name, i) => ({ name, position: at(namespaces + i) })),
      links: chosen,
    });
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    return r.value;
  });

describe('routeEdges on labs built by the adapter', () => {
  it('routes every edge clear of the cards it does not connect, and places labels on no card and no other label (property)', () => {
    fc.assert(
      fc.property(randomLab, (document) => {
        const g = buildGraph({ document, observed: null, editable: true, pending: {}, local: {} });
        const routes = routeEdges(g.nodes, g.edges, { region: null, flowing: () => false });
        const cards = new Map(
          g.nodes.map((n) => [
            n.id,
            { x: n.position.x, y: n.position.y, width: n.width!, height: n.height! },
          ]),
        );
        const labels: Rect[] = [];
        for (const e of g.edges) {
          const route = routes.get(e.id);
          expect(route?.clear).toBe(true);
          for (const [a, b] of segments(route!.points))
            for (const [id, card] of cards)
              if (id !== e.source && id !== e.target) expect(segmentCrosses(card, a, b)).toBe(false);
          if (route!.label) {
            const size = edgeLabel(e.data!, null);
            labels.push({
              x: route!.label.x - size.width / 2,
              y: route!.label.y - size.height / 2,
              width: size.width,
              height: size.height,
            });
          }
        }
        labels.forEach((l, i) => {
          for (const card of cards.values()) expect(overlap(l, card)).toBe(false);
          labels.slice(i + 1).forEach((m) => expect(overlap(l, m)).toBe(false));
        });
      }),
      { numRuns: 150 },
    );
  });
});

describe('edgeLabel', () => {
  const end = (node: string, ifname: string) => ({ node, ifname, context: node });

  it('names both ends by node and interface, a loop’s node once', () => {
    expect(endNames({ a: end('br0', 'veth-ns1'), b: end('ns1', 'eth0') })).toBe('br0:veth-ns1 ⇄ ns1:eth0');
    expect(endNames({ a: end('ns0', 'vethfoo'), b: end('ns0', 'vethbar') })).toBe('ns0: vethfoo ⇄ vethbar');
  });

  it('shows a drift reason in full, wrapped, and says how many more there are', () => {
    const reason = 'eth0: address 10.0.2.1/24 missing, the kernel has 10.0.2.9/24 instead';
    const label = edgeLabel(
      {
        a: end('br0', 'p'),
        b: end('ns1', 'eth0'),
        state: 'drift',
        reasons: [reason, 'p: down', 'x: mtu 1400'],
      },
      null,
    );
    const reasonText = label.lines.filter((l) => l.tone === 'reason').map((l) => l.text);
    expect(reasonText.slice(0, -2).join(' ')).toBe(reason);
    expect(reasonText.at(-1)).toBe('+1 more: select the link');
    expect(label.title).toContain(reason);
    expect(label.height).toBe(label.lines.length * 16 + 8);
  });

  it('wraps words into lines no longer than asked, losing none (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[a-z0-9./:]{1,60}$/), { maxLength: 20 }),
        fc.integer({ min: 8, max: 50 }),
        (words, width) => {
          const lines = wrap(words.join(' '), width);
          for (const l of lines) expect(l.length).toBeLessThanOrEqual(width);
          expect(lines.join(' ').replace(/ /g, '')).toBe(words.join(''));
        },
      ),
    );
  });
});

describe('placeLabels', () => {
  it('keeps labels off cards, off each other and off other lines, and leaves out one with no room', () => {
    const cards = [
      { x: 0, y: 0, width: 264, height: 140 },
      { x: 0, y: 300, width: 264, height: 140 },
    ];
    const down = (x: number) => [
      { x, y: 140 },
      { x, y: 300 },
    ];
    const requests = [
      { id: 'a', points: down(100), width: 180, height: 24 },
      { id: 'b', points: down(110), width: 180, height: 24 },
      { id: 'c', points: down(120), width: 180, height: 170 },
    ];
    const placed = placeLabels(requests, new RectIndex(cards));
    const box = (id: string) => {
      const at = placed.get(id)!;
      return { x: at.x - 90, y: at.y - 12, width: 180, height: 24 };
    };
    const [a, b] = [box('a'), box('b')];
    expect(overlap(grow(a, 4), b)).toBe(false);
    for (const card of cards) for (const l of [a, b]) expect(overlap(grow(l, 4), card)).toBe(false);
    // a, placed first, found a spot beside its own line, clear of b's and c's.
    for (const x of [110, 120]) expect(segmentCrosses(a, { x, y: 140 }, { x, y: 300 })).toBe(false);
    // 170 high does not fit between the cards (160 apart), on the line or beside it.
    expect(placed.get('c')).toBeNull();
  });
});

describe('SharedLines', () => {
  it('makes a second route take the next channel over instead of running on top of the first', () => {
    const left = { x: 0, y: 0, width: 200, height: 100 };
    const middle = { x: 300, y: -100, width: 200, height: 300 };
    const right = { x: 600, y: 0, width: 200, height: 100 };
    const shared = new SharedLines();
    const route = (y: number) =>
      routeOrthogonal(
        { at: { x: 200, y }, side: 'R' },
        { at: { x: 600, y }, side: 'L' },
        [left, middle, right],
        {},
        shared,
      ).points;
    const first = route(40);
    shared.add(first);
    const second = route(44);
    // Measured here, not by SharedLines: no stretch of the second runs along one of the first.
    const along = ([a, b]: [Point, Point], [c, d]: [Point, Point]): number => {
      if (a.y === b.y && c.y === d.y && a.y === c.y)
        return (
          Math.min(Math.max(a.x, b.x), Math.max(c.x, d.x)) - Math.max(Math.min(a.x, b.x), Math.min(c.x, d.x))
        );
      if (a.x === b.x && c.x === d.x && a.x === c.x)
        return (
          Math.min(Math.max(a.y, b.y), Math.max(c.y, d.y)) - Math.max(Math.min(a.y, b.y), Math.min(c.y, d.y))
        );
      return 0;
    };
    for (const s2 of segments(second))
      for (const s1 of segments(first))
        expect(along(s2, s1), JSON.stringify({ s1, s2 })).toBeLessThanOrEqual(0);
  });
});
