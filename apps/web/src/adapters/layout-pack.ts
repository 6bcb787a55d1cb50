import type { XYPosition } from '@xyflow/react';

type Size = { width: number; height: number };

/** One connected part laid out on its own: its nodes' places from its own (0, 0). */
export interface PartLayout {
  positions: Map<string, XYPosition>;
  sizes: Map<string, Size>;
}

/** Room between two parts of a lab: more than between two cards, so each reads as its own. */
export const PART_GAP = 120;

/** The shape the packed parts aim for: a screen's (16:10). */
const SCREEN = { width: 16, height: 10 };
const CANDIDATES = 24;

/**
 * The parts side by side, in rows, largest first (the lab's main network top left, lone
 * namespaces after it). Of the row widths that fit 1, 2, 3… parts in the first row, the one whose
 * whole picture fits a screen-shaped box at the largest scale.
 */
export function packParts(parts: readonly PartLayout[]): Map<string, XYPosition> {
  const boxes = parts.map((part, i) => ({ part, i, ...boundsOf(part) }));
  boxes.sort((a, b) => b.part.positions.size - a.part.positions.size || a.i - b.i);
  const widest = Math.max(0, ...boxes.map((b) => b.width));
  // Up to the first CANDIDATES parts in the first row, and a square-ish guess (many lone namespaces).
  const area = boxes.reduce((s, b) => s + (b.width + PART_GAP) * (b.height + PART_GAP), 0);
  const widths = [Math.sqrt((area * SCREEN.width) / SCREEN.height)];
  let rowWidth = -PART_GAP;
  for (const b of boxes.slice(0, CANDIDATES)) widths.push((rowWidth += b.width + PART_GAP));
  let best: { out: Map<string, XYPosition>; scale: number } | null = null;
  for (const w of widths) {
    const packed = shelves(boxes, Math.max(w, widest));
    const scale = Math.min(
      SCREEN.width / Math.max(1, packed.width),
      SCREEN.height / Math.max(1, packed.height),
    );
    if (!best || scale > best.scale) best = { out: packed.out, scale };
  }
  return best?.out ?? new Map();
}

/** Rows left to right, a new row when the next part would pass `rowWidth`. */
function shelves(
  boxes: readonly ({ part: PartLayout } & Box)[],
  rowWidth: number,
): { out: Map<string, XYPosition>; width: number; height: number } {
  const out = new Map<string, XYPosition>();
  let [x, y, rowHeight, width] = [0, 0, 0, 0];
  for (const b of boxes) {
    if (x > 0 && x + b.width > rowWidth) {
      x = 0;
      y += rowHeight + PART_GAP;
      rowHeight = 0;
    }
    for (const [id, p] of b.part.positions) out.set(id, { x: x + p.x - b.x, y: y + p.y - b.y });
    width = Math.max(width, x + b.width);
    x += b.width + PART_GAP;
    rowHeight = Math.max(rowHeight, b.height);
  }
  return { out, width, height: y + rowHeight };
}

type Box = { x: number; y: number; width: number; height: number };

function boundsOf(part: PartLayout): Box {
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [id, p] of part.positions) {
    const s = part.sizes.get(id) ?? { width: 0, height: 0 };
    x0 = Math.min(x0, p.x);
    y0 = Math.min(y0, p.y);
    x1 = Math.max(x1, p.x + s.width);
    y1 = Math.max(y1, p.y + s.height);
  }
  if (!Number.isFinite(x0)) return { x: 0, y: 0, width: 0, height: 0 };
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}
