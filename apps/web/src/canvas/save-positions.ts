import { ROOT } from '@netcanvas/model';
import type { XYPosition } from '@xyflow/react';
import { submitPositions } from '../protocol/edits';
import { layoutActions } from '../store/layout';
import { useSession } from '../store/session';

const SETTLE_MS = 250;
let queued = new Map<string, XYPosition>();
let timer: ReturnType<typeof setTimeout> | null = null;

/**
 * A node was put down (end of a drag, or arrow keys, which repeat: collected for a moment). The
 * document's nodes and the lab's root go to the agent as `setPosition`; the others (namespaces
 * made outside netcanvas) are kept by this browser.
 */
export function savePosition(id: string, position: XYPosition): void {
  queued.set(id, { x: Math.round(position.x), y: Math.round(position.y) });
  if (timer) clearTimeout(timer);
  timer = setTimeout(flush, SETTLE_MS);
}

function flush(): void {
  timer = null;
  const batch = queued;
  queued = new Map();
  const { document, lab } = useSession.getState();
  const inDocument = new Set([
    ROOT,
    ...document.namespaces.map((n) => n.name),
    ...document.bridges.map((b) => b.name),
  ]);
  const toAgent: { node: string; x: number; y: number }[] = [];
  const pending: Record<string, XYPosition> = {};
  for (const [id, p] of batch) {
    if (inDocument.has(id)) {
      toAgent.push({ node: id, ...p });
      pending[id] = p;
    } else layoutActions.setLocal(lab?.name ?? null, id, p);
  }
  if (toAgent.length === 0) return;
  layoutActions.setPending(pending);
  submitPositions(toAgent);
}
