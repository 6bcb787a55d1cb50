import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CanvasNode, VethEdge } from '../src/adapters/types';
import { meets, union } from '../src/canvas/routing/rects';
import { CHUNK_NODES, laterChunks, openingIds, viewArea, type Area } from '../src/canvas/staging';

// Which nodes a large lab's canvas hands React Flow for its first picture, and the order of the
// rest (canvas/staging.ts): every node and edge that may show in the opening view comes first,
// and every other node follows exactly once, nearest first.

const node = (id: string, x: number, y: number, width = 264, height = 180): CanvasNode =>
  ({ id, type: 'card', position: { x, y }, width, height, data: {} }) as unknown as CanvasNode;
const edge = (source: string, target: string): VethEdge =>
  ({ id: `${source}-${target}`, type: 'veth', source, target }) as VethEdge;

const box = (n: CanvasNode): Area => ({ ...n.position, width: n.width!, height: n.height! });

const labArb = fc
  .array(
    fc.record({
      x: fc.integer({ min: -3000, max: 3000 }),
      y: fc.integer({ min: -3000, max: 3000 }),
      w: fc.integer({ min: 40, max: 400 }),
      h: fc.integer({ min: 40, max: 400 }),
    }),
    { minLength: 1, maxLength: 60 },
  )
  .chain((places) =>
    fc.record({
      nodes: fc.constant(places.map((p, i) => node(`n${i}`, p.x, p.y, p.w, p.h))),
      edges: fc.array(
        fc
          .tuple(fc.nat(places.length - 1), fc.nat(places.length - 1))
          .map(([a, b]) => edge(`n${a}`, `n${b}`)),
        { maxLength: 80 },
      ),
      area: fc.record({
        x: fc.integer({ min: -2000, max: 2000 }),
        y: fc.integer({ min: -2000, max: 2000 }),
        width: fc.integer({ min: 1, max: 2000 }),
        height: fc.integer({ min: 1, max: 2000 }),
      }),
      size: fc.integer({ min: 1, max: 25 }),
    }),
  );

describe('the opening view of a large lab', () => {
  it('is the viewport over the pane, grown by the margin in screen pixels', () => {
    expect(viewArea({ x: 64, y: 48, zoom: 1 }, { width: 1600, height: 1000 }, 0)).toEqual({
      x: -64,
      y: -48,
      width: 1600,
      height: 1000,
    });
    expect(viewArea({ x: -100, y: 0, zoom: 2 }, { width: 800, height: 600 }, 100)).toEqual({
      x: 0,
      y: -50,
      width: 500,
      height: 400,
    });
  });

  it('first: every node in the area and both ends of every edge crossing it; nothing else', () => {
    fc.assert(
      fc.property(labArb, ({ nodes, edges, area }) => {
        const first = openingIds(nodes, edges, area);
        const byId = new Map(nodes.map((n) => [n.id, n]));
        const needed = new Set(nodes.filter((n) => meets(box(n), area)).map((n) => n.id));
        for (const e of edges)
          if (meets(union(box(byId.get(e.source)!), box(byId.get(e.target)!)), area)) {
            needed.add(e.source);
            needed.add(e.target);
          }
        expect([...first].sort()).toEqual([...needed].sort());
      }),
    );
  });

  it('later: every other node exactly once, nearest the view first, in steps of the size', () => {
    fc.assert(
      fc.property(labArb, ({ nodes, edges, area, size }) => {
        const first = openingIds(nodes, edges, area);
        const chunks = laterChunks(nodes, first, area, size);
        const later = chunks.flat();
        expect(new Set(later).size).toBe(later.length);
        expect(later.some((id) => first.has(id))).toBe(false);
        expect(first.size + later.length).toBe(nodes.length);
        for (const c of chunks.slice(0, -1)) expect(c.length).toBe(size);
        const centre = { x: area.x + area.width / 2, y: area.y + area.height / 2 };
        const byId = new Map(nodes.map((n) => [n.id, n]));
        const d = (id: string) => {
          const b = box(byId.get(id)!);
          return (b.x + b.width / 2 - centre.x) ** 2 + (b.y + b.height / 2 - centre.y) ** 2;
        };
        for (let i = 1; i < later.length; i++) expect(d(later[i - 1]!)).toBeLessThanOrEqual(d(later[i]!));
      }),
    );
  });

  it('at 2,000 namespaces opened on the top-left corner, the first picture needs a few dozen of them', () => {
    // The bench's lab (apps/web/src/bench/lab.ts): a 50 × 40 grid in snake order, a ring of veths.
    const cols = 50;
    const nodes = Array.from({ length: 2000 }, (_, i) => {
      const row = Math.floor(i / cols);
      const col = row % 2 === 0 ? i % cols : cols - 1 - (i % cols);
      return node(`ns${i}`, col * 328, row * 244);
    });
    const edges = nodes.map((n, i) => edge(n.id, nodes[(i + 1) % nodes.length]!.id));
    const area = viewArea({ x: 64, y: 48, zoom: 1 }, { width: 1600, height: 1000 }, 200);
    const first = openingIds(nodes, edges, area);
    expect(first.size).toBeGreaterThan(20);
    expect(first.size).toBeLessThan(60);
    // The ring's last link runs from the bottom-left corner up the screen's left edge to ns0.
    expect(first.has('ns1999')).toBe(true);
    const chunks = laterChunks(nodes, first, area, CHUNK_NODES);
    expect(chunks.flat()).toHaveLength(2000 - first.size);
    // Nearest first: the card just below the view (row 5, column 2) is in the first step, the far
    // corner (row 39, column 49) in the last.
    expect(chunks[0]![0]).toBe('ns297');
    expect(chunks.at(-1)).toContain('ns1950');
  });
});
