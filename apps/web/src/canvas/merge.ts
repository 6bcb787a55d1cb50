import type { CanvasNode, VethEdge } from '../adapters/types';

/**
 * New nodes from the adapter, keeping what only React Flow knows: whether a node is being dragged
 * right now (and where), and what is selected. Sizes are given up front, never dropped.
 */
export function mergeNodes(prev: readonly CanvasNode[], next: readonly CanvasNode[]): CanvasNode[] {
  const before = new Map(prev.map((n) => [n.id, n]));
  return next.map((n) => {
    const p = before.get(n.id);
    if (!p) return n;
    if (p.dragging) return { ...n, position: p.position, dragging: true, selected: p.selected } as CanvasNode;
    return p.selected ? ({ ...n, selected: true } as CanvasNode) : n;
  });
}

export function mergeEdges(prev: readonly VethEdge[], next: readonly VethEdge[]): VethEdge[] {
  const selected = new Set(prev.filter((e) => e.selected).map((e) => e.id));
  return next.map((e) => (selected.has(e.id) ? { ...e, selected: true } : e));
}
