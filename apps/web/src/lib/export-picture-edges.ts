import { getBezierPath, Position } from '@xyflow/react';
import type { CanvasNode, VethEdge } from '../adapters/types';
import { loopPath } from '../canvas/loop-path';
import { formatBytesPerSecond } from './format';
import type { PictureFigures } from './export-picture-figures';
import { INK, lineLook } from './export-picture-look';
import { CHAR, MONO, el, text } from './export-picture-text';

/**
 * A veth in the exported picture: its line between the two handles it uses on the canvas (the
 * same curve, or the same loop for both ends on one node) and its label: both names, and with
 * live figures the traffic each way, why it is drawn amber or dotted, and a duplicate address.
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

const LABEL_SIZE = 12;
const LINE_STEP = 16;

/** Where an edge meets its node: the centre of the handle it names, and the side it leaves from. */
function endOf(node: CanvasNode, handleId: string | null | undefined) {
  const h = node.handles?.find((c) => c.id === handleId);
  const { x, y } = node.position;
  if (!h) return { x: x + (node.width ?? 0) / 2, y: y + (node.height ?? 0) / 2, side: Position.Right };
  return { x: x + h.x + (h.width ?? 0) / 2, y: y + h.y + (h.height ?? 0) / 2, side: h.position };
}

/** The label's lines, each with its colour; the names first, then (live) traffic, reason, warning. */
function labelLines(
  edge: VethEdge,
  figures: PictureFigures | null,
): { words: string; fill: string; figure: boolean }[] {
  const data = edge.data;
  if (!data) return [];
  const lines = [{ words: `${data.a.ifname} ⇄ ${data.b.ifname}`, fill: '#1e293b', figure: false }];
  if (!figures) return lines;
  const rate = figures.rate(data.a.context, data.a.ifname);
  if (rate && rate.rxPps + rate.txPps > 0)
    lines.push({
      words: `→ ${formatBytesPerSecond(rate.txBps)}  ← ${formatBytesPerSecond(rate.rxBps)}`,
      fill: INK.traffic,
      figure: true,
    });
  const reason = data.state === 'drift' || data.state === 'unmanaged' ? data.reasons[0] : undefined;
  if (reason) lines.push({ words: reason, fill: INK.amberText, figure: true });
  const warning = data.warnings?.[0];
  if (warning) lines.push({ words: `⚠ ${warning.short}`, fill: INK.warning, figure: true });
  return lines;
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
  figures: PictureFigures | null,
): EdgeDrawing | null {
  const s = nodes.get(edge.source);
  const t = nodes.get(edge.target);
  if (!s || !t || !edge.data) return null;
  const a = endOf(s, edge.sourceHandle);
  const b = endOf(t, edge.targetHandle);
  const lines = labelLines(edge, figures);
  const w = Math.max(...lines.map((l) => l.words.length)) * LABEL_SIZE * CHAR.mono + 16;
  const h = lines.length * LINE_STEP + 8;
  const curve =
    s === t
      ? loopPath(a.x, a.y, b.x, b.y, a.side, { width: w, height: h })
      : {
          path: getBezierPath({
            sourceX: a.x,
            sourceY: a.y,
            sourcePosition: a.side,
            targetX: b.x,
            targetY: b.y,
            targetPosition: b.side,
          })[0],
          labelX: (a.x + b.x) / 2,
          labelY: (a.y + b.y) / 2,
        };
  const look = lineLook(edge.data.state, figures !== null);
  const box = { x: curve.labelX - w / 2, y: curve.labelY - h / 2, w, h };
  const words = lines.map((l, i) =>
    text(l.words, {
      class: l.figure ? 'figure' : undefined,
      x: curve.labelX,
      y: box.y + 4 + LABEL_SIZE + i * LINE_STEP,
      'text-anchor': 'middle',
      'font-family': MONO,
      'font-size': LABEL_SIZE,
      'font-weight': i === 0 ? 'bold' : undefined,
      fill: l.fill,
    }),
  );
  const frame = el('rect', {
    x: box.x,
    y: box.y,
    width: w,
    height: h,
    rx: 6,
    fill: '#ffffff',
    stroke: look.stroke,
    'stroke-width': 1.5,
    'stroke-dasharray': look.dash,
  });
  return {
    line: el('path', {
      class: 'link',
      'data-id': edge.id,
      d: curve.path,
      fill: 'none',
      stroke: look.stroke,
      'stroke-width': 2.5,
      'stroke-dasharray': look.dash,
    }),
    label: el('g', { class: 'link-label' }, [frame, ...words]),
    extent: [...pathPoints(curve.path), box],
  };
}
