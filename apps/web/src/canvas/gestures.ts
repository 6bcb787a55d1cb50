import type { OnBeforeDelete, OnConnectEnd, OnSelectionChangeFunc } from '@xyflow/react';
import { ROOT } from '@netcanvas/model';
import type { CanvasNode, VethEdge } from '../adapters/types';
import { useSession } from '../store/session';
import { uiActions, useUi } from '../store/ui';
import { deleteEdits } from './delete-edits';

/**
 * What the canvas does with a hand's gestures: each turns into a selection, a request to the agent
 * or a dialog, and none needs the canvas's own state, so they live here, made once.
 */

/** How far (in the canvas's units) a drag from a node's knob must go to ask for a pair within that node. */
const LOOP_DRAG = 40;

type Point = { x: number; y: number } | null;
const isLoopGesture = (from: Point, to: Point): boolean =>
  from !== null && to !== null && Math.hypot(to.x - from.x, to.y - from.y) >= LOOP_DRAG;

export const onSelectionChange: OnSelectionChangeFunc<CanvasNode, VethEdge> = ({ nodes: n, edges: e }) => {
  const current = useUi.getState().selection;
  const [node] = n;
  const [edge] = e;
  if (n.length === 1 && node) {
    // A click on an interface row selected that interface first: keep it.
    if (current?.kind === 'interface' && current.nodeId === node.id) return;
    uiActions.select({ kind: 'node', id: node.id });
  } else if (n.length === 0 && e.length === 1 && edge) uiActions.select({ kind: 'edge', id: edge.id });
  else if (n.length === 0 && e.length === 0 && current?.kind !== 'interface') uiActions.select(null);
};

export const onBeforeDelete: OnBeforeDelete<CanvasNode, VethEdge> = async ({ nodes: n, edges: e }) => {
  deleteEdits(n, e);
  // Nothing disappears until the agent says so.
  return false;
};

export const onConnectEnd: OnConnectEnd = (event, state) => {
  const from = state.fromNode?.id;
  let to = state.toNode?.id;
  if (!to) {
    const point = 'changedTouches' in event ? event.changedTouches[0] : event;
    const target = point ? document.elementFromPoint(point.clientX, point.clientY) : null;
    to = target?.closest<HTMLElement>('.react-flow__node')?.dataset.id;
  }
  if (!from || !to) return;
  // Dropped back on its own node: a pair with both ends there (the tutorial's vethfoo ⇄ vethbar),
  // drawn as a loop; only after a real drag (a click on the knob is not a wish), never on a
  // bridge (a pair between two of its own ports is a loop in the bridge).
  if (from === to && (!isLoopGesture(state.from, state.to) || state.fromNode?.type === 'bridge')) return;
  // A namespace or bridge made by hand is not the document's: a veth to it could not be made (the
  // dialog's create failed with "no namespace or bridge named …"). Said at the drop, with the way.
  const foreign = [from, to].find((id) => !inDocument(id));
  if (foreign !== undefined)
    return uiActions.notify(
      `"${foreign}" was made by hand, so netcanvas cannot connect it yet: adopt it first (select it, then "adopt"), then draw the pair.`,
      'error',
    );
  uiActions.draftConnect({ from, to });
};

/** A node the document has: the lab's root, one of its namespaces or bridges. */
function inDocument(id: string): boolean {
  const { document } = useSession.getState();
  return (
    id === ROOT ||
    document.namespaces.some((n) => n.name === id) ||
    document.bridges.some((b) => b.name === id)
  );
}
