import { Position } from '@xyflow/react';

/**
 * A veth whose two ends are on one node (a namespace's `vethfoo` ⇄ `vethbar`): a loop leaving the
 * node from one end's row and coming back into the other's, on the same side. Pure geometry.
 */
export interface LoopGeometry {
  path: string;
  /** Where the label's centre goes: just beyond the loop's tip, so it never covers the node. */
  labelX: number;
  labelY: number;
}

const OUTWARD: Record<Position, { x: number; y: number }> = {
  [Position.Right]: { x: 1, y: 0 },
  [Position.Left]: { x: -1, y: 0 },
  [Position.Bottom]: { x: 0, y: 1 },
  [Position.Top]: { x: 0, y: -1 },
};

/** How far the loop reaches from the node: more for ends farther apart, so it stays round. */
export const loopReach = (sx: number, sy: number, tx: number, ty: number): number =>
  72 + 0.35 * Math.hypot(tx - sx, ty - sy);

export function loopPath(
  sx: number,
  sy: number,
  tx: number,
  ty: number,
  side: Position,
  label: { width: number; height: number },
): LoopGeometry {
  const out = OUTWARD[side];
  const reach = loopReach(sx, sy, tx, ty);
  const c1 = { x: sx + out.x * reach, y: sy + out.y * reach };
  const c2 = { x: tx + out.x * reach, y: ty + out.y * reach };
  // A cubic's point at t = 1/2: the ends' midpoint plus three quarters of the reach.
  const tip = { x: (sx + tx) / 2 + out.x * reach * 0.75, y: (sy + ty) / 2 + out.y * reach * 0.75 };
  // The label starts just beyond the tip: the loop stays round and visible, its label next to it.
  const extent = out.x !== 0 ? label.width : label.height;
  const shift = extent / 2 + 6;
  return {
    path: `M ${sx},${sy} C ${c1.x},${c1.y} ${c2.x},${c2.y} ${tx},${ty}`,
    labelX: tip.x + out.x * shift,
    labelY: tip.y + out.y * shift,
  };
}
