import type { XYPosition } from '@xyflow/react';
import { ROOT } from '@netcanvas/model';

export type Size = { width: number; height: number };
export type Box = XYPosition & Size;

/** Room kept between a placed card and every other: a line and its label pass between them. */
export const PLACE_GAP = 64;
/** How far below a bridge a new namespace on it goes (the next row of the picture). */
const BELOW_GAP = 120;
const PER_ROW = 4;
/** How much more a place above or below the target costs than one beside it. */
const ROW_WEIGHT = 2;

/** True when `a` and `b` are closer than `gap` (or overlap); exactly `gap` apart is fine. */
export function crowds(a: Box, b: Box, gap: number): boolean {
  return (
    a.x < b.x + b.width + gap &&
    b.x < a.x + a.width + gap &&
    a.y < b.y + b.height + gap &&
    b.y < a.y + a.height + gap
  );
}

export interface FreeSpotQuery {
  size: Size;
  /** Boxes already on the canvas. */
  obstacles: readonly Box[];
  /** Where the box's top-left corner would ideally go (next to what it connects to). */
  target: XYPosition;
  /** What the person sees, in flow coordinates: the box stays inside it whenever it fits there. */
  view?: Box | null;
  gap?: number;
}

/**
 * The free place nearest to `target` (a step up or down counting double) for a box of `size`: at
 * least `gap` from every obstacle,
 * inside `view` when any such place is, else anywhere. Exhaustive, not a guess: a free place can
 * always slide up until it touches an obstacle's gap or the view's top, so trying every such
 * height, with every free stretch along it, finds one whenever one exists.
 */
export function findFreeSpot(q: FreeSpotQuery): XYPosition {
  const gap = q.gap ?? PLACE_GAP;
  // Whole pixels (the document's positions are), so a place found is exactly the place kept.
  const target = { x: Math.round(q.target.x), y: Math.round(q.target.y) };
  const view = q.view ? inward(q.view) : null;
  if (view && view.width >= q.size.width && view.height >= q.size.height) {
    const inside = nearestFree(q, target, gap, view);
    if (inside) return inside;
  }
  // Unbounded, a free stretch always exists at every height: this never fails.
  return nearestFree(q, target, gap, null) ?? target;
}

/** The whole-pixel box inside `b`. */
function inward(b: Box): Box {
  const x = Math.ceil(b.x);
  const y = Math.ceil(b.y);
  return { x, y, width: Math.floor(b.x + b.width) - x, height: Math.floor(b.y + b.height) - y };
}

function nearestFree(q: FreeSpotQuery, target: XYPosition, gap: number, view: Box | null): XYPosition | null {
  const { width: w, height: h } = q.size;
  const minY = view ? view.y : -Infinity;
  const maxY = view ? view.y + view.height - h : Infinity;
  const minX = view ? view.x : -Infinity;
  const maxX = view ? view.x + view.width - w : Infinity;
  const heights = new Set<number>([target.y]);
  if (view) heights.add(minY).add(maxY);
  for (const o of q.obstacles)
    heights
      .add(o.y + o.height + gap)
      .add(o.y - h - gap)
      .add(o.y);
  // Nearest heights first: once a place is found, a height farther than it cannot do better.
  const ys = [...heights]
    .map((y) => Math.min(maxY, Math.max(minY, y)))
    .sort((a, b) => Math.abs(a - target.y) - Math.abs(b - target.y));
  let best: XYPosition | null = null;
  let bestDistance = Infinity;
  for (const y of ys) {
    // A step up or down counts double: a new card joins the row it was meant for (beside a
    // bridge's other namespaces, level with the card whose veth it shares) before a row below.
    const dy = ROW_WEIGHT * (y - target.y);
    if (dy * dy >= bestDistance) break;
    const x = nearestFreeX(q.obstacles, { y, w, h, gap }, target.x, minX, maxX);
    if (x === null) continue;
    const d = (x - target.x) ** 2 + dy * dy;
    if (d < bestDistance) {
      bestDistance = d;
      best = { x, y };
    }
  }
  return best;
}

/** Along the line at height `y`: the x nearest `tx` in [minX, maxX] where the box crowds nothing. */
function nearestFreeX(
  obstacles: readonly Box[],
  band: { y: number; w: number; h: number; gap: number },
  tx: number,
  minX: number,
  maxX: number,
): number | null {
  const { y, w, h, gap } = band;
  // Each obstacle level with the box forbids the open interval of left edges that would crowd it.
  const blocked: [number, number][] = [];
  for (const o of obstacles)
    if (o.y < y + h + gap && y < o.y + o.height + gap) blocked.push([o.x - w - gap, o.x + o.width + gap]);
  blocked.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [from, to] of blocked) {
    const last = merged.at(-1);
    if (last && from < last[1]) last[1] = Math.max(last[1], to);
    else merged.push([from, to]);
  }
  const clamp = (x: number) => Math.min(maxX, Math.max(minX, x));
  const candidates = [clamp(tx), minX, maxX, ...merged.flat()].filter(
    (x) => Number.isFinite(x) && x >= minX && x <= maxX,
  );
  let best: number | null = null;
  for (const x of candidates) {
    if (merged.some(([from, to]) => x > from && x < to)) continue;
    // Equally near: the right (a card's new peer goes right of it, as a line is read).
    const d = Math.abs(x - tx);
    if (best === null || d < Math.abs(best - tx) || (d === Math.abs(best - tx) && x > best)) best = x;
  }
  return best;
}

export type NodeKind = 'card' | 'bridge';

/**
 * Where a new node would ideally go, next to what it connects to: below a bridge (namespaces hang
 * off bridges); on a card itself, so the nearest free place is right against it, beside it (the
 * two rows face each other) on whichever side is free, else above or below it. Joined to several,
 * between them.
 */
export function besideTarget(
  size: Size,
  neighbours: readonly (Box & { kind: NodeKind })[],
): XYPosition | null {
  const [first] = neighbours;
  if (!first) return null;
  if (neighbours.length > 1) {
    const cx = neighbours.reduce((s, n) => s + n.x + n.width / 2, 0) / neighbours.length;
    const cy = neighbours.reduce((s, n) => s + n.y + n.height / 2, 0) / neighbours.length;
    return { x: cx - size.width / 2, y: cy - size.height / 2 };
  }
  if (first.kind === 'bridge')
    return { x: first.x + first.width / 2 - size.width / 2, y: first.y + first.height + BELOW_GAP };
  return { x: first.x, y: first.y };
}

export interface Unplaced {
  id: string;
  size: Size;
  kind: NodeKind;
  /** The nodes it has a veth to. */
  neighbours: readonly string[];
}

type Placed = Box & { kind: NodeKind };

/**
 * Places every node without a place, one by one, each then an obstacle for the next: next to a
 * placed node it connects to, in free space (inside `view` when there is room). A group connected
 * to nothing placed starts from its first node, placed as a loose one. A loose node (connected to
 * nothing) goes in the view's free space when a view is given, else in rows below the picture
 * (the lab's root: left of it), which costs nothing however many there are.
 * Deterministic: the same inputs give the same places, so pages that compute them agree.
 */
export function placeNodes(
  known: ReadonlyMap<string, Placed>,
  unplaced: readonly Unplaced[],
  view: Box | null = null,
): Map<string, XYPosition> {
  const boxes = new Map(known);
  const out = new Map<string, XYPosition>();
  const put = (node: Unplaced, at: XYPosition) => {
    out.set(node.id, at);
    boxes.set(node.id, { ...at, ...node.size, kind: node.kind });
  };
  const rows = belowAll(boxes);
  const placeLoose = (node: Unplaced) => {
    const bounds = boundsOf([...boxes.values()]);
    const target =
      node.id === ROOT && bounds
        ? { x: bounds.x - node.size.width - 2 * PLACE_GAP, y: bounds.y }
        : view
          ? {
              x: view.x + (view.width - node.size.width) / 2,
              y: view.y + (view.height - node.size.height) / 2,
            }
          : null;
    put(
      node,
      target
        ? findFreeSpot({ size: node.size, obstacles: [...boxes.values()], target, view })
        : rows(node.size),
    );
  };
  let waiting = [...unplaced];
  while (waiting.length > 0) {
    // Beside what they connect to, in passes: each one placed may anchor the next.
    const ready = waiting.filter((n) => n.neighbours.some((m) => boxes.has(m)));
    for (const node of ready) {
      const neighbours = node.neighbours.flatMap((m) => boxes.get(m) ?? []);
      const target = besideTarget(node.size, neighbours) ?? { x: 0, y: 0 };
      put(node, findFreeSpot({ size: node.size, obstacles: [...boxes.values()], target, view }));
    }
    waiting = waiting.filter((n) => !out.has(n.id));
    if (ready.length > 0) continue;
    // Nothing left beside anything placed: a group's first node starts it, or the loose ones go.
    const starter = waiting.find((n) => n.neighbours.length > 0);
    if (!starter) break;
    placeLoose(starter);
    waiting = waiting.filter((n) => n !== starter);
  }
  // The lab's root last: it goes left of everything, the rows included.
  for (const node of waiting) if (node.id !== ROOT) placeLoose(node);
  for (const node of waiting) if (node.id === ROOT) placeLoose(node);
  return out;
}

/**
 * Rows of PER_ROW below every box (left-aligned with them): nothing is there, so no search. A row
 * that something placed since would crowd ends early: the next row is below that too.
 */
function belowAll(boxes: ReadonlyMap<string, Box>): (size: Size) => XYPosition {
  let inRow = PER_ROW;
  let row = { x: 0, y: 0, height: 0 };
  let x = 0;
  return (size) => {
    const next = { x, y: row.y, ...size };
    if (inRow < PER_ROW && [...boxes.values()].some((b) => crowds(next, b, PLACE_GAP))) inRow = PER_ROW;
    if (inRow === PER_ROW) {
      const bounds = boundsOf([...boxes.values()]);
      row = bounds
        ? { x: bounds.x, y: bounds.y + bounds.height + PLACE_GAP, height: 0 }
        : { x: 0, y: 0, height: 0 };
      x = row.x;
      inRow = 0;
    }
    const at = { x, y: row.y };
    x += size.width + PLACE_GAP;
    inRow++;
    return at;
  };
}

function boundsOf(boxes: readonly Box[]): Box | null {
  if (boxes.length === 0) return null;
  const x = Math.min(...boxes.map((b) => b.x));
  const y = Math.min(...boxes.map((b) => b.y));
  const right = Math.max(...boxes.map((b) => b.x + b.width));
  const bottom = Math.max(...boxes.map((b) => b.y + b.height));
  return { x, y, width: right - x, height: bottom - y };
}
