import { useStore, useStoreApi, type Viewport } from '@xyflow/react';

type FlowStore = ReturnType<typeof useStoreApi<CanvasNode, VethEdge>>;
import { useEffect, useRef, useState } from 'react';
import type { CanvasNode, EndRef, VethEdge } from '../adapters/types';
import { plural } from '../lib/plural';
import { rateKey, useRates } from '../store/rates';
import { useUi, type Selection } from '../store/ui';
import { drawOverview } from './overview-draw';
import {
  countInView,
  frameOf,
  hitTest,
  reuseTransform,
  type Hit,
  type OverviewScene,
} from './overview-model';

const STYLE = { position: 'absolute', zIndex: 4, pointerEvents: 'none', transformOrigin: '0 0' } as const;
/** The canvas's own backdrop (it is opaque): React Flow's wrapper's, as canvas/Canvas.tsx sets it. */
const BACKDROP = '#f8fafc';
/** After a zoom, the scaled picture is painted again, sharp, once the zoom has paused this long. */
const SHARPEN_AFTER_MS = 120;
/** The canvas reaches this much of the pane's size beyond each of its sides. */
const MARGIN = 0.5;

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

  const mx = Math.round(width * MARGIN);
  const my = Math.round(height * MARGIN);
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas) return;
    const flowing = (end: { context: string; ifname: string }): boolean => {
      const r = rates.get(rateKey(end.context, end.ifname));
      return r !== undefined && r.rxPps + r.txPps > 0;
    };
    return startPainting(canvas, api, { scene, width, height, mx, my, selected, hovered, flowing });
    // `selected` and `hovered` are new objects per render; their ids say whether they changed.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, scene, width, height, mx, my, rates, selected?.kind, selected?.id, hovered?.kind, hovered?.id]);

  return (
    <canvas
      ref={ref}
      data-testid="overview"
      role="img"
      aria-label={`overview of ${plural(scene.boxes.length, 'node')}; zoom in to see their cards`}
      style={{ ...STYLE, left: -mx, top: -my, width: width + 2 * mx, height: height + 2 * my }}
    />
  );
}

interface Picture {
  scene: OverviewScene;
  width: number;
  height: number;
  mx: number;
  my: number;
  selected: Hit;
  hovered: Hit;
  flowing: (end: EndRef) => boolean;
}

/**
 * Paints the overview and follows the viewport until the returned function stops it. The canvas
 * is the pane plus a margin on every side (`MARGIN`), painted for one viewport; while the viewport
 * moves, the painted canvas is moved and scaled to match (a CSS transform: composited, nothing
 * drawn) as long as it still covers the pane, and painted again, sharp, once a zoom has paused.
 * Beyond that (a pan past the margin, a zoom out far enough) it is painted in the next frame.
 */
function startPainting(canvas: HTMLCanvasElement, api: FlowStore, p: Picture): () => void {
  // Opaque: the compositor then moves it without blending it over the backdrop.
  const ctx = canvas.getContext('2d', { alpha: false });
  if (!ctx) return () => undefined;
  const dpr = window.devicePixelRatio || 1;
  const pane = { width: p.width, height: p.height, mx: p.mx, my: p.my };
  const [w, h] = [p.width + 2 * p.mx, p.height + 2 * p.my];
  canvas.width = Math.round(w * dpr);
  canvas.height = Math.round(h * dpr);
  let drawn: Viewport | null = null;
  let frame = 0;
  let sharpen: ReturnType<typeof setTimeout> | undefined;
  const viewport = (): Viewport => {
    const [x, y, zoom] = api.getState().transform;
    return { x, y, zoom };
  };
  // What the tests and the benchmark read: what is on screen, at which zoom, painted when.
  const count = (v: Viewport) => {
    const seen = countInView(p.scene, v, p.width, p.height);
    canvas.dataset.boxes = String(seen.boxes);
    canvas.dataset.edges = String(seen.edges);
    canvas.dataset.zoom = v.zoom.toFixed(4);
  };
  const paint = () => {
    frame = 0;
    const v = viewport();
    const at = { x: v.x + p.mx, y: v.y + p.my, zoom: v.zoom };
    const items = frameOf(p.scene, at, w, h);
    drawOverview(ctx, { ...p, frame: items, viewport: at, width: w, height: h, dpr, backdrop: BACKDROP });
    canvas.style.transform = '';
    drawn = v;
    canvas.dataset.paintedAt = String(performance.now());
    count(v);
  };
  const repaint = () => {
    if (frame === 0) frame = requestAnimationFrame(paint);
  };
  const follow = () => {
    const v = viewport();
    const reuse = drawn && reuseTransform(drawn, v, pane);
    if (!reuse) return repaint();
    canvas.style.transform = `translate(${reuse.x}px, ${reuse.y}px) scale(${reuse.scale})`;
    count(v);
    clearTimeout(sharpen);
    if (reuse.scale !== 1) sharpen = setTimeout(repaint, SHARPEN_AFTER_MS);
  };
  repaint();
  const unsubscribe = api.subscribe((s, prev) => {
    if (s.transform !== prev.transform) follow();
  });
  return () => {
    unsubscribe();
    cancelAnimationFrame(frame);
    clearTimeout(sharpen);
  };
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
