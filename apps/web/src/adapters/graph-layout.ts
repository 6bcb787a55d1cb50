import type { XYPosition } from '@xyflow/react';
import { ROOT, type Topology } from '@netcanvas/model';
import type { BridgeModel } from './graph-bridges';
import type { CardModel } from './graph-cards';
import { BRIDGE_HEIGHT, CARD_WIDTH, bridgeWidth, cardHeight } from './geometry';
import { fallbackPositions } from './placement';

type Size = { width: number; height: number };

/** Where each node is drawn, how big it is, and its centre (what an edge's side is chosen by). */
export interface Layout {
  at: (id: string) => XYPosition;
  sizeOf: (id: string) => Size;
  centre: (id: string) => XYPosition;
}

export interface Places {
  /** Dropped by this page but not confirmed yet: they win over the document's. */
  pending: Readonly<Record<string, XYPosition>>;
  /** Of nodes the document cannot hold (unmanaged namespaces; the root's from older pages). */
  local: Readonly<Record<string, XYPosition>>;
}

function sizesOf(cards: CardModel[], bridges: BridgeModel[]): Map<string, Size> {
  const sizes = new Map<string, Size>();
  for (const c of cards) sizes.set(c.id, { width: CARD_WIDTH, height: cardHeight(c.rows.length) });
  for (const b of bridges)
    sizes.set(b.br.name, { width: bridgeWidth(b.ports.length), height: BRIDGE_HEIGHT });
  return sizes;
}

/** Positions: the page's pending, the document's, the page's local; a place near the others for what has none. */
export function layoutGraph(
  doc: Topology,
  places: Places,
  cards: CardModel[],
  bridges: BridgeModel[],
): Layout {
  const docPosition = new Map<string, XYPosition | undefined>([
    [ROOT, doc.rootPosition],
    ...doc.namespaces.map((n) => [n.name, n.position] as const),
    ...doc.bridges.map((b) => [b.name, b.position] as const),
  ]);
  const sizes = sizesOf(cards, bridges);
  const known = new Map<string, XYPosition>();
  for (const id of sizes.keys()) {
    const p = places.pending[id] ?? docPosition.get(id) ?? places.local[id];
    if (p) known.set(id, p);
  }
  const positions = fallbackPositions(known, sizes, [
    ...cards.filter((c) => c.kind === 'root').map((c) => c.id),
    ...[...sizes.keys()].filter((id) => id !== ROOT),
  ]);
  const at = (id: string): XYPosition => positions.get(id) ?? { x: 0, y: 0 };
  const sizeOf = (id: string): Size => sizes.get(id) ?? { width: 0, height: 0 };
  const centre = (id: string): XYPosition => {
    const p = at(id);
    const s = sizeOf(id);
    return { x: p.x + s.width / 2, y: p.y + s.height / 2 };
  };
  return { at, sizeOf, centre };
}
