import { useReactFlow, useStore, useStoreApi } from '@xyflow/react';
import {
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  type Dispatch,
  type MouseEvent,
  type SetStateAction,
} from 'react';
import type { CanvasNode, VethEdge } from '../adapters/types';
import { uiActions } from '../store/ui';
import { OverviewLayer } from './OverviewLayer';
import { buildOverviewScene, hitTest, type Hit } from './overview-model';
import { SIMPLE_BELOW_ZOOM, zoomedOut } from './zoom';

/** Zoom a double-clicked box opens at: its card, whole and readable. */
const OPEN_ZOOM = 1;

/**
 * What React Flow is given zoomed out: every node hidden, no edge but a selected one (hidden too).
 * One result per input array, so the store's swap and the props that follow are the same objects
 * (React Flow then does not adopt 2,000 nodes twice).
 */
function once<T extends object>(make: (list: T[]) => T[]): (list: T[]) => T[] {
  const made = new WeakMap<T[], T[]>();
  return (list) => {
    let out = made.get(list);
    if (!out) made.set(list, (out = make(list)));
    return out;
  };
}
const hideNodes = once<CanvasNode>((nodes) => nodes.map((n) => (n.hidden ? n : { ...n, hidden: true })));
const hideEdges = once<VethEdge>((edges) =>
  edges.filter((e) => e.selected).map((e) => ({ ...e, hidden: true })),
);

/** React Flow's selection made to match a hit, replacing only the objects whose flag changes. */
function markSelected<T extends { id: string; selected?: boolean }>(list: T[], id: string | null): T[] {
  let changed = false;
  const next = list.map((item) => {
    const want = item.id === id;
    if (Boolean(item.selected) === want) return item;
    changed = true;
    return { ...item, selected: want };
  });
  return changed ? next : list;
}

/**
 * Below the zoom where cards would be plain boxes (./zoom.ts), the canvas draws the overview on
 * one `<canvas>` (./OverviewLayer.tsx) and React Flow renders no node and no edge: the nodes stay
 * in its store, hidden (so a fit still finds them and their selection is kept), the edges leave it
 * but for a selected one (hidden too). Zooming back in past the threshold brings the DOM cards
 * back. A click on the pane selects the box or edge under it (a double click also zooms to the
 * box's card); a click on empty canvas clears the selection, as before.
 */
export function useOverview(
  nodes: CanvasNode[],
  edges: VethEdge[],
  setNodes: Dispatch<SetStateAction<CanvasNode[]>>,
  setEdges: Dispatch<SetStateAction<VethEdge[]>>,
  enabled = true,
) {
  const overview = useStore(zoomedOut) && enabled;
  const flow = useReactFlow<CanvasNode, VethEdge>();
  const scene = useMemo(() => (overview ? buildOverviewScene(nodes, edges) : null), [overview, nodes, edges]);
  const shownNodes = useMemo(() => (overview ? hideNodes(nodes) : nodes), [overview, nodes]);
  const shownEdges = useMemo(() => (overview ? hideEdges(edges) : edges), [overview, edges]);
  useSwapOnCrossing(nodes, edges, enabled);

  const select = useCallback(
    (hit: Hit) => {
      uiActions.select(hit);
      setNodes((list) => markSelected(list, hit?.kind === 'node' ? hit.id : null));
      setEdges((list) => markSelected(list, hit?.kind === 'edge' ? hit.id : null));
    },
    [setNodes, setEdges],
  );

  const onPaneClick = useCallback(
    (event: MouseEvent) => {
      if (!scene) {
        uiActions.select(null);
        return;
      }
      const p = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      const hit = hitTest(scene, p.x, p.y, flow.getZoom());
      // After React Flow's own reaction to a pane click (it clears its selection right after this
      // handler returns), so the selection made here is the one that stays.
      queueMicrotask(() => select(hit));
      const box = hit?.kind === 'node' ? scene.byId.get(hit.id) : undefined;
      if (event.detail >= 2 && box)
        void flow.setCenter(box.x + box.w / 2, box.y + box.h / 2, { zoom: OPEN_ZOOM, duration: 300 });
    },
    [scene, flow, select],
  );

  return {
    overview,
    nodes: shownNodes,
    edges: shownEdges,
    onPaneClick,
    layer: scene ? <OverviewLayer scene={scene} /> : null,
  };
}

/**
 * React Flow takes new nodes and edges from its props in an effect, after rendering the new zoom
 * with the old ones: crossing the threshold would mount every node as a plain box (2,000 of them)
 * for one frame on the way out, and show an empty canvas for one on the way in. So when a gesture
 * crosses it, its store gets the other set at once, in the same update as the zoom; the props
 * that follow carry the same.
 */
function useSwapOnCrossing(nodes: CanvasNode[], edges: VethEdge[], enabled: boolean): void {
  const api = useStoreApi<CanvasNode, VethEdge>();
  const latest = useRef({ nodes, edges });
  useLayoutEffect(() => {
    latest.current = { nodes, edges };
  }, [nodes, edges]);
  useEffect(() => {
    if (!enabled) return;
    return api.subscribe((s, prev) => {
      const out = s.transform[2] < SIMPLE_BELOW_ZOOM;
      if (out === prev.transform[2] < SIMPLE_BELOW_ZOOM) return;
      const { nodes: n, edges: e } = latest.current;
      s.setNodes(out ? hideNodes(n) : n);
      s.setEdges(out ? hideEdges(e) : e);
    });
  }, [api, enabled]);
}
