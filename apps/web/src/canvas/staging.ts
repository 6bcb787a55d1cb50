import type { Viewport } from '@xyflow/react';
import { skeletonOf } from '../adapters/graph-skeleton';
import type { CanvasNode, Graph, VethEdge } from '../adapters/types';
import { meets, nodeRect, union, type Rect } from './routing/rects';

/**
 * Which nodes a large lab's canvas makes and hands React Flow first, and in what order the rest
 * follow (./use-staged.ts). A lab of more than FIT_ON_OPEN_MAX_NODES opens at 100% on its top-left
 * corner (./opening.ts), where ~20 of its cards are on screen: the first picture needs those, the
 * edges that cross the screen and the nodes at their other ends, not the 2,000 others
 * (docs/benchmarks.md, "First render at 2,000"). Pure: the hook decides when.
 */

/** A part of the lab's plane (flow coordinates). */
export type Area = Rect;

/** A node's box as the adapter places it (a node object, or the graph's skeleton's box). */
type Placed = { id: string } & Parameters<typeof nodeRect>[0];
/** An edge's two nodes. */
type Ends = { source: string; target: string };

/** Screen pixels around the opening view whose nodes come first too (a short pan shows them whole). */
export const NEAR_MARGIN = 200;
/** Nodes handed over per step after the first picture. */
export const CHUNK_NODES = 250;

/** The part of the lab's plane a viewport shows in a pane of `pane` size, grown by `margin` screen pixels. */
export function viewArea(view: Viewport, pane: { width: number; height: number }, margin: number): Area {
  const m = margin / view.zoom;
  return {
    x: -view.x / view.zoom - m,
    y: -view.y / view.zoom - m,
    width: pane.width / view.zoom + 2 * m,
    height: pane.height / view.zoom + 2 * m,
  };
}

/**
 * The nodes the first picture of `area` needs: those whose box meets it, and both ends of every
 * edge whose ends' common box meets it (React Flow draws such an edge, and only draws an edge
 * whose two nodes it has: a line crossing the screen between two nodes off it counts).
 */
export function openingIds(nodes: readonly Placed[], edges: readonly Ends[], area: Area): Set<string> {
  const boxes = new Map<string, Area>();
  const out = new Set<string>();
  for (const n of nodes) {
    const box = nodeRect(n);
    boxes.set(n.id, box);
    if (meets(box, area)) out.add(n.id);
  }
  for (const e of edges) {
    const a = boxes.get(e.source);
    const b = boxes.get(e.target);
    if (!a || !b || (out.has(e.source) && out.has(e.target))) continue;
    if (meets(union(a, b), area)) {
      out.add(e.source);
      out.add(e.target);
    }
  }
  return out;
}

/**
 * The other nodes, nearest to the area's centre first (what a pan from the opening view reaches
 * first), in steps of `size`; ties by id, so the order is the same on every page.
 */
export function laterChunks(
  nodes: readonly Placed[],
  first: ReadonlySet<string>,
  area: Area,
  size: number,
): string[][] {
  const cx = area.x + area.width / 2;
  const cy = area.y + area.height / 2;
  const rest: { id: string; d: number }[] = [];
  for (const n of nodes) {
    if (first.has(n.id)) continue;
    const b = nodeRect(n);
    const dx = b.x + b.width / 2 - cx;
    const dy = b.y + b.height / 2 - cy;
    rest.push({ id: n.id, d: dx * dx + dy * dy });
  }
  rest.sort((a, b) => a.d - b.d || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const step = Math.max(1, Math.floor(size));
  const out: string[][] = [];
  for (let i = 0; i < rest.length; i += step) out.push(rest.slice(i, i + step).map((r) => r.id));
  return out;
}

export interface Staged {
  nodes: CanvasNode[];
  edges: VethEdge[];
  /** Nodes of the graph not given yet (0 once all are). */
  held: number;
}

/**
 * The given nodes of `graph`, in its order, and the edges between them: only those are made
 * (the adapter makes each node and edge object when first asked for, adapters/graph-skeleton.ts).
 */
export function givenPart(graph: Graph, given: ReadonlySet<string>): Staged {
  const { boxes, links, node, edge } = skeletonOf(graph);
  const nodes: CanvasNode[] = [];
  for (const b of boxes) {
    const n = given.has(b.id) ? node(b.id) : undefined;
    if (n) nodes.push(n);
  }
  const edges: VethEdge[] = [];
  for (const l of links) {
    const e = given.has(l.source) && given.has(l.target) ? edge(l.id) : undefined;
    if (e) edges.push(e);
  }
  return { nodes, edges, held: boxes.length - nodes.length };
}
