import { ROOT, type EditInput } from '@netcanvas/model';
import type { XYPosition } from '@xyflow/react';
import { submitEdits, submitPositions } from '../protocol/edits';
import { layoutActions } from '../store/layout';
import { useSession } from '../store/session';
import { uiActions } from '../store/ui';

const SETTLE_MS = 250;
let queued = new Map<string, XYPosition>();
let timer: ReturnType<typeof setTimeout> | null = null;

const rounded = (p: XYPosition): XYPosition => ({ x: Math.round(p.x), y: Math.round(p.y) });

/**
 * A node was put down by hand (end of a drag, or arrow keys, which repeat: collected for a
 * moment). The document's nodes and the lab's root go to the agent as `setPosition` (one undo
 * step); the others (namespaces made outside netcanvas) are kept by this browser.
 */
export function savePosition(id: string, position: XYPosition): void {
  queued.set(id, rounded(position));
  if (timer) clearTimeout(timer);
  timer = setTimeout(flush, SETTLE_MS);
}

function flush(): void {
  timer = null;
  const batch = queued;
  queued = new Map();
  const { toAgent, pending } = split(batch);
  if (toAgent.length === 0) return;
  layoutActions.setPending(pending);
  submitPositions(toAgent);
}

/** Which places the document holds (sent to the agent) and which this browser keeps. */
function split(batch: ReadonlyMap<string, XYPosition>) {
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
  return { toAgent, pending };
}

/**
 * Places the layout gave (Lay out all / new, or a new node's place): recorded as laid out, not
 * placed by hand, and sent at once in one edit. `step` names it as one undo step ("lay out all");
 * without it, it is not a step of its own (a new node's place comes with the node).
 */
export async function saveLaidOut(positions: ReadonlyMap<string, XYPosition>, step?: string): Promise<void> {
  const batch = new Map([...positions].map(([id, p]) => [id, rounded(p)] as const));
  layoutActions.markLaidOut(batch);
  const { toAgent, pending } = split(batch);
  if (toAgent.length === 0) return;
  layoutActions.setPending(pending);
  const edits: EditInput[] = toAgent.map((p) => ({
    type: 'setPosition',
    node: p.node,
    position: { x: p.x, y: p.y },
  }));
  // Recorded in its turn, on the document the edit ahead of it made (not the one of now).
  const result = await submitEdits(edits, step ? { step } : { record: false });
  if (result.ok) return;
  layoutActions.settle(new Map(), true);
  uiActions.notify(`Could not save the layout: ${result.message}`, 'error');
}
