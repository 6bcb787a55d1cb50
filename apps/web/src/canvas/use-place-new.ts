import { useStoreApi, type XYPosition } from '@xyflow/react';
import { useLayoutEffect, useRef } from 'react';
import { SEARCH_MAX, displacedLocals, savedPositions } from '../adapters/graph-layout';
import { autoLayout } from '../adapters/layout';
import { placeNodes, type Box, type NodeKind, type Unplaced } from '../adapters/placement';
import { skeletonOf } from '../adapters/graph-skeleton';
import type { Graph, NodeBox } from '../adapters/types';
import { layoutActions, useLayout } from '../store/layout';
import { useSession } from '../store/session';
import { uiActions } from '../store/ui';
import { edgeNeighbours } from './lay-out';
import { saveLaidOut } from './save-positions';

/**
 * Up to this many nodes, a lab where none has a place is laid out whole on open. ELK runs on the
 * page's thread: past this it would hold the page for seconds, and the adapter's rows stand.
 */
const WHOLE_MAX = 300;
/** Screen pixels kept free at the view's edges: a card placed there is seen whole. */
const VIEW_MARGIN = 24;

/** Nodes this page placed already (a refused save is not retried: the adapter's place stays). */
const tried = new Set<string>();
/**
 * Nodes it placed while they connected to nothing: `ip netns add` comes before the veth, so the
 * card shows up alone first. Joined to something later, and not moved by hand meanwhile, such a
 * node is placed again, beside what it now connects to.
 */
const placedAlone = new Set<string>();

/**
 * An editor's page gives every node without a place (made in a terminal, adopted, added by a
 * file or another client without one) a free place beside what it connects to, inside what the
 * person sees (adapters/placement.ts), and keeps it: in the document for its nodes (for every
 * viewer), in this browser for namespaces made by hand. A lab where no node has a place (a file
 * without positions, a lab recovered from the kernel) is laid out whole instead. Before the
 * first fit the view means nothing yet: places then are beside the neighbours only.
 * Runs before paint, so a new card never shows first where it would not stay.
 */
export function usePlaceNew(graph: Graph): void {
  const editable = useSession((s) => s.role === 'editor');
  const ready = useSession((s) => s.ready);
  // A replace of the whole lab in flight: its nodes' places come with the agent's next document.
  const replacing = useLayout((s) => s.replacing > 0);
  const flow = useStoreApi();
  const opened = useRef(false);

  useLayoutEffect(() => {
    if (!editable || !ready || replacing) return;
    const firstLook = !opened.current;
    opened.current = true;
    // Boxes, not node objects: a large lab's are made only as the canvas needs them (use-staged.ts).
    const { boxes } = skeletonOf(graph);
    const present = new Set(boxes.map((n) => n.id));
    for (const set of [tried, placedAlone]) for (const id of set) if (!present.has(id)) set.delete(id);
    const { pending, local } = useLayout.getState();
    const document = useSession.getState().document;
    const saved = savedPositions(document, { pending, local });
    // A place kept in this browser that now lies over another node is found again (and kept).
    const sizes = new Map(boxes.map((n) => [n.id, { width: n.width, height: n.height }]));
    const displaced = displacedLocals(document, { pending, local }, (id) => sizes.get(id));
    for (const id of displaced) {
      saved.delete(id);
      tried.delete(id);
    }
    const neighbours = edgeNeighbours(graph);
    const rejoined = new Set<string>();
    for (const id of placedAlone)
      if (neighbours.has(id)) {
        placedAlone.delete(id);
        if (layoutActions.placedByHand(id, saved.get(id))) continue;
        saved.delete(id);
        rejoined.add(id);
      }
    const unplaced = boxes.filter((n) => rejoined.has(n.id) || (!saved.has(n.id) && !tried.has(n.id)));
    if (unplaced.length === 0) return;
    for (const n of unplaced) tried.add(n.id);
    if (unplaced.length === boxes.length && unplaced.length > 1 && unplaced.length <= WHOLE_MAX) {
      void layOutWhole(graph);
      return;
    }
    // Many at once (a file or the CLI added a whole lab without places): the adapter's rows stand.
    if (unplaced.length > SEARCH_MAX) return;
    const view = firstLook ? null : visibleArea(flow.getState());
    const places = placeNodes(placedBoxes(boxes, saved), unplacedOf(unplaced, neighbours), view);
    for (const id of places.keys()) if (!neighbours.has(id)) placedAlone.add(id);
    void saveLaidOut(places);
  }, [editable, ready, replacing, graph, flow]);
}

async function layOutWhole(graph: Graph): Promise<void> {
  try {
    await saveLaidOut(await autoLayout(graph));
    uiActions.requestFit();
  } catch (error) {
    uiActions.notify(`Layout failed: ${error instanceof Error ? error.message : String(error)}`, 'error');
  }
}

function placedBoxes(
  boxes: readonly NodeBox[],
  saved: ReadonlyMap<string, XYPosition>,
): Map<string, Box & { kind: NodeKind }> {
  const out = new Map<string, Box & { kind: NodeKind }>();
  for (const n of boxes)
    if (saved.has(n.id)) out.set(n.id, { ...n.position, width: n.width, height: n.height, kind: n.type });
  return out;
}

function unplacedOf(nodes: readonly NodeBox[], neighbours: ReadonlyMap<string, string[]>): Unplaced[] {
  return nodes.map((n) => ({
    id: n.id,
    size: { width: n.width, height: n.height },
    kind: n.type,
    neighbours: neighbours.get(n.id) ?? [],
  }));
}

/** The part of the lab's plane the pane shows, in flow coordinates, less a margin. */
function visibleArea(s: { width: number; height: number; transform: [number, number, number] }): Box | null {
  const [tx, ty, zoom] = s.transform;
  if (s.width <= 0 || s.height <= 0 || zoom <= 0) return null;
  const m = VIEW_MARGIN / zoom;
  return {
    x: -tx / zoom + m,
    y: -ty / zoom + m,
    width: s.width / zoom - 2 * m,
    height: s.height / zoom - 2 * m,
  };
}
