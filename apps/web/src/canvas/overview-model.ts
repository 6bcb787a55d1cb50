import type { Viewport } from '@xyflow/react';
import type { CanvasNode, EdgeState, EndRef, VethEdge } from '../adapters/types';

/**
 * The overview: what the canvas draws below the zoom where cards become plain boxes, on one
 * `<canvas>` instead of one DOM node per namespace and one `<svg>` per veth (docs/benchmarks.md,
 * "Canvas at 2,000"). Pure: the scene is made once per picture from the adapter's nodes and edges,
 * and each frame asks which of its items the viewport shows and how (OverviewLayer draws them).
 * Everything here is in the canvas's own units (React Flow's flow coordinates) unless it says screen.
 */

/** A node's look: its kind, or drift over everything (a word for it lives in the inspector). */
export type BoxTone = 'namespace' | 'root' | 'foreign' | 'bridge' | 'drift';
/** The node's interfaces at a glance: all up, some down (or missing), or anything differing from the document. */
export type BoxStatus = 'up' | 'down' | 'drift';

export interface OverviewBox {
  id: string;
  x: number;
  y: number;
  w: number;
  h: number;
  label: string;
  tone: BoxTone;
  status: BoxStatus;
}

export interface OverviewEdge {
  id: string;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  state: EdgeState;
  /** One end, whose rate says whether traffic flows (the rates store is keyed by context and ifname). */
  end: EndRef | null;
  /** Both ends on one node (vethfoo ⇄ vethbar): drawn as a small loop beside it. */
  loop: boolean;
  /** For a loop, the way out of its node's side (a unit step); zero otherwise. */
  outX: number;
  outY: number;
}

export interface OverviewScene {
  boxes: OverviewBox[];
  edges: OverviewEdge[];
  byId: ReadonlyMap<string, OverviewBox>;
}

function boxStatus(node: CanvasNode): BoxStatus {
  if (node.data.drift.length > 0) return 'drift';
  const rows = node.type === 'card' ? node.data.rows : node.data.ports;
  if (rows.some((r) => r.drift.length > 0)) return 'drift';
  if (node.type === 'bridge' && node.data.state !== 'up') return 'down';
  return rows.some((r) => r.state !== 'up') ? 'down' : 'up';
}

function boxOf(node: CanvasNode): OverviewBox {
  const status = boxStatus(node);
  const tone: BoxTone =
    node.data.drift.length > 0 ? 'drift' : node.type === 'bridge' ? 'bridge' : node.data.kind;
  return {
    id: node.id,
    x: node.position.x,
    y: node.position.y,
    w: node.width ?? node.measured?.width ?? 0,
    h: node.height ?? node.measured?.height ?? 0,
    label: node.data.name,
    tone,
    status,
  };
}

/** Where an edge meets its node: the centre of the handle it names (the sizes are given up front). */
function handlePoint(node: CanvasNode, handle: string | null | undefined): { x: number; y: number } {
  const h = handle ? node.handles?.find((c) => c.id === handle) : undefined;
  if (!h) return { x: node.position.x + (node.width ?? 0) / 2, y: node.position.y + (node.height ?? 0) / 2 };
  return { x: node.position.x + h.x + (h.width ?? 0) / 2, y: node.position.y + h.y + (h.height ?? 0) / 2 };
}

/** The side of its node a point is on, as a unit step out of it (cards: left or right; bridges: top or bottom). */
function outward(node: CanvasNode, p: { x: number; y: number }): { x: number; y: number } {
  const w = node.width ?? 1;
  const h = node.height ?? 1;
  const dx = (p.x - node.position.x - w / 2) / w;
  const dy = (p.y - node.position.y - h / 2) / h;
  return Math.abs(dx) >= Math.abs(dy) ? { x: Math.sign(dx) || 1, y: 0 } : { x: 0, y: Math.sign(dy) || 1 };
}

/** The scene for one picture of the graph (built once per change of the adapter's output). */
export function buildOverviewScene(nodes: readonly CanvasNode[], edges: readonly VethEdge[]): OverviewScene {
  const boxes = nodes.map(boxOf);
  const byId = new Map(boxes.map((b) => [b.id, b]));
  const nodeById = new Map(nodes.map((n) => [n.id, n]));
  const lines: OverviewEdge[] = [];
  for (const e of edges) {
    const s = nodeById.get(e.source);
    const t = nodeById.get(e.target);
    if (!s || !t) continue;
    const a = handlePoint(s, e.sourceHandle);
    const b = handlePoint(t, e.targetHandle);
    const out = e.source === e.target ? outward(s, a) : { x: 0, y: 0 };
    lines.push({
      id: e.id,
      x1: a.x,
      y1: a.y,
      x2: b.x,
      y2: b.y,
      state: e.data?.state ?? 'up',
      end: e.data?.a ?? null,
      loop: e.source === e.target,
      outX: out.x,
      outY: out.y,
    });
  }
  return { boxes, edges: lines, byId };
}

/** The rectangle of the canvas the viewport shows, for a pane of `width` × `height` screen pixels. */
export interface Visible {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export const visibleRect = (v: Viewport, width: number, height: number): Visible => ({
  x0: -v.x / v.zoom,
  y0: -v.y / v.zoom,
  x1: (width - v.x) / v.zoom,
  y1: (height - v.y) / v.zoom,
});

const boxMeets = (b: OverviewBox, r: Visible): boolean =>
  b.x < r.x1 && b.x + b.w > r.x0 && b.y < r.y1 && b.y + b.h > r.y0;

/** How far a loop reaches out of its node's side (canvas units): as the DOM's loop does, roughly. */
export const LOOP_REACH = 72;

function edgeMeets(e: OverviewEdge, r: Visible): boolean {
  const pad = e.loop ? LOOP_REACH : 0;
  const minX = Math.min(e.x1, e.x2) - pad;
  const maxX = Math.max(e.x1, e.x2) + pad;
  const minY = Math.min(e.y1, e.y2) - pad;
  const maxY = Math.max(e.y1, e.y2) + pad;
  return minX <= r.x1 && maxX >= r.x0 && minY <= r.y1 && maxY >= r.y0;
}

/** Screen pixels a name's glyph takes, about (the overview's font; no DOM measurement per frame). */
export const LABEL_PX = 12;
const CHAR_PX = LABEL_PX * 0.6;
/** A name is drawn in a box at least this tall on screen, with room for a few characters. */
const LABEL_MIN_BOX_PX = { h: LABEL_PX + 4, w: 4 * CHAR_PX + 8 };

/** The fewest characters of a cut name worth drawing; fewer, the box stays blank (hovering names it). */
export const MIN_PREFIX = 8;

/** A name as drawn in a box `screenWidth` pixels wide: whole, cut with an ellipsis, or null when it does not fit at all. */
export function fittedLabel(label: string, screenWidth: number, screenHeight: number): string | null {
  if (screenHeight < LABEL_MIN_BOX_PX.h || screenWidth < LABEL_MIN_BOX_PX.w) return null;
  const room = Math.floor((screenWidth - 8) / CHAR_PX);
  if (label.length <= room) return label;
  // Cut short, names of one lab look alike ("ns00…" twenty times over): only a telling prefix is drawn.
  return room - 1 >= MIN_PREFIX ? `${label.slice(0, room - 1)}…` : null;
}

export interface Frame {
  boxes: OverviewBox[];
  edges: OverviewEdge[];
  /** Names that fit their box at this zoom, keyed by the box's id. */
  labels: Map<string, string>;
}

/** What one frame draws: the boxes and edges that meet the viewport, and the names that fit. */
export function frameOf(scene: OverviewScene, v: Viewport, width: number, height: number): Frame {
  const r = visibleRect(v, width, height);
  const boxes = scene.boxes.filter((b) => boxMeets(b, r));
  const edges = scene.edges.filter((e) => edgeMeets(e, r));
  const labels = new Map<string, string>();
  for (const b of boxes) {
    const text = fittedLabel(b.label, b.w * v.zoom, b.h * v.zoom);
    if (text !== null) labels.set(b.id, text);
  }
  return { boxes, edges, labels };
}

/** How many boxes and edges meet the viewport (what the tests and the benchmark read), without a frame's lists. */
export function countInView(scene: OverviewScene, v: Viewport, width: number, height: number) {
  const r = visibleRect(v, width, height);
  let boxes = 0;
  let edges = 0;
  for (const b of scene.boxes) if (boxMeets(b, r)) boxes++;
  for (const e of scene.edges) if (edgeMeets(e, r)) edges++;
  return { boxes, edges };
}

/**
 * How the last painted canvas can stand for a new viewport without painting: the CSS transform
 * (from the canvas's top-left corner) that puts each drawn point where the new viewport shows it,
 * or null when the moved canvas would not cover the pane (a pan beyond its margin, a zoom out far
 * enough). The canvas is the pane grown by `mx`, `my` on each side, placed at (-mx, -my).
 */
export function reuseTransform(
  drawn: Viewport,
  now: Viewport,
  pane: { width: number; height: number; mx: number; my: number },
): { scale: number; x: number; y: number } | null {
  const scale = now.zoom / drawn.zoom;
  const x = pane.mx * (1 - scale) + now.x - scale * drawn.x;
  const y = pane.my * (1 - scale) + now.y - scale * drawn.y;
  const left = -pane.mx + x;
  const top = -pane.my + y;
  const covers =
    left <= 0 &&
    top <= 0 &&
    left + scale * (pane.width + 2 * pane.mx) >= pane.width &&
    top + scale * (pane.height + 2 * pane.my) >= pane.height;
  return covers ? { scale, x, y } : null;
}

/** Screen pixels from an edge within which a pointer is on it. */
const EDGE_HIT_PX = 5;

function distanceToSegment(px: number, py: number, e: OverviewEdge): number {
  const dx = e.x2 - e.x1;
  const dy = e.y2 - e.y1;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - e.x1) * dx + (py - e.y1) * dy) / len2));
  return Math.hypot(px - (e.x1 + t * dx), py - (e.y1 + t * dy));
}

export type Hit = { kind: 'node'; id: string } | { kind: 'edge'; id: string } | null;

/**
 * What is under a point of the canvas: a box (the last drawn, so the one on top, wins), else an
 * edge within a few screen pixels, else nothing. A linear pass: 2,000 boxes take microseconds.
 */
export function hitTest(scene: OverviewScene, x: number, y: number, zoom: number): Hit {
  for (let i = scene.boxes.length - 1; i >= 0; i--) {
    const b = scene.boxes[i]!;
    if (x >= b.x && x <= b.x + b.w && y >= b.y && y <= b.y + b.h) return { kind: 'node', id: b.id };
  }
  const reach = EDGE_HIT_PX / zoom;
  let best: Hit = null;
  let bestDistance = reach;
  for (const e of scene.edges) {
    if (e.loop) continue;
    const d = distanceToSegment(x, y, e);
    if (d <= bestDistance) {
      bestDistance = d;
      best = { kind: 'edge', id: e.id };
    }
  }
  return best;
}
