import { sideFacing } from '../../adapters/edge-sides';
import { handleId } from '../../adapters/geometry';
import type { CanvasNode, VethEdge } from '../../adapters/types';
import { edgeLabel } from './edge-label';
import { placeLabels, type LabelRequest } from './label-placement';
import { routeOrthogonal, type RouteEnd } from './orthogonal-router';
import { RectIndex, grow, nodeRect, overlap, segmentCrosses, union, type Point, type Rect } from './rects';
import { SharedLines } from './shared-lines';

/** One edge as drawn: its route (handle to handle) and its label's centre, or null (no room: on hover). */
export interface EdgeRoute {
  points: Point[];
  /** False when no route could avoid every card (nodes overlap): drawn anyway. */
  clear: boolean;
  label: Point | null;
}

export interface RouteScope {
  /** The part of the canvas in view (flow coordinates): only edges that may show there are routed. */
  region: Rect | null;
  /** Edges whose traffic line is shown (it makes the label taller). */
  flowing: (edge: VethEdge) => boolean;
}

type NodeBox = Rect & { id: string };
/** Cards this far from an edge's ends are obstacles to it from the start; farther ones only when hit. */
const WINDOW = 160;
/** A loop (both ends on one node) reaches this far out, so it reads as a loop and has room for its label. */
const LOOP_STUB = 36;
/** How many times a route is redone with the cards it crossed before it is given up as not clear. */
const MAX_ROUNDS = 6;
/** Cards this far out of the view still count as obstacles. */
const OBSTACLE_MARGIN = 1024;
/** An edge is routed when its nodes' box comes this close to the region in view. */
const REGION_MARGIN = 64;

const boxOf = (n: CanvasNode): NodeBox => ({ id: n.id, ...nodeRect(n) });

/** The end of `edge` on `node`, on the side facing `other`, where its handle is. */
function endOf(node: CanvasNode, box: Rect, other: Rect, ifname: string, loop: boolean): RouteEnd | null {
  const side = sideFacing(node.type === 'bridge' ? 'port' : 'row', box, other, loop);
  const handle = node.handles?.find((h) => h.id === handleId(ifname, side));
  if (!handle) return null;
  const at = {
    x: box.x + handle.x + (handle.width ?? 0) / 2,
    y: box.y + handle.y + (handle.height ?? 0) / 2,
  };
  return { at, side };
}

/** Cards a route passes through that it was not told about (it only knew those near its ends). */
function missed(points: Point[], cards: RectIndex<NodeBox>, known: Set<string>): NodeBox[] {
  const hit = new Map<string, NodeBox>();
  for (let i = 1; i < points.length; i++) {
    const [a, b] = [points[i - 1]!, points[i]!];
    const span = union({ ...a, width: 0, height: 0 }, { ...b, width: 0, height: 0 });
    for (const c of cards.near(span)) if (!known.has(c.id) && segmentCrosses(c, a, b)) hit.set(c.id, c);
  }
  return [...hit.values()];
}

/**
 * Routes one edge around the cards near it, adding any card the route still crossed and routing
 * again, a few times over; a route that still crosses one then is not clear.
 */
function routeOne(
  from: RouteEnd,
  to: RouteEnd,
  loop: boolean,
  cards: RectIndex<NodeBox>,
  shared: SharedLines,
) {
  const ends = grow(union({ ...from.at, width: 0, height: 0 }, { ...to.at, width: 0, height: 0 }), WINDOW);
  const obstacles = cards.near(ends).filter((c) => overlap(c, ends));
  const known = new Set(obstacles.map((o) => o.id));
  const options = loop ? { stub: LOOP_STUB } : {};
  let route = routeOrthogonal(from, to, obstacles, options, shared);
  for (let round = 0; route.clear; round++) {
    const more = missed(route.points, cards, known);
    if (more.length === 0) break;
    if (round === MAX_ROUNDS) route = { ...route, clear: false };
    else {
      for (const m of more) known.add(m.id);
      obstacles.push(...more);
      route = routeOrthogonal(from, to, obstacles, options, shared);
    }
  }
  shared.add(route.points);
  return route;
}

/** Labels that say more (drift, made by hand, a duplicate address) get the first pick of room. */
const urgency = (e: VethEdge): number =>
  e.data?.state === 'drift' || e.data?.state === 'unmanaged' || e.data?.warnings ? 0 : 1;

/** Every edge that may show in `scope.region`: its route around the cards, and its label's place. */
export function routeEdges(
  nodes: readonly CanvasNode[],
  edges: readonly VethEdge[],
  scope: RouteScope,
): Map<string, EdgeRoute> {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  // Cards far out of view are no obstacles (a line crossing one there is not seen; it is routed
  // again when the view gets there): a 2,000-namespace lab indexes only the few in view.
  const near = scope.region && grow(scope.region, OBSTACLE_MARGIN);
  const boxes = nodes.map(boxOf);
  const cards = new RectIndex<NodeBox>(near ? boxes.filter((b) => overlap(b, near)) : boxes);
  const routes = new Map<string, Omit<EdgeRoute, 'label'>>();
  const labels: (LabelRequest & { urgency: number })[] = [];
  const shared = new SharedLines();
  for (const e of edges) {
    const [s, t] = [byId.get(e.source), byId.get(e.target)];
    if (!s || !t || !e.data) continue;
    const [sb, tb] = [boxOf(s), boxOf(t)];
    if (scope.region && !overlap(grow(union(sb, tb), REGION_MARGIN), scope.region)) continue;
    const loop = s.id === t.id;
    const from = endOf(s, sb, tb, e.data.a.ifname, loop);
    const to = endOf(t, tb, sb, e.data.b.ifname, loop);
    if (!from || !to) continue;
    const route = routeOne(from, to, loop, cards, shared);
    routes.set(e.id, route);
    const size = edgeLabel(e.data, scope.flowing(e) ? '' : null);
    labels.push({
      id: e.id,
      points: route.points,
      width: size.width,
      height: size.height,
      urgency: urgency(e),
    });
  }
  labels.sort((a, b) => a.urgency - b.urgency);
  const placed = placeLabels(labels, cards);
  const out = new Map<string, EdgeRoute>();
  for (const [id, r] of routes) out.set(id, { ...r, label: placed.get(id) ?? null });
  return out;
}
