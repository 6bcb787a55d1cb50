import {
  ConnectionMode,
  Controls,
  ReactFlow,
  applyEdgeChanges,
  applyNodeChanges,
  useReactFlow,
  type EdgeChange,
  type NodeChange,
} from '@xyflow/react';
import { useCallback, useEffect, useRef, useState } from 'react';
import { skeletonOf } from '../adapters/graph-skeleton';
import type { CanvasNode, VethEdge } from '../adapters/types';
import { FIT, openingView } from './opening';
import { useSession } from '../store/session';
import { uiActions, useUi } from '../store/ui';
import { onBeforeDelete, onConnectEnd, onSelectionChange } from './gestures';
import { mergeEdges, mergeNodes } from './merge';
import { savePosition } from './save-positions';
import { edgeTypes, nodeTypes } from './types';
import { useGraph } from './useGraph';
import { useRoutedEdges } from './use-edge-routes';
import { useOverview } from './use-overview';
import { usePlaceNew } from './use-place-new';
import { useSelectionFollowsGraph } from './use-selection-follows';
import { useStagedGraph } from './use-staged';
import { useViewMotion } from './use-view-motion';

const DELETE_KEYS = ['Delete', 'Backspace'];
const DEFAULT_VIEW = { x: 64, y: 48, zoom: 1 };
const BACKDROP = { backgroundColor: '#f8fafc' };

type CanvasProps = { virtualise?: boolean; overview?: boolean; staged?: boolean };

/**
 * The canvas shows what the agent confirmed (the adapter's output); only what React Flow needs
 * while a hand is on it (drag positions, selection) lives here between two confirmations.
 * `virtualise={false}`, `overview={false}` (DOM plain boxes zoomed out) and `staged={false}` (a
 * large lab's every node handed to React Flow before the first frame) exist for the benchmark's
 * comparisons only (src/bench); the app always virtualises, draws the overview and stages.
 */
export function Canvas({ virtualise = true, overview = true, staged = true }: CanvasProps) {
  const graph = useGraph();
  // A node without a place gets a free one beside what it connects to, in view (./use-place-new.ts).
  usePlaceNew(graph);
  useSelectionFollowsGraph(graph);
  const editable = useSession((s) => s.role === 'editor');
  const ready = useSession((s) => s.ready);
  const flow = useReactFlow<CanvasNode, VethEdge>();
  const fitted = useRef(false);

  // The view on open, once, when the page first learns the lab; later additions do not move it.
  // A small lab is fitted; a large one opens at 100% on its top-left corner (see ./opening.ts).
  // Computed during the first render when the lab is already known, so that frame is the right one.
  const [initialView] = useState(() => (ready ? openingView(skeletonOf(graph).boxes) : null));
  // A large lab's first frame makes and takes in only what its opening view shows; the rest follows
  // (./use-staged.ts). `given` is the graph once every node is given.
  const fitRequested = useUi((s) => s.fitRequested);
  const given = useStagedGraph(graph, staged ? initialView : null, fitRequested !== false);
  const [nodes, setNodes] = useState<CanvasNode[]>(given.nodes);
  const [edges, setEdges] = useState<VethEdge[]>(given.edges);

  // A new confirmed picture: merged in during render (not in an effect), so it paints at once.
  const [shown, setShown] = useState(given);
  if (shown !== given) {
    setShown(given);
    setNodes(mergeNodes(nodes, given.nodes));
    setEdges(mergeEdges(edges, given.edges));
  }

  useEffect(() => {
    if (fitted.current || !ready) return;
    fitted.current = true;
    const boxes = skeletonOf(graph).boxes;
    if (boxes.length === 0) return;
    const view = initialView ?? openingView(boxes);
    if (view === 'fit') requestAnimationFrame(() => void flow.fitView(FIT));
    else if (view !== initialView) void flow.setViewport(view);
  }, [ready, graph, flow, initialView]);

  useEffect(() => {
    // A fit takes in the whole lab: while nodes are still held, it waits for them (all given now).
    if (!fitRequested || given.held > 0) return;
    uiActions.requestFit(false);
    const fit = fitRequested === 'animated' ? { ...FIT, duration: 300 } : FIT;
    requestAnimationFrame(() => void flow.fitView(fit));
  }, [fitRequested, nodes, flow, given.held]);

  const onNodesChange = useCallback((changes: NodeChange<CanvasNode>[]) => {
    setNodes((nds) => applyNodeChanges(changes, nds));
    // The end of a drag, or a move with the arrow keys: the document keeps the layout.
    for (const c of changes)
      if (c.type === 'position' && c.dragging === false && c.position) savePosition(c.id, c.position);
  }, []);

  const onEdgesChange = useCallback((changes: EdgeChange<VethEdge>[]) => {
    setEdges((eds) => applyEdgeChanges(changes, eds));
  }, []);

  // Edges routed around the cards, their labels placed (./use-edge-routes.ts); zoomed out, one
  // <canvas> draws every node and edge instead of React Flow (./use-overview.tsx).
  const routed = useRoutedEdges(nodes, edges);
  const drawn = useOverview(nodes, routed, setNodes, setEdges, overview);
  const { ref: motionRef, onMoveStart, onMoveEnd } = useViewMotion();

  return (
    <ReactFlow<CanvasNode, VethEdge>
      ref={motionRef}
      data-view="still"
      data-view-moves="0"
      onMoveStart={onMoveStart}
      onMoveEnd={onMoveEnd}
      nodes={drawn.nodes}
      edges={drawn.edges}
      data-held={given.held}
      nodeTypes={nodeTypes}
      edgeTypes={edgeTypes}
      onNodesChange={onNodesChange}
      onEdgesChange={onEdgesChange}
      onSelectionChange={onSelectionChange}
      onBeforeDelete={onBeforeDelete}
      onConnectEnd={onConnectEnd}
      onPaneClick={drawn.onPaneClick}
      zoomOnDoubleClick={!drawn.overview}
      onlyRenderVisibleElements={virtualise}
      connectionMode={ConnectionMode.Loose}
      nodesDraggable={editable}
      nodesConnectable={editable}
      deleteKeyCode={editable ? DELETE_KEYS : null}
      defaultViewport={initialView && initialView !== 'fit' ? initialView : DEFAULT_VIEW}
      minZoom={0.05}
      maxZoom={2}
      aria-label="network canvas"
      // A flat, static backdrop: React Flow's dotted <Background> is an SVG pattern redrawn on every
      // pan frame (docs/benchmarks.md: ~48 → 59–60 fps panning at 100% without it).
      style={BACKDROP}
    >
      {drawn.layer}
      <Controls showInteractive={false} showFitView={false} position="bottom-left" />
    </ReactFlow>
  );
}
