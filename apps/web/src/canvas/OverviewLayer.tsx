import { useStore, useStoreApi } from '@xyflow/react';
import { useEffect, useRef, useState } from 'react';
import type { CanvasNode, VethEdge } from '../adapters/types';
import { rateKey, useRates } from '../store/rates';
import { useUi, type Selection } from '../store/ui';
import { drawOverview } from './overview-draw';
import { frameOf, hitTest, type Hit, type OverviewScene } from './overview-model';

const STYLE = { position: 'absolute', inset: 0, zIndex: 4, pointerEvents: 'none' } as const;

export const selectionHit = (s: Selection): Hit =>
  s === null ? null : s.kind === 'interface' ? { kind: 'node', id: s.nodeId } : s;

/**
 * The overview's `<canvas>`, over React Flow's (empty) renderer and under its controls. It lets
 * every pointer event through to the pane, so panning and zooming stay React Flow's; it follows
 * the pointer itself for the hover mark (the pane's click is the Canvas's, ./use-overview.tsx).
 * Repainted in the next animation frame after anything it shows changes: the viewport, the
 * picture (observed patches), the rates, the selection, the hover.
 */
export function OverviewLayer({ scene }: { scene: OverviewScene }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const api = useStoreApi<CanvasNode, VethEdge>();
  const width = useStore((s) => s.width);
  const height = useStore((s) => s.height);
  const selected = selectionHit(useUi((s) => s.selection));
  const rates = useRates((s) => s.rates);
  const hovered = useHover(ref, scene);

  useEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    const dpr = window.devicePixelRatio || 1;
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(height * dpr);
    const flowing = (end: { context: string; ifname: string }): boolean => {
      const r = rates.get(rateKey(end.context, end.ifname));
      return r !== undefined && r.rxPps + r.txPps > 0;
    };
    let pending = 0;
    const paint = () => {
      pending = 0;
      const [x, y, zoom] = api.getState().transform;
      const viewport = { x, y, zoom };
      const frame = frameOf(scene, viewport, width, height);
      drawOverview(ctx, { frame, viewport, width, height, dpr, selected, hovered, flowing });
      // What the tests and the benchmark read: how much this frame drew, at which zoom, when.
      canvas.dataset.boxes = String(frame.boxes.length);
      canvas.dataset.edges = String(frame.edges.length);
      canvas.dataset.zoom = zoom.toFixed(4);
      canvas.dataset.paintedAt = String(performance.now());
    };
    const schedule = () => {
      if (pending === 0) pending = requestAnimationFrame(paint);
    };
    schedule();
    const unsubscribe = api.subscribe((s, prev) => {
      if (s.transform !== prev.transform) schedule();
    });
    return () => {
      unsubscribe();
      cancelAnimationFrame(pending);
    };
    // `selected` and `hovered` are new objects per render; their ids say whether they changed.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, scene, width, height, rates, selected?.kind, selected?.id, hovered?.kind, hovered?.id]);

  return (
    <canvas
      ref={ref}
      data-testid="overview"
      role="img"
      aria-label={`overview of ${scene.boxes.length} nodes; zoom in to see their cards`}
      style={{ ...STYLE, width, height }}
    />
  );
}

/** The box or edge under the pointer, followed on the canvas's parent (React Flow's wrapper). */
function useHover(ref: React.RefObject<HTMLCanvasElement | null>, scene: OverviewScene): Hit {
  const api = useStoreApi<CanvasNode, VethEdge>();
  const [hovered, setHovered] = useState<Hit>(null);
  useEffect(() => {
    const wrapper = ref.current?.parentElement;
    if (!wrapper) return;
    const pane = wrapper.querySelector<HTMLElement>('.react-flow__pane');
    let last: Hit = null;
    const set = (hit: Hit) => {
      if (hit?.id === last?.id && hit?.kind === last?.kind) return;
      last = hit;
      setHovered(hit);
      if (pane) pane.style.cursor = hit ? 'pointer' : '';
    };
    const move = (event: PointerEvent) => {
      // While a button is down the hand is panning; over the controls nothing is under it.
      if (event.buttons !== 0 || event.target !== pane) return set(null);
      const rect = wrapper.getBoundingClientRect();
      const [x, y, zoom] = api.getState().transform;
      const fx = (event.clientX - rect.left - x) / zoom;
      const fy = (event.clientY - rect.top - y) / zoom;
      set(hitTest(scene, fx, fy, zoom));
    };
    const leave = () => set(null);
    wrapper.addEventListener('pointermove', move);
    wrapper.addEventListener('pointerleave', leave);
    return () => {
      wrapper.removeEventListener('pointermove', move);
      wrapper.removeEventListener('pointerleave', leave);
      if (pane) pane.style.cursor = '';
    };
  }, [ref, api, scene]);
  return hovered;
}
