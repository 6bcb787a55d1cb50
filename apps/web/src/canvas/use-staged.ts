import type { Viewport } from '@xyflow/react';
import { useEffect, useMemo, useState } from 'react';
import type { CanvasNode, VethEdge } from '../adapters/types';
import { CHUNK_NODES, NEAR_MARGIN, laterChunks, openingIds, viewArea } from './staging';

/**
 * A large lab's first picture is its opening view at 100% (./opening.ts): the nodes that picture
 * needs (./staging.ts) are handed to React Flow whole, every other one hidden (its box, place and
 * handles are in React Flow's store, so a fit or a selection still finds it, but React Flow
 * renders nothing of it and draws none of its edges), and given back in steps after the first
 * frame, nearest first, one step per idle moment. React Flow takes in what it renders once, so
 * the first frame's cost follows what is on screen, not the lab's size (docs/benchmarks.md,
 * "First render at 2,000"). Every node is shown within a second or so; a pan that outruns that
 * meets the few not shown yet a moment later.
 */

interface Plan {
  held: ReadonlySet<string>;
  chunks: string[][];
}

function planOpening(nodes: CanvasNode[], edges: VethEdge[], opening: Viewport | 'fit' | null): Plan | null {
  if (opening === null || opening === 'fit' || typeof window === 'undefined') return null;
  // The pane is not measured before the first render; the window holds it.
  const area = viewArea(opening, { width: window.innerWidth, height: window.innerHeight }, NEAR_MARGIN);
  const first = openingIds(nodes, edges, area);
  const chunks = laterChunks(nodes, first, area, CHUNK_NODES);
  return chunks.length === 0 ? null : { held: new Set(chunks.flat()), chunks };
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

/** A held node as React Flow is given it: one copy per node object, so it is taken in once. */
const hiddenCopies = new WeakMap<CanvasNode, CanvasNode>();
function hidden(n: CanvasNode): CanvasNode {
  if (n.hidden) return n;
  let copy = hiddenCopies.get(n);
  if (!copy) hiddenCopies.set(n, (copy = { ...n, hidden: true } as CanvasNode));
  return copy;
}

const without = (held: ReadonlySet<string>, chunk: readonly string[]): ReadonlySet<string> | null => {
  const next = new Set(held);
  for (const id of chunk) next.delete(id);
  return next.size > 0 ? next : null;
};

/**
 * What React Flow is given while a large lab opens: `nodes` with those not shown yet hidden, and
 * the edges between shown nodes; `held` counts the nodes not shown yet (0 once all are).
 */
export function useStagedOpening(
  nodes: CanvasNode[],
  edges: VethEdge[],
  opening: Viewport | 'fit' | null,
): { nodes: CanvasNode[]; edges: VethEdge[]; held: number } {
  const [plan] = useState(() => planOpening(nodes, edges, opening));
  const [held, setHeld] = useState<ReadonlySet<string> | null>(plan?.held ?? null);

  useEffect(() => {
    if (!plan) return;
    let step = 0;
    let cancel = () => {};
    const next = () => {
      const chunk = plan.chunks[step++];
      if (!chunk) return;
      setHeld((h) => (h ? without(h, chunk) : null));
      cancel = whenIdle(next);
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

  const shownNodes = useMemo(
    () => (held ? nodes.map((n) => (held.has(n.id) ? hidden(n) : n)) : nodes),
    [nodes, held],
  );
  const shownEdges = useMemo(
    () => (held ? edges.filter((e) => !held.has(e.source) && !held.has(e.target)) : edges),
    [edges, held],
  );
  return { nodes: shownNodes, edges: shownEdges, held: held?.size ?? 0 };
}
