import type { Viewport } from '@xyflow/react';
import type { NodeBox } from '../adapters/types';

/**
 * Above this many nodes the canvas does not fit the lab on open: fitted, 500 namespaces are
 * unreadable boxes at zoom 0.17, and every one of them has to be drawn before the first picture
 * (docs/benchmarks.md, "Canvas"). It opens at 100% on the lab's top-left corner instead, where
 * only the ~20 cards in view are drawn; "Fit" stays one click away.
 */
export const FIT_ON_OPEN_MAX_NODES = 80;

/**
 * How the canvas fits the lab (on open, "Fit"). Hidden nodes count: zoomed out, the overview
 * hides every node from React Flow's renderer (./use-overview.tsx), and a fit must still find them.
 */
export const FIT = { padding: 0.15, maxZoom: 1, includeHiddenNodes: true } as const;

/** Screen margin left of and above the lab's top-left node when opening at 100%. */
const MARGIN = { x: 64, y: 48 };

export function openingView(nodes: readonly Pick<NodeBox, 'position'>[]): Viewport | 'fit' {
  if (nodes.length <= FIT_ON_OPEN_MAX_NODES) return 'fit';
  let minX = Infinity;
  let minY = Infinity;
  for (const n of nodes) {
    if (n.position.x < minX) minX = n.position.x;
    if (n.position.y < minY) minY = n.position.y;
  }
  return { x: MARGIN.x - minX, y: MARGIN.y - minY, zoom: 1 };
}
