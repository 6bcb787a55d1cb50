import type { XYPosition } from '@xyflow/react';
import { PLACE_GAP, crowds, findFreeSpot, type Box } from './placement';

export interface KeepInput {
  /** The whole lab as the layout placed it (its own coordinates). */
  laidOut: ReadonlyMap<string, XYPosition>;
  /** Nodes placed by hand, where they are: they do not move. */
  kept: ReadonlyMap<string, Box>;
  /** Nodes the layout placed before, where they are now (they follow the layout again). */
  settled: ReadonlyMap<string, XYPosition>;
  sizes: ReadonlyMap<string, { width: number; height: number }>;
  neighbours: ReadonlyMap<string, readonly string[]>;
}

const median = (values: number[]): number => values.sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const medianShift = (shifts: XYPosition[]): XYPosition => ({
  x: median(shifts.map((s) => s.x)),
  y: median(shifts.map((s) => s.y)),
});

/**
 * "Lay out new": the layout's places for every node a person did not place, around the ones they
 * did, which stay. The whole lab is laid out (so places relate to everything); the nodes the
 * layout placed before take their new places in the frame they are drawn in now (the layout
 * moved by the median of how far they are from it: a lab laid out before stays put). A node
 * without a place yet moves with the nearest placed node it connects to (by veths, however far):
 * beside a card placed by hand, it keeps its place relative to that card. Where any of that lands
 * on or too near a card, the node goes to the nearest free space instead. Returns the places of
 * the nodes not kept.
 */
export function keepPlaced(input: KeepInput): Map<string, XYPosition> {
  const { laidOut, kept, settled, sizes, neighbours } = input;
  const shiftFrom = (id: string, at: XYPosition | undefined): XYPosition | null => {
    const was = laidOut.get(id);
    return was && at ? { x: at.x - was.x, y: at.y - was.y } : null;
  };
  const settledIds = [...settled.keys()].filter((id) => laidOut.has(id) && !kept.has(id));
  const keptShifts = [...kept].flatMap(([id, box]) => shiftFrom(id, box) ?? []);
  const frame =
    settledIds.length > 0
      ? medianShift(settledIds.flatMap((id) => shiftFrom(id, settled.get(id)) ?? []))
      : medianShift(keptShifts);

  // Breadth first from every placed node at once: a new node takes the shift of the one nearest.
  const shiftOf = new Map<string, XYPosition>();
  for (const [id, box] of kept) shiftOf.set(id, shiftFrom(id, box) ?? frame);
  for (const id of settledIds) shiftOf.set(id, frame);
  const queue = [...shiftOf.keys()];
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i] as string;
    for (const m of neighbours.get(id) ?? [])
      if (!shiftOf.has(m) && laidOut.has(m)) {
        shiftOf.set(m, shiftOf.get(id) ?? frame);
        queue.push(m);
      }
  }
  const order = [...settledIds, ...queue.filter((id) => !kept.has(id) && !settled.has(id))];
  for (const id of laidOut.keys()) if (!kept.has(id) && !order.includes(id)) order.push(id);

  const obstacles: Box[] = [...kept.values()];
  const out = new Map<string, XYPosition>();
  for (const id of order) {
    const p = laidOut.get(id);
    const size = sizes.get(id);
    if (!p || !size) continue;
    const shift = shiftOf.get(id) ?? frame;
    const target = { x: Math.round(p.x + shift.x), y: Math.round(p.y + shift.y) };
    const box = { ...target, ...size };
    const at = obstacles.some((o) => crowds(box, o, PLACE_GAP))
      ? findFreeSpot({ size, obstacles, target })
      : target;
    out.set(id, at);
    obstacles.push({ ...at, ...size });
  }
  return out;
}
