import type { XYPosition } from '@xyflow/react';
import { savedPositions } from '../adapters/graph-layout';
import { autoLayout } from '../adapters/layout';
import { keepPlaced } from '../adapters/layout-keep';
import type { Box } from '../adapters/placement';
import { skeletonOf } from '../adapters/graph-skeleton';
import type { Graph } from '../adapters/types';
import { plural } from '../lib/plural';
import { layoutActions, useLayout } from '../store/layout';
import { useSession } from '../store/session';
import { uiActions } from '../store/ui';
import { saveLaidOut } from './save-positions';

export type LayOutWhich = 'all' | 'new';

const boxOf = (n: Graph['nodes'][number]): Box => ({
  ...n.position,
  width: n.width ?? 0,
  height: n.height ?? 0,
});

/** Which nodes each node has an edge to. */
export function edgeNeighbours(graph: Graph): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const join = (a: string, b: string) => {
    const list = out.get(a) ?? [];
    list.push(b);
    out.set(a, list);
  };
  for (const e of skeletonOf(graph).links) {
    join(e.source, e.target);
    join(e.target, e.source);
  }
  return out;
}

/** Which nodes a person placed (dragged, or a file's place) and which the layout did: by their saved places. */
export function placedHow(graph: Graph): { byHand: Set<string>; laidOut: Map<string, XYPosition> } {
  const { pending, local } = useLayout.getState();
  const saved = savedPositions(useSession.getState().document, { pending, local });
  const byHand = new Set<string>();
  const laidOut = new Map<string, XYPosition>();
  for (const n of graph.nodes) {
    const p = saved.get(n.id);
    if (!p) continue;
    if (layoutActions.placedByHand(n.id, p)) byHand.add(n.id);
    else laidOut.set(n.id, p);
  }
  return { byHand, laidOut };
}

/**
 * "Lay out all": every node where ELK puts it. "Lay out new": only the nodes nobody placed by
 * hand, around those, which stay (layout-keep.ts). Either way the picture stays about where it
 * was drawn, is one undo step, and the canvas then fits the lab.
 */
export async function layOut(which: LayOutWhich, graph: Graph): Promise<void> {
  const laid = await autoLayout(graph);
  const how = placedHow(graph);
  const boxes = new Map(graph.nodes.map((n) => [n.id, boxOf(n)]));
  const kept = new Map<string, Box>();
  const settled = new Map<string, XYPosition>();
  for (const n of graph.nodes)
    if (which === 'new' && how.byHand.has(n.id)) kept.set(n.id, boxOf(n));
    else if (which === 'all' || how.laidOut.has(n.id)) settled.set(n.id, n.position);
  const positions = keepPlaced({
    laidOut: laid,
    kept,
    settled,
    sizes: boxes,
    neighbours: edgeNeighbours(graph),
  });
  if (positions.size === 0) {
    uiActions.notify('Nothing to lay out: every card was placed by hand. “Lay out all” moves them too.');
    return;
  }
  const saving = saveLaidOut(positions, which === 'all' ? 'lay out all' : 'lay out new');
  uiActions.requestFit();
  await saving;
  const stayed = kept.size === 0 ? '' : `; ${plural(kept.size, 'node')} placed by hand stayed`;
  uiActions.notify(`Laid out ${plural(positions.size, 'node')}${stayed}.`);
}
