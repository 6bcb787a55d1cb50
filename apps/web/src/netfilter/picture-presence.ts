import { ROOT } from '@netcanvas/model';

/**
 * Where the picture's namespace stands, from what the topology and the kernel say now and what
 * was seen since the picture opened:
 * - `shown`: the kernel has it;
 * - `gone`: the kernel had it and no longer does, while the topology still has it (an
 *   `ip netns del` in a terminal): the picture stays and says so, the canvas shows the drift;
 * - `absent`: the topology has it, the kernel has not yet (just made, not applied yet);
 * - `close`: it left the topology (deleted on the canvas, by anyone), or, for a namespace only
 *   the kernel had (made by hand), it left the kernel: nothing is left to picture.
 * - `waiting`: no observed state yet (connecting).
 */
export type PicturePresence = 'shown' | 'gone' | 'absent' | 'close' | 'waiting';

export interface PresenceSeen {
  /** The topology had the namespace at some point while the picture was open. */
  inDocument: boolean;
  /** The kernel had it at some point while the picture was open. */
  inKernel: boolean;
}

export function picturePresence(
  namespace: string,
  now: { inDocument: boolean; inKernel: boolean | null },
  seen: PresenceSeen,
): PicturePresence {
  // The lab's root is never deleted: it is always there to picture.
  const inDocument = namespace === ROOT || now.inDocument;
  if (!inDocument && (seen.inDocument || now.inKernel === false)) return 'close';
  if (now.inKernel === null) return 'waiting';
  if (now.inKernel) return 'shown';
  return seen.inKernel ? 'gone' : 'absent';
}
