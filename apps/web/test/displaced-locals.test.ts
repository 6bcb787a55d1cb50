import { describe, expect, it } from 'vitest';
import { validateTopology, type Topology } from '@netcanvas/model';
import type { CardModel } from '../src/adapters/graph-cards';
import { displacedLocals, layoutGraph } from '../src/adapters/graph-layout';

/**
 * A namespace made by hand keeps its place in this browser (`local`). One released by a lesson
 * step's start, or kept after an undo, keeps the place it had while it was the document's, where
 * the lab may now draw something else: it is placed again, in free space, never over a card.
 */

const card = (id: string, kind: CardModel['kind'] = 'namespace'): CardModel => ({
  id,
  kind,
  name: id,
  context: id,
  ifnames: ['lo', 'eth0'],
  details: () => {
    throw new Error('not needed');
  },
});

function doc(): Topology {
  const v = validateTopology({
    schemaVersion: 1,
    namespaces: [
      { name: 'h0', position: { x: 100, y: 100 } },
      { name: 'h1', position: { x: 400, y: 100 } },
    ],
  });
  if (!v.ok) throw new Error(JSON.stringify(v.issues));
  return v.value;
}

const intersect = (a: { x: number; y: number; w: number; h: number }, b: typeof a) =>
  a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

describe('places kept in this browser for namespaces made by hand', () => {
  it('one over a card of the document, or over another kept before it, is placed again in free space', () => {
    const places = {
      pending: {},
      // ns0 where h0 is now; ns1 exactly where ns0 was; far: nowhere near anything.
      local: { ns0: { x: 110, y: 120 }, ns1: { x: 110, y: 120 }, far: { x: 2_000, y: 2_000 } },
    };
    const cards = ['h0', 'h1', 'ns0', 'ns1', 'far'].map((id) =>
      card(id, id.startsWith('h') ? 'namespace' : 'foreign'),
    );
    const layout = layoutGraph(doc(), places, cards, []);
    const size = layout.sizeOf('h0');
    expect(displacedLocals(doc(), places, () => size)).toEqual(new Set(['ns0', 'ns1']));
    const boxes = cards.map((c) => ({
      id: c.id,
      ...layout.at(c.id),
      w: layout.sizeOf(c.id).width,
      h: layout.sizeOf(c.id).height,
    }));
    for (const a of boxes)
      for (const b of boxes) if (a.id < b.id) expect(intersect(a, b), `${a.id} over ${b.id}`).toBe(false);
    // The document's cards and the one kept clear of them stay where they were.
    expect(layout.at('h0')).toEqual({ x: 100, y: 100 });
    expect(layout.at('far')).toEqual({ x: 2_000, y: 2_000 });
  });
});
