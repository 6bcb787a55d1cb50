import { useStore, type Viewport } from '@xyflow/react';
import { useEffect, useMemo, useState } from 'react';
import { skeletonOf } from '../adapters/graph-skeleton';
import type { Graph, GraphSkeleton } from '../adapters/types';
import {
  CHUNK_NODES,
  NEAR_MARGIN,
  givenPart,
  laterChunks,
  openingIds,
  viewArea,
  type Staged,
} from './staging';
import { zoomedOut } from './zoom';

/**
 * A large lab's first picture is its opening view at 100% (./opening.ts). Only the nodes that
 * picture needs (./staging.ts) are made and handed to React Flow, with the edges between them:
 * the adapter makes a node or edge object when first asked for (adapters/graph-skeleton.ts), so
 * neither it nor React Flow spends anything on the 2,000 others before the first frame
 * (docs/benchmarks.md, "First render, 2026-12-02 (session 9)"). The others are made and given
 * after that frame, nearest first, one step per idle moment; every node is in within a second or
 * so, and at once when the view is to be fitted or is zoomed out to the overview, which draw
 * the whole lab. A pan that outruns the steps meets the few not given yet a moment later.
 */

interface Plan {
  first: ReadonlySet<string>;
  chunks: string[][];
}

function planOpening(skeleton: GraphSkeleton, opening: Viewport | 'fit' | null): Plan | null {
  if (opening === null || opening === 'fit' || typeof window === 'undefined') return null;
  // The pane is not measured before the first render; the window holds it.
  const area = viewArea(opening, { width: window.innerWidth, height: window.innerHeight }, NEAR_MARGIN);
  const first = openingIds(skeleton.boxes, skeleton.links, area);
  const chunks = laterChunks(skeleton.boxes, first, area, CHUNK_NODES);
  return chunks.length === 0 ? null : { first, chunks };
}

/** Runs `fn` when the page is idle, at the latest after `timeout` ms; returns the cancel. */
function whenIdle(fn: () => void, timeout = 100): () => void {
  if (typeof requestIdleCallback === 'function') {
    const handle = requestIdleCallback(fn, { timeout });
    return () => cancelIdleCallback(handle);
  }
  const handle = setTimeout(fn, 0);
  return () => clearTimeout(handle);
}

const plus = (given: ReadonlySet<string> | null, chunk: readonly string[] | undefined) => {
  if (!given || !chunk) return null;
  const next = new Set(given);
  for (const id of chunk) next.add(id);
  return next;
};

/**
 * What the canvas shows of `graph` while a large lab opens (`graph`'s own nodes and edges once
 * every node is given); `wantsAll` gives the rest at once.
 */
export function useStagedGraph(graph: Graph, opening: Viewport | 'fit' | null, wantsAll: boolean): Staged {
  const [plan] = useState(() => planOpening(skeletonOf(graph), opening));
  const [given, setGiven] = useState<ReadonlySet<string> | null>(plan?.first ?? null);

  useEffect(() => {
    if (!plan) return;
    let step = 0;
    let cancel = () => {};
    const next = () => {
      const chunk = plan.chunks[step++];
      // The last step gives the graph itself: nodes added since the plan come with it.
      setGiven((g) => (step < plan.chunks.length ? plus(g, chunk) : null));
      if (step < plan.chunks.length) cancel = whenIdle(next);
    };
    // After the first frame is painted: a rAF callback runs before that frame, the idle one after.
    const frame = requestAnimationFrame(() => {
      cancel = whenIdle(next);
    });
    return () => {
      cancelAnimationFrame(frame);
      cancel();
    };
  }, [plan]);

  // The overview draws every box of the lab, and a fit takes in every node: for either, every
  // node is given at once (set while rendering, as React has state follow other state).
  const out = useStore(zoomedOut);
  if (given && (out || wantsAll)) setGiven(null);

  const shown = useMemo(
    () => (given ? givenPart(graph, given) : { nodes: graph.nodes, edges: graph.edges, held: 0 }),
    [graph, given],
  );
  return shown;
}
