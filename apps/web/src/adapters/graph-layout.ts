import type { XYPosition } from '@xyflow/react';
import { ROOT, type Topology } from '@netcanvas/model';
import type { BridgeModel } from './graph-bridges';
import type { CardModel } from './graph-cards';
import { BRIDGE_HEIGHT, CARD_WIDTH, bridgeWidth, cardHeight } from './geometry';
import { crowds, placeNodes, type Box, type NodeKind, type Unplaced } from './placement';

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

/**
 * Above this many nodes without a place, they go in rows below the picture instead of each
 * being fitted beside its neighbour (a search over every card each): a document with no
 * positions at all (recovered from the kernel, written by hand) opens at once, and the editor's
 * page lays it out (canvas/use-place-new.ts).
 */
export const SEARCH_MAX = 60;

function sizesOf(cards: CardModel[], bridges: BridgeModel[]): Map<string, Size & { kind: NodeKind }> {
  const sizes = new Map<string, Size & { kind: NodeKind }>();
  for (const c of cards)
    sizes.set(c.id, { width: CARD_WIDTH, height: cardHeight(c.ifnames.length), kind: 'card' });
  for (const b of bridges)
    sizes.set(b.br.name, { width: bridgeWidth(b.ports.length), height: BRIDGE_HEIGHT, kind: 'bridge' });
  return sizes;
}

/** The places kept for nodes: the page's pending, the document's, the page's local (in that order). */
export function savedPositions(doc: Topology, places: Places): Map<string, XYPosition> {
  const out = new Map<string, XYPosition>();
  for (const [id, p] of Object.entries(places.local)) out.set(id, p);
  if (doc.rootPosition) out.set(ROOT, doc.rootPosition);
  for (const n of doc.namespaces) if (n.position) out.set(n.name, n.position);
  for (const b of doc.bridges) if (b.position) out.set(b.name, b.position);
  for (const [id, p] of Object.entries(places.pending)) out.set(id, p);
  return out;
}

/**
 * The nodes whose place this browser keeps (namespaces made by hand, `places.local`) that would
 * be drawn over another node: a namespace released by a lesson step's start or kept after an
 * undo keeps the place it had, where the lab now draws something else; a place kept here from
 * before may lie where the document has since put a node. The document's places (and the page's
 * pending ones) win; each local place is checked against those and the local places kept before it.
 * Such a node is placed again, in free space beside what it connects to.
 */
export function displacedLocals(
  doc: Topology,
  places: Places,
  sizeOf: (id: string) => Size | undefined,
): Set<string> {
  const ids = Object.keys(places.local);
  if (ids.length === 0) return new Set();
  const ruling = savedPositions(doc, { pending: places.pending, local: {} });
  const kept: Box[] = [];
  for (const [id, p] of ruling) {
    const size = sizeOf(id);
    if (size) kept.push({ ...p, ...size });
  }
  const out = new Set<string>();
  for (const id of ids) {
    const p = places.local[id];
    const size = sizeOf(id);
    if (!p || !size || ruling.has(id)) continue;
    const box = { ...p, ...size };
    if (kept.some((k) => crowds(box, k, 0))) out.add(id);
    else kept.push(box);
  }
  return out;
}

/**
 * Positions: the saved ones (see savedPositions); for a node without one, a free place beside
 * what it connects to (adapters/placement.ts), the same on every page.
 */
export function layoutGraph(
  doc: Topology,
  places: Places,
  cards: CardModel[],
  bridges: BridgeModel[],
  /** Asked for only when a few nodes need a place beside what they connect to. */
  neighboursOf: () => ReadonlyMap<string, readonly string[]> = () => new Map(),
): Layout {
  const sizes = sizesOf(cards, bridges);
  const saved = savedPositions(doc, places);
  for (const id of displacedLocals(doc, places, (id) => sizes.get(id))) saved.delete(id);
  const known = new Map<string, Box & { kind: NodeKind }>();
  const unplaced: Unplaced[] = [];
  for (const id of sizes.keys()) {
    const size = sizes.get(id);
    if (!size) continue;
    const p = saved.get(id);
    if (p) known.set(id, { ...p, ...size });
    else unplaced.push({ id, size, kind: size.kind, neighbours: [] });
  }
  if (unplaced.length > 0 && unplaced.length <= SEARCH_MAX) {
    const neighbours = neighboursOf();
    for (const n of unplaced) n.neighbours = neighbours.get(n.id) ?? [];
  }
  const placed = placeNodes(known, unplaced);
  const at = (id: string): XYPosition => {
    const k = known.get(id);
    return k ? { x: k.x, y: k.y } : (placed.get(id) ?? { x: 0, y: 0 });
  };
  const sizeOf = (id: string): Size => sizes.get(id) ?? { width: 0, height: 0 };
  const centre = (id: string): XYPosition => {
    const p = at(id);
    const s = sizeOf(id);
    return { x: p.x + s.width / 2, y: p.y + s.height / 2 };
  };
  return { at, sizeOf, centre };
}
