import type { Side } from './geometry';

type Box = { x: number; y: number; width: number; height: number };

const gap = (a0: number, a1: number, b0: number, b1: number): number => Math.max(b0 - a1, a0 - b1);

/**
 * Which side of its node a veth end leaves from, facing the node at its other end. A card's row
 * leaves left or right (towards the peer's centre); a bridge's port leaves from whichever of the
 * bar's four edges faces the peer: above or below when the space between them is mostly vertical,
 * left or right when it is mostly horizontal. Both ends on one node: a loop out of one side and back
 * (a card's right, a bridge's bottom). Used when the graph is built and again while a node is dragged.
 */
export function sideFacing(kind: 'row' | 'port', me: Box, them: Box, loop: boolean): Side {
  if (loop) return kind === 'port' ? 'B' : 'R';
  const [mx, my] = [me.x + me.width / 2, me.y + me.height / 2];
  const [tx, ty] = [them.x + them.width / 2, them.y + them.height / 2];
  if (kind === 'row') return tx < mx ? 'L' : 'R';
  const across = gap(me.x, me.x + me.width, them.x, them.x + them.width);
  const down = gap(me.y, me.y + me.height, them.y, them.y + them.height);
  if (down >= across) return ty < my ? 'T' : 'B';
  return tx < mx ? 'L' : 'R';
}
