import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  PLACE_GAP,
  crowds,
  findFreeSpot,
  placeNodes,
  type Box,
  type NodeKind,
} from '../src/adapters/placement';

// Where a node without a place goes: free space (never on a card, nor closer than the gap),
// inside what the person sees whenever there is room there, beside what it connects to.

const CARD = { width: 264, height: 140 };
const inside = (b: Box, view: Box) =>
  b.x >= view.x &&
  b.y >= view.y &&
  b.x + b.width <= view.x + view.width &&
  b.y + b.height <= view.y + view.height;

const boxArb = fc.record({
  x: fc.integer({ min: -1500, max: 1500 }),
  y: fc.integer({ min: -1000, max: 1000 }),
  width: fc.integer({ min: 40, max: 420 }),
  height: fc.integer({ min: 40, max: 300 }),
});
const sizeArb = fc.record({
  width: fc.integer({ min: 40, max: 420 }),
  height: fc.integer({ min: 40, max: 300 }),
});
const viewArb = fc.record({
  x: fc.double({ min: -800, max: 200, noNaN: true }),
  y: fc.double({ min: -600, max: 200, noNaN: true }),
  width: fc.double({ min: 300, max: 2200, noNaN: true }),
  height: fc.double({ min: 300, max: 1400, noNaN: true }),
});
const pointArb = fc.record({
  x: fc.integer({ min: -2000, max: 2000 }),
  y: fc.integer({ min: -1500, max: 1500 }),
});

describe('findFreeSpot', () => {
  it('the placed box overlaps no existing box (nor comes closer than the gap)', () => {
    fc.assert(
      fc.property(
        fc.array(boxArb, { maxLength: 40 }),
        sizeArb,
        pointArb,
        fc.option(viewArb, { nil: null }),
        (obstacles, size, target, view) => {
          const at = findFreeSpot({ size, obstacles, target, view });
          const placed = { ...at, ...size };
          for (const o of obstacles) expect(crowds(placed, o, PLACE_GAP)).toBe(false);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('it lies inside the viewport when there is room there', () => {
    // Room is made: a free place inside the view is chosen first, and every box near it dropped.
    fc.assert(
      fc.property(
        fc.array(boxArb, { maxLength: 40 }),
        sizeArb,
        pointArb,
        viewArb,
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (all, size, target, view, fx, fy) => {
          fc.pre(view.width >= size.width + 2 && view.height >= size.height + 2);
          const room = {
            x: Math.ceil(view.x) + Math.floor(fx * (Math.floor(view.width) - size.width - 2)),
            y: Math.ceil(view.y) + Math.floor(fy * (Math.floor(view.height) - size.height - 2)),
            ...size,
          };
          const obstacles = all.filter((o) => !crowds(room, o, PLACE_GAP));
          const at = findFreeSpot({ size, obstacles, target, view });
          const placed = { ...at, ...size };
          expect(inside(placed, view)).toBe(true);
          for (const o of obstacles) expect(crowds(placed, o, PLACE_GAP)).toBe(false);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('takes the target itself when it is free and in view', () => {
    const at = findFreeSpot({
      size: CARD,
      obstacles: [{ x: 0, y: 0, ...CARD }],
      target: { x: 500, y: 0 },
      view: { x: -100, y: -100, width: 1400, height: 900 },
    });
    expect(at).toEqual({ x: 500, y: 0 });
  });

  it('goes to the nearest free place beside a taken target, level with it', () => {
    const at = findFreeSpot({ size: CARD, obstacles: [{ x: 0, y: 0, ...CARD }], target: { x: 10, y: 10 } });
    // Beside the card (264 + 64 right of it), level with it: a row below counts double.
    expect(at).toEqual({ x: CARD.width + PLACE_GAP, y: 10 });
    expect(crowds({ ...at, ...CARD }, { x: 0, y: 0, ...CARD }, PLACE_GAP)).toBe(false);
  });

  it('stays out of view only when the view is full', () => {
    const view = { x: 0, y: 0, width: 600, height: 400 };
    const full = [{ x: 0, y: 0, width: 600, height: 400 }];
    const at = findFreeSpot({ size: CARD, obstacles: full, target: { x: 100, y: 100 }, view });
    expect(inside({ ...at, ...CARD }, view)).toBe(false);
    expect(crowds({ ...at, ...CARD }, full[0] as Box, PLACE_GAP)).toBe(false);
  });
});

describe('placeNodes', () => {
  const placed = (id: string, x: number, y: number, kind: NodeKind = 'card', size = CARD) =>
    [id, { x, y, ...size, kind }] as const;

  it('a namespace joined to a card lands right of it, level with it', () => {
    const known = new Map([placed('ns1', 0, 0)]);
    const out = placeNodes(known, [{ id: 'ns2', size: CARD, kind: 'card', neighbours: ['ns1'] }]);
    const at = out.get('ns2');
    expect(at?.y).toBe(0);
    expect(at?.x).toBeGreaterThan(CARD.width);
    expect(at?.x).toBeLessThan(CARD.width + 200);
  });

  it('a namespace joined to a bridge lands below it, beside the namespaces already there', () => {
    const bar = { width: 316, height: 76 };
    const known = new Map([placed('br0', 300, 0, 'bridge', bar), placed('ns1', 326, 196)]);
    const out = placeNodes(known, [{ id: 'ns2', size: CARD, kind: 'card', neighbours: ['br0'] }]);
    const at = out.get('ns2');
    expect(at?.y).toBe(196);
    expect(Math.abs((at?.x ?? 0) - 326)).toBe(CARD.width + PLACE_GAP);
  });

  it('places many, each clear of the others and of what was there; the same every time', () => {
    fc.assert(
      fc.property(
        fc.array(boxArb, { maxLength: 15 }),
        fc.array(fc.tuple(sizeArb, fc.array(fc.nat(30), { maxLength: 3 })), { minLength: 1, maxLength: 12 }),
        fc.option(viewArb, { nil: null }),
        (boxes, news, view) => {
          const known = new Map(boxes.map((b, i) => [`k${i}`, { ...b, kind: 'card' as const }]));
          const ids = [...known.keys(), ...news.map((_, i) => `n${i}`)];
          const unplaced = news.map(([size, links], i) => ({
            id: `n${i}`,
            size,
            kind: 'card' as const,
            neighbours: links.map((l) => ids[l % ids.length] as string),
          }));
          const out = placeNodes(known, unplaced, view);
          expect(out).toEqual(placeNodes(known, unplaced, view));
          expect([...out.keys()].sort()).toEqual(unplaced.map((u) => u.id).sort());
          const all: Box[] = [...known.values()];
          for (const u of unplaced) {
            const at = out.get(u.id);
            if (!at) throw new Error(`${u.id} not placed`);
            const box = { ...at, ...u.size };
            for (const other of all) expect(crowds(box, other, PLACE_GAP)).toBe(false);
            all.push(box);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('with nothing to stand beside and no view: rows below the picture, the lab root to its left', () => {
    const known = new Map([placed('ns1', 0, 0), placed('ns2', 400, 0)]);
    const out = placeNodes(known, [
      { id: 'root', size: CARD, kind: 'card', neighbours: [] },
      { id: 'a', size: CARD, kind: 'card', neighbours: [] },
      { id: 'b', size: CARD, kind: 'card', neighbours: [] },
    ]);
    expect(out.get('a')).toEqual({ x: 0, y: CARD.height + PLACE_GAP });
    expect(out.get('b')).toEqual({ x: CARD.width + PLACE_GAP, y: CARD.height + PLACE_GAP });
    expect((out.get('root')?.x ?? 0) + CARD.width).toBeLessThanOrEqual(-PLACE_GAP);
  });
});
