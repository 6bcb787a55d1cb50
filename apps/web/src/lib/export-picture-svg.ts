import type { CanvasNode, Graph } from '../adapters/types';
import { routeEdges } from '../canvas/routing/edge-routes';
import { edgeDrawing, trafficOf, type Box } from './export-picture-edges';
import type { PictureFigures } from './export-picture-figures';
import { bridgeSvg, cardSvg } from './export-picture-nodes';
import { SANS, el, escapeXml, round } from './export-picture-text';

/**
 * The whole lab as one vector SVG, drawn from the adapter's graph (not from the DOM): every node
 * and veth wherever the view is and whatever the zoom (the canvas renders only what is on screen,
 * and below zoom 0.45 only a <canvas> overview). Cards are rects with text, veths paths, on white.
 * Pure: the same graph and figures give the same file. `figures: null` is the clean diagram of the
 * topology; with figures, every live figure is an element of class "figure".
 */
export interface PictureOptions {
  figures: PictureFigures | null;
  /** The picture's title (its <title>, read by screen readers and shown by viewers). */
  title: string;
}

export interface Picture {
  svg: string;
  /** The picture's size in CSS pixels: the lab's bounds and a margin. */
  width: number;
  height: number;
}

/** Room around the lab, in the canvas's units. */
export const PICTURE_MARGIN = 32;

const EMPTY: Box = { x: 0, y: 0, w: 320, h: 120 };

function nodeBox(n: CanvasNode): Box {
  return { x: n.position.x, y: n.position.y, w: n.width ?? 0, h: n.height ?? 0 };
}

/** The smallest box holding all of them (an empty lab: a small blank card's worth). */
function union(boxes: readonly Box[]): Box {
  if (boxes.length === 0) return EMPTY;
  const x = Math.min(...boxes.map((b) => b.x));
  const y = Math.min(...boxes.map((b) => b.y));
  const right = Math.max(...boxes.map((b) => b.x + b.w));
  const bottom = Math.max(...boxes.map((b) => b.y + b.h));
  return { x, y, w: right - x, h: bottom - y };
}

export function pictureSvg(graph: Graph, options: PictureOptions): Picture {
  const { figures } = options;
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  // The canvas's routes and label places, for the whole lab at once (the canvas routes only what is in view).
  const routes = routeEdges(graph.nodes, graph.edges, {
    region: null,
    flowing: (e) => trafficOf(e, figures) !== null,
  });
  const edges = graph.edges.flatMap((e) => edgeDrawing(e, byId, routes.get(e.id), figures) ?? []);
  const bounds = union([...graph.nodes.map(nodeBox), ...edges.flatMap((e) => e.extent)]);
  const x = Math.floor(bounds.x - PICTURE_MARGIN);
  const y = Math.floor(bounds.y - PICTURE_MARGIN);
  const width = Math.ceil(bounds.x + bounds.w + PICTURE_MARGIN) - x;
  const height = Math.ceil(bounds.y + bounds.h + PICTURE_MARGIN) - y;
  // Cards are drawn above the veths' lines (as on the canvas) and the labels above both: a label
  // is the one thing on a line a reader must see whole.
  const body = [
    `<title>${escapeXml(options.title)}</title>`,
    el('rect', { x, y, width, height, fill: '#ffffff' }),
    el(
      'g',
      { class: 'links' },
      edges.map((e) => e.line),
    ),
    el(
      'g',
      { class: 'nodes' },
      graph.nodes.map((n) => (n.type === 'card' ? cardSvg(n, figures) : bridgeSvg(n, figures))),
    ),
    el(
      'g',
      { class: 'link-labels' },
      edges.map((e) => e.label),
    ),
  ];
  const svg = el(
    'svg',
    {
      xmlns: 'http://www.w3.org/2000/svg',
      width,
      height,
      viewBox: `${round(x)} ${round(y)} ${width} ${height}`,
      'font-family': SANS,
      role: 'img',
      'aria-label': options.title,
    },
    body,
  );
  return { svg: `<?xml version="1.0" encoding="UTF-8"?>\n${svg}\n`, width, height };
}
