import type { XYPosition } from '@xyflow/react';
import { ROOT } from '@netcanvas/model';

const GAP = 64;
const PER_ROW = 4;

/**
 * A deterministic place for every node without one (made from a terminal, adopted, added by a
 * file without positions, or the lab's root): below what is placed, in rows, so nothing overlaps
 * and every viewer computes the same picture.
 */
export function fallbackPositions(
  known: ReadonlyMap<string, XYPosition>,
  sizes: ReadonlyMap<string, { width: number; height: number }>,
  order: readonly string[],
): Map<string, XYPosition> {
  const out = new Map(known);
  let minX = Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  for (const [id, p] of known) {
    const s = sizes.get(id);
    if (!s) continue;
    minX = Math.min(minX, p.x);
    minY = Math.min(minY, p.y);
    maxY = Math.max(maxY, p.y + s.height);
  }
  const placedAny = Number.isFinite(minX);
  const startX = placedAny ? minX : 0;
  let rowY = placedAny ? maxY + GAP : 0;
  let x = startX;
  let inRow = 0;
  let rowHeight = 0;
  for (const id of order) {
    if (out.has(id)) continue;
    const s = sizes.get(id);
    if (!s) continue;
    if (id === ROOT && placedAny) {
      out.set(id, { x: minX - s.width - 2 * GAP, y: minY });
      continue;
    }
    if (inRow === PER_ROW) {
      rowY += rowHeight + GAP;
      x = startX;
      inRow = 0;
      rowHeight = 0;
    }
    out.set(id, { x, y: rowY });
    x += s.width + GAP;
    rowHeight = Math.max(rowHeight, s.height);
    inRow++;
  }
  return out;
}
