import type { Viewport } from '@xyflow/react';
import type { EndRef } from '../adapters/types';
import { EDGE_STROKE, SELECTED_OUTLINE, SELECTED_STROKE } from './edge-look';
import {
  LABEL_PX,
  LOOP_REACH,
  type BoxStatus,
  type BoxTone,
  type Frame,
  type Hit,
  type OverviewBox,
  type OverviewEdge,
} from './overview-model';

/**
 * Paints one frame of the overview (./overview-model.ts says what is in it) on a 2D context.
 * Items of one look go into one path and are filled or stroked once: a frame at 2,000 namespaces
 * is a handful of draw calls, not thousands. Widths are in screen pixels whatever the zoom.
 */

/** The plain boxes' colours (Tailwind's, as the DOM's PlainBox had them). */
const FILL: Record<BoxTone, string> = {
  namespace: '#ffffff',
  root: '#f1f5f9',
  foreign: '#ffffff',
  bridge: '#eef2ff',
  drift: '#fffbeb',
};
/** The border says the interfaces' state: all up, some down or missing, or drift. */
const BORDER: Record<BoxStatus, string> = { up: '#059669', down: '#94a3b8', drift: '#f59e0b' };
const HOVER_OUTLINE = '#38bdf8';
const LABEL_FONT = `600 ${LABEL_PX}px ui-sans-serif, system-ui, sans-serif`;

export interface Paint {
  frame: Frame;
  viewport: Viewport;
  /** The pane, in CSS pixels, and the device's pixels per CSS pixel. */
  width: number;
  height: number;
  dpr: number;
  selected: Hit;
  hovered: Hit;
  /** The colour under everything (the canvas is opaque). */
  backdrop: string;
  /** Whether traffic flows through this end now (the rates store). */
  flowing: (end: EndRef) => boolean;
}

function boxPath(ctx: CanvasRenderingContext2D, b: OverviewBox, zoom: number, grow = 0): void {
  const x = b.x - grow;
  const y = b.y - grow;
  const w = b.w + 2 * grow;
  const h = b.h + 2 * grow;
  // Rounded corners only where they show (a few screen pixels); a plain rectangle is cheaper.
  if (b.w * zoom >= 24) ctx.roundRect(x, y, w, h, 12);
  else ctx.rect(x, y, w, h);
}

function edgePath(ctx: CanvasRenderingContext2D, e: OverviewEdge): void {
  ctx.moveTo(e.x1, e.y1);
  if (!e.loop) ctx.lineTo(e.x2, e.y2);
  else {
    const rx = e.outX * LOOP_REACH;
    const ry = e.outY * LOOP_REACH;
    ctx.bezierCurveTo(e.x1 + rx, e.y1 + ry, e.x2 + rx, e.y2 + ry, e.x2, e.y2);
  }
}

/** Edges by look (state, and whether traffic flows): one stroke each. */
function drawEdges(ctx: CanvasRenderingContext2D, p: Paint): void {
  const z = p.viewport.zoom;
  const groups = new Map<string, OverviewEdge[]>();
  for (const e of p.frame.edges) {
    const key = `${e.state}:${e.end !== null && p.flowing(e.end) ? 'flowing' : 'still'}`;
    const list = groups.get(key);
    if (list) list.push(e);
    else groups.set(key, [e]);
  }
  for (const [key, list] of groups) {
    const [state, flow] = key.split(':') as [OverviewEdge['state'], string];
    const look = EDGE_STROKE[state];
    ctx.beginPath();
    for (const e of list) edgePath(ctx, e);
    ctx.strokeStyle = look.stroke;
    ctx.lineWidth = (flow === 'flowing' ? 3 : 1.5) / z;
    ctx.setLineDash(look.dash ? look.dash.map((d) => d / z) : []);
    ctx.stroke();
  }
  ctx.setLineDash([]);
}

function drawBoxes(ctx: CanvasRenderingContext2D, p: Paint): void {
  const z = p.viewport.zoom;
  for (const tone of Object.keys(FILL) as BoxTone[]) {
    ctx.beginPath();
    for (const b of p.frame.boxes) if (b.tone === tone) boxPath(ctx, b, z);
    ctx.fillStyle = FILL[tone];
    ctx.fill();
  }
  ctx.lineWidth = 2 / z;
  // A namespace made outside netcanvas is dashed, as its card is.
  for (const dashed of [false, true]) {
    ctx.setLineDash(dashed ? [6 / z, 4 / z] : []);
    for (const status of Object.keys(BORDER) as BoxStatus[]) {
      ctx.beginPath();
      for (const b of p.frame.boxes)
        if (b.status === status && (b.tone === 'foreign') === dashed) boxPath(ctx, b, z);
      ctx.strokeStyle = BORDER[status];
      ctx.stroke();
    }
  }
  ctx.setLineDash([]);
}

/** The selected box or edge (sky), and the one under the pointer (lighter), above everything else. */
function drawMarks(ctx: CanvasRenderingContext2D, p: Paint): void {
  const z = p.viewport.zoom;
  const marks: [Hit, string, number][] = [
    [p.hovered, HOVER_OUTLINE, 2],
    [p.selected, SELECTED_OUTLINE, 3],
  ];
  for (const [hit, colour, px] of marks) {
    if (!hit) continue;
    ctx.beginPath();
    if (hit.kind === 'node') {
      const b = p.frame.boxes.find((x) => x.id === hit.id);
      if (!b) continue;
      boxPath(ctx, b, z, (px + 2) / z);
      ctx.strokeStyle = colour;
    } else {
      const e = p.frame.edges.find((x) => x.id === hit.id);
      if (!e) continue;
      edgePath(ctx, e);
      ctx.strokeStyle = hit === p.selected ? SELECTED_STROKE : colour;
    }
    ctx.lineWidth = px / z;
    ctx.stroke();
  }
}

/** Names in screen space (a crisp font size at any zoom), centred in their boxes. */
function drawLabels(ctx: CanvasRenderingContext2D, p: Paint): void {
  const { x, y, zoom } = p.viewport;
  ctx.font = LABEL_FONT;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillStyle = '#334155';
  for (const b of p.frame.boxes) {
    const text = p.frame.labels.get(b.id);
    if (text !== undefined) ctx.fillText(text, (b.x + b.w / 2) * zoom + x, (b.y + b.h / 2) * zoom + y);
  }
}

/** The hovered box's whole name, in a tag above it: at overview zooms most names do not fit. */
function drawHoverTag(ctx: CanvasRenderingContext2D, p: Paint): void {
  const hit = p.hovered;
  if (hit?.kind !== 'node') return;
  const b = p.frame.boxes.find((x) => x.id === hit.id);
  if (!b) return;
  const { x, y, zoom } = p.viewport;
  ctx.font = LABEL_FONT;
  const w = ctx.measureText(b.label).width + 12;
  const h = LABEL_PX + 10;
  const cx = (b.x + b.w / 2) * zoom + x;
  const top = b.y * zoom + y - h - 6;
  ctx.beginPath();
  ctx.roundRect(cx - w / 2, top, w, h, 4);
  ctx.fillStyle = '#0f172a';
  ctx.fill();
  ctx.fillStyle = '#ffffff';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText(b.label, cx, top + h / 2);
}

export function drawOverview(ctx: CanvasRenderingContext2D, p: Paint): void {
  const { x, y, zoom } = p.viewport;
  ctx.setTransform(p.dpr, 0, 0, p.dpr, 0, 0);
  ctx.fillStyle = p.backdrop;
  ctx.fillRect(0, 0, p.width, p.height);
  ctx.setTransform(p.dpr * zoom, 0, 0, p.dpr * zoom, p.dpr * x, p.dpr * y);
  drawEdges(ctx, p);
  drawBoxes(ctx, p);
  drawMarks(ctx, p);
  ctx.setTransform(p.dpr, 0, 0, p.dpr, 0, 0);
  drawLabels(ctx, p);
  drawHoverTag(ctx, p);
}
