import { getBezierPath, Position } from '@xyflow/react';
import type { CanvasNode, VethEdge } from '../adapters/types';
import { edgeLabel, LINE, type LabelTone } from '../canvas/routing/edge-label';
import type { EdgeRoute } from '../canvas/routing/edge-routes';
import { halfway, roundedPath } from '../canvas/routing/route-path';
import { formatBytesPerSecond } from './format';
import type { PictureFigures } from './export-picture-figures';
import { INK, lineLook } from './export-picture-look';
import { MONO, el, text } from './export-picture-text';

/**
 * A veth in the exported picture as the canvas draws it: its route around the cards and its
 * label's place from the canvas's own router (canvas/routing, given every edge at once), the label's
 * lines from the canvas's `edgeLabel` (both ends' names; with live figures the traffic each way,
 * why it is drawn amber or dotted, a duplicate address). A label the canvas would show only on
 * hover (no room) is drawn halfway along its line: on paper there is no hover.
 */
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface EdgeDrawing {
  line: string;
  label: string;
  /** The line's points and control points (the curve lies inside them) and the label: for the picture's bounds. */
  extent: Box[];
}

const FILL: Record<LabelTone, string> = {
  names: '#1e293b',
  traffic: INK.traffic,
  reason: INK.amberText,
  warning: INK.warning,
};

/** The traffic line, as the canvas writes it, while packets flow (the `a` end's tx is "→"). */
export function trafficOf(edge: VethEdge, figures: PictureFigures | null): string | null {
  const rate = figures && edge.data ? figures.rate(edge.data.a.context, edge.data.a.ifname) : undefined;
  if (!rate || rate.rxPps + rate.txPps === 0) return null;
  return `→ ${formatBytesPerSecond(rate.txBps)}  ← ${formatBytesPerSecond(rate.rxBps)}`;
}

/** Where an edge meets its node, when the router found it no route: the centre of the handle it names. */
function endOf(node: CanvasNode, handleId: string | null | undefined) {
  const h = node.handles?.find((c) => c.id === handleId);
  const { x, y } = node.position;
  if (!h) return { x: x + (node.width ?? 0) / 2, y: y + (node.height ?? 0) / 2, side: Position.Right };
  return { x: x + h.x + (h.width ?? 0) / 2, y: y + h.y + (h.height ?? 0) / 2, side: h.position };
}

/** The line and the label's centre: the router's, or a curve between the handles if it had none. */
function shapeOf(edge: VethEdge, nodes: ReadonlyMap<string, CanvasNode>, route: EdgeRoute | undefined) {
  if (route && route.points.length > 1)
    return { path: roundedPath(route.points), centre: route.label ?? halfway(route.points) };
  const s = nodes.get(edge.source);
  const t = nodes.get(edge.target);
  if (!s || !t) return null;
  const a = endOf(s, edge.sourceHandle);
  const b = endOf(t, edge.targetHandle);
  const [path, x, y] = getBezierPath({
    sourceX: a.x,
    sourceY: a.y,
    sourcePosition: a.side,
    targetX: b.x,
    targetY: b.y,
    targetPosition: b.side,
  });
  return { path, centre: { x, y } };
}

/** Every absolute coordinate pair of a path (M, L, C, Q with absolute numbers), as zero-size boxes. */
const pathPoints = (d: string): Box[] => {
  const n = (d.match(/-?\d+(?:\.\d+)?(?:e-?\d+)?/g) ?? []).map(Number);
  const out: Box[] = [];
  for (let i = 0; i + 1 < n.length; i += 2) out.push({ x: n[i]!, y: n[i + 1]!, w: 0, h: 0 });
  return out;
};

export function edgeDrawing(
  edge: VethEdge,
  nodes: ReadonlyMap<string, CanvasNode>,
  route: EdgeRoute | undefined,
  figures: PictureFigures | null,
): EdgeDrawing | null {
  const shape = shapeOf(edge, nodes, route);
  if (!shape || !edge.data) return null;
  // Without figures the label is the names alone, sized as such.
  const data = figures ? edge.data : { ...edge.data, state: 'up' as const, warnings: undefined };
  const label = edgeLabel(data, trafficOf(edge, figures));
  const look = lineLook(edge.data.state, figures !== null);
  const { x: cx, y: cy } = shape.centre;
  const box = { x: cx - label.width / 2, y: cy - label.height / 2, w: label.width, h: label.height };
  const lines = label.lines.map((l, i) =>
    text(l.text, {
      class: l.tone === 'names' ? undefined : 'figure',
      x: cx,
      y: box.y + 4 + 12 + i * LINE,
      'text-anchor': 'middle',
      'font-family': MONO,
      'font-size': 12,
      'font-weight': l.tone === 'names' || l.tone === 'warning' ? 'bold' : undefined,
      fill: FILL[l.tone],
    }),
  );
  const frame = el('rect', {
    ...{ x: box.x, y: box.y, width: box.w, height: box.h, rx: 6, fill: '#ffffff' },
    ...{ stroke: look.stroke, 'stroke-width': 1.5, 'stroke-dasharray': look.dash },
  });
  return {
    line: el('path', {
      ...{ class: 'link', 'data-id': edge.id, d: shape.path, fill: 'none' },
      ...{ stroke: look.stroke, 'stroke-width': 2.5, 'stroke-dasharray': look.dash },
    }),
    label: el('g', { class: 'link-label' }, [frame, ...lines]),
    extent: [...pathPoints(shape.path), box],
  };
}
