import { ROOT } from '@netcanvas/model';
import { useEffect } from 'react';
import type { Graph } from '../adapters/types';
import { uiActions, useUi, type Selection } from '../store/ui';

/**
 * The selection names something the picture no longer has (a node deleted, the lab replaced). The
 * lab's root never goes: with nothing in it, it has no card, and its inspector is still there.
 */
export function selectionGone(selection: Selection, graph: Graph): boolean {
  if (selection === null) return false;
  if (selection.kind === 'edge') return !graph.edges.some((e) => e.id === selection.id);
  const id = selection.kind === 'node' ? selection.id : selection.nodeId;
  // The lab's root is always there, with a card or without one (reached from the lab summary).
  return id !== ROOT && !graph.nodes.some((n) => n.id === id);
}

/**
 * Clears a selection whose node or link is gone from the picture, so the inspector never goes
 * on describing a namespace of the lab that was replaced. An interface of a node still there stays
 * selected while it is missing: the inspector says the kernel does not have it (yet).
 */
export function useSelectionFollowsGraph(graph: Graph): void {
  const selection = useUi((s) => s.selection);
  useEffect(() => {
    if (selectionGone(selection, graph)) uiActions.select(null);
  }, [selection, graph]);
}
