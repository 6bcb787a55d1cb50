import type { XYPosition } from '@xyflow/react';
import type { Direction } from './layout-input';

export interface PlacedNode {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Spacing {
  inLayer: number;
  betweenLayers: number;
}

/** An outer layer with more namespaces than this wraps into rows (a bridge with 30 on it). */
export const MAX_PER_ROW = 6;

/**
 * ELK's layers and its order inside each (crossings minimised, ports considered), drawn the way a
 * network diagram is: each layer a row centred on the part's axis (left to right: a column from
 * the top), its nodes evenly spaced, rows stacked with room for lines and labels between them,
 * nodes aligned on the row's start (the top of a card, so rows of interfaces across a veth are
 * level). ELK's own coordinates align
 * port under port, which staggers a bridge's namespaces into stairs. An outer layer (first or
 * last: namespaces that hang off what is inside) with more than MAX_PER_ROW wraps into rows
 * growing outwards, as even as they can be.
 */
export function tidyLayers(
  nodes: readonly PlacedNode[],
  direction: Direction,
  spacing: Spacing,
): Map<string, XYPosition> {
  const down = direction === 'DOWN';
  const main = (n: PlacedNode) => (down ? n.y : n.x);
  const mainSize = (n: PlacedNode) => (down ? n.height : n.width);
  const cross = (n: PlacedNode) => (down ? n.x : n.y);
  const crossSize = (n: PlacedNode) => (down ? n.width : n.height);

  // Layers: nodes whose extents along the main axis overlap (ELK keeps layers apart).
  const layers: PlacedNode[][] = [];
  let end = -Infinity;
  for (const n of [...nodes].sort((a, b) => main(a) - main(b))) {
    const last = layers.at(-1);
    if (last && main(n) < end) {
      last.push(n);
      end = Math.max(end, main(n) + mainSize(n));
    } else {
      layers.push([n]);
      end = main(n) + mainSize(n);
    }
  }
  for (const layer of layers) layer.sort((a, b) => cross(a) - cross(b));

  // Rows: an outer layer wraps outwards (the first upwards, the last downwards).
  const rows: { nodes: PlacedNode[]; gapBefore: number }[] = [];
  layers.forEach((layer, i) => {
    const outer = layers.length > 1 && (i === 0 || i === layers.length - 1);
    const count = outer ? Math.ceil(layer.length / MAX_PER_ROW) : 1;
    const per = Math.ceil(layer.length / count);
    const chunks = Array.from({ length: count }, (_, k) => layer.slice(k * per, (k + 1) * per));
    // The chunk nearest the middle is drawn nearest it: for the first layer, last.
    const ordered = i === 0 ? [...chunks].reverse() : chunks;
    ordered.forEach((chunk, k) =>
      rows.push({ nodes: chunk, gapBefore: k === 0 ? spacing.betweenLayers : spacing.inLayer }),
    );
  });

  const out = new Map<string, XYPosition>();
  let at = 0;
  rows.forEach((row, i) => {
    if (i > 0) at += row.gapBefore;
    const width = row.nodes.reduce((s, n) => s + crossSize(n), 0) + spacing.inLayer * (row.nodes.length - 1);
    // Top to bottom, a row is centred; left to right, a column starts at the top, so cards side
    // by side have their tops, and so their first rows, level.
    let c = down ? -width / 2 : 0;
    for (const n of row.nodes) {
      const m = Math.round(at);
      const x = Math.round(c);
      out.set(n.id, down ? { x, y: m } : { x: m, y: x });
      c += crossSize(n) + spacing.inLayer;
    }
    at += Math.max(...row.nodes.map(mainSize));
  });
  return out;
}
