import { ServerMessage } from '@netcanvas/model';
import type { ReactFlowInstance, ReactFlowState } from '@xyflow/react';
import { buildGraph } from '../adapters/graph';
import type { CanvasNode, VethEdge } from '../adapters/types';
import { FIT, FIT_ON_OPEN_MAX_NODES } from '../canvas/opening';
import { parseServerMessage } from '../protocol/parse-message';
import { useSession } from '../store/session';
import { dispatch, parse } from './connection';
import { PITCH_X, PITCH_Y, labGeometry, observedText, ratesText, welcomeText, type LabGeometry } from './lab';

/**
 * What `window.__bench` offers the runner (e2e/bench/canvas.ts). Every measurement runs inside the
 * page, in one `evaluate`, so nothing crosses the DevTools protocol while it is being timed.
 *
 * - a frame is "painted" when a message posted from its requestAnimationFrame callback arrives:
 *   that task runs after the frame's style, layout and paint on the main thread;
 * - a React commit is stamped by a layout effect in `Probe` (main.tsx), in the same commit as the
 *   canvas's own components.
 */

type FlowState = ReactFlowState<CanvasNode, VethEdge>;

export const probe: {
  getState: (() => FlowState) | null;
  flow: ReactFlowInstance<CanvasNode, VethEdge> | null;
  /** performance.now() of the last commit that showed new rates / new nodes in React Flow's store. */
  ratesCommit: number;
  nodesCommit: number;
  /** … of the first commit with any nodes (the lab opened). */
  firstNodesCommit: number;
} = { getState: null, flow: null, ratesCommit: 0, nodesCommit: 0, firstNodesCommit: 0 };

const nextFrame = (): Promise<number> => new Promise((resolve) => requestAnimationFrame(resolve));

/** Called in a rAF callback (or right after one): resolves once that frame has been rendered. */
const afterThisFrame = (): Promise<number> =>
  new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve(performance.now());
    channel.port2.postMessage(null);
  });

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function flow(): ReactFlowInstance<CanvasNode, VethEdge> {
  if (!probe.flow) throw new Error('the canvas is not mounted');
  return probe.flow;
}

function state(): FlowState {
  if (!probe.getState) throw new Error('the canvas is not mounted');
  return probe.getState();
}

type Box = { x: number; y: number; width: number; height: number };
/** A positive common area, as React Flow counts an edge visible. */
const meets = (a: Box, b: Box): boolean =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** The part of the lab's plane the pane shows. */
function viewOf(s: FlowState): Box {
  const [tx, ty, zoom] = s.transform;
  return { x: -tx / zoom, y: -ty / zoom, width: s.width / zoom, height: s.height / zoom };
}

/**
 * The lab's namespaces whose box overlaps the visible area, from the lab as the bench planned it:
 * a large lab's canvas makes and hands React Flow only what its opening view needs first
 * (canvas/use-staged.ts), so React Flow's store cannot say what is missing.
 */
function visibleNodeIds(s: FlowState, lab: LabGeometry): string[] {
  const view = viewOf(s);
  return lab.boxes.filter((b) => meets(b, view)).map((b) => b.id);
}

/**
 * The lab's veths that may show on screen (the common box of their two namespaces meets it, as
 * React Flow decides which edges to draw), from the lab as the bench planned it (as above).
 */
function edgesInView(s: FlowState, lab: LabGeometry): string[] {
  const view = viewOf(s);
  const out: string[] = [];
  for (const e of lab.edges) {
    const a = lab.boxes[e.source]!;
    const b = lab.boxes[e.target]!;
    const x = Math.min(a.x, b.x);
    const y = Math.min(a.y, b.y);
    const hull = {
      x,
      y,
      width: Math.max(a.x + a.width, b.x + b.width) - x,
      height: Math.max(a.y + a.height, b.y + b.height) - y,
    };
    if (meets(hull, view)) out.push(e.id);
  }
  return out;
}

interface Picture {
  /**
   * Every node and every veth in view (from the lab's plan) is drawn: has its element in the DOM, or, zoomed out
   * (canvas/use-overview.tsx), the overview's last paint was at this zoom and drew that many boxes.
   */
  complete: boolean;
  /** Boxes the overview's last paint drew (0 when there is no overview). */
  canvasBoxes: number;
  zoom: number;
  visibleNodes: number;
  domNodes: number;
  domEdges: number;
  /** The lab's top-left node is in view (where a large lab opens). */
  openedAtCorner: boolean;
  /** Nodes not handed to React Flow yet (canvas/use-staged.ts). */
  held: number;
}

/** The namespace nearest the lab's top-left corner. */
function cornerNodeId(lab: LabGeometry): string | undefined {
  let best: string | undefined;
  let bestSum = Infinity;
  for (const { id, x, y } of lab.boxes)
    if (x + y < bestSum) {
      bestSum = x + y;
      best = id;
    }
  return best;
}

/** The overview's `<canvas>`, when the canvas is zoomed out (canvas/OverviewLayer.tsx). */
const overviewCanvas = (): HTMLCanvasElement | null =>
  document.querySelector<HTMLCanvasElement>('canvas[data-testid="overview"]');

const geometries = new Map<number, LabGeometry>();

function picture(expectedNodes: number): Picture {
  const s = state();
  let lab = geometries.get(expectedNodes);
  if (!lab) geometries.set(expectedNodes, (lab = labGeometry(expectedNodes)));
  const zoom = s.transform[2];
  const dom = new Set<string>();
  for (const el of document.querySelectorAll<HTMLElement>('.react-flow__node'))
    if (el.dataset.id) dom.add(el.dataset.id);
  const visible = visibleNodeIds(s, lab);
  const canvas = overviewCanvas();
  const canvasBoxes = Number(canvas?.dataset.boxes ?? 0);
  const domEdges = new Set<string>();
  for (const el of document.querySelectorAll<SVGElement>('.react-flow__edge'))
    if (el.dataset.id) domEdges.add(el.dataset.id);
  const drawn = canvas
    ? canvas.dataset.zoom === zoom.toFixed(4) && canvasBoxes === visible.length
    : visible.every((id) => dom.has(id)) && edgesInView(s, lab).every((id) => domEdges.has(id));
  const complete = s.width > 0 && visible.length > 0 && drawn;
  return {
    complete,
    canvasBoxes,
    zoom,
    visibleNodes: visible.length,
    domNodes: dom.size,
    domEdges: domEdges.size,
    openedAtCorner: visible.includes(cornerNodeId(lab) ?? ''),
    held: Number(document.querySelector<HTMLElement>('.react-flow')?.dataset.held ?? 0),
  };
}

export interface OpenResult {
  /** JSON.parse + protocol schema of the welcome. */
  parseMs: number;
  /** Welcome text in hand → React Flow's store holds the nodes (graph built, canvas mounted, committed). */
  commitMs: number;
  /**
   * … → the first painted frame with every node and every veth in view in the DOM (picture()), in
   * the app's opening view: for
   * a small lab the fit (which comes in the same frame as the first picture: the 100% one is never
   * painted), for a large one 100% on its top-left corner (canvas/opening.ts).
   */
  completeMs: number;
  welcomeKiB: number;
  /** The adapter (document + observed → nodes and edges) alone, timed again afterwards. */
  adapterMs: number;
  fitted: Picture;
}

export interface PanResult {
  fps: number;
  /** Boxes the overview drew in the last frame (0 when the DOM draws the nodes). */
  canvasBoxes: number;
  frames: number;
  /** The longest gap between two frames. */
  worstMs: number;
  zoom: number;
  /** Nodes / edges in the DOM at the end. */
  domNodes: number;
  domEdges: number;
}

export interface UpdateResult {
  parseMs: number;
  /** Text in hand → React committed the change. */
  commitMs: number;
  /** Text in hand → the frame showing it was painted. */
  paintMs: number;
}

/** Opens a lab of `n` namespaces from its welcome: parse, first commit, first complete paint. */
async function open(n: number): Promise<OpenResult> {
  const text = welcomeText(n);
  // Building the welcome here (zod-parsed documents, a 3.8 MB string) leaves garbage the app's page
  // would not have when its welcome arrives: collected now, when the runner exposes gc, so the
  // collector does not bill it to the cold parse that follows.
  (globalThis as { gc?: () => void }).gc?.();
  await nextFrame();
  await afterThisFrame();
  const t0 = performance.now();
  const m = parse(text);
  const parsed = performance.now();
  dispatch(m);
  const deadline = t0 + 30_000;
  for (;;) {
    await nextFrame();
    const painted = await afterThisFrame();
    if (!probe.getState) continue;
    // What this frame painted: the stores change in microtasks after requestAnimationFrame
    // callbacks (the app's fit runs in one), never between a frame's layout and its paint.
    const p = picture(n);
    if (p.complete) {
      // The app's opening view must be in place: a small lab is fitted (zoomed out at these
      // sizes), a large one opens at 100% on its top-left corner (canvas/opening.ts).
      if (n > FIT_ON_OPEN_MAX_NODES ? p.zoom === 1 && p.openedAtCorner : p.zoom < 0.999) {
        const { document: doc, observed } = useSession.getState();
        const t = performance.now();
        const graph = buildGraph({ document: doc, observed, editable: true, pending: {}, local: {} });
        // Every node and edge object, as the graph was made before it made them on demand.
        void graph.nodes.length;
        void graph.edges.length;
        const adapterMs = performance.now() - t;
        return {
          parseMs: parsed - t0,
          commitMs: probe.firstNodesCommit - t0,
          completeMs: painted - t0,
          welcomeKiB: text.length / 1024,
          adapterMs,
          fitted: p,
        };
      }
    }
    if (performance.now() > deadline) throw new Error(`no complete frame after 30 s: ${JSON.stringify(p)}`);
  }
}

/**
 * Waits until a large lab's every node is given to React Flow (canvas/use-staged.ts), so a fit
 * called on React Flow here, not through the app's Fit, takes in the whole lab.
 */
async function allGiven(): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (Number(document.querySelector<HTMLElement>('.react-flow')?.dataset.held ?? 0) === 0) return;
    await nextFrame();
  }
  throw new Error('nodes still held after 600 frames');
}

/** Waits until the picture at the current viewport is complete and painted. */
async function settle(n: number): Promise<void> {
  for (let i = 0; i < 600; i++) {
    await nextFrame();
    if (picture(n).complete) {
      await afterThisFrame();
      await nextFrame();
      return;
    }
  }
  throw new Error('the canvas did not settle');
}

async function idleFps(n: number, ms = 500): Promise<number> {
  await settle(n);
  const times: number[] = [];
  const start = await nextFrame();
  times.push(start);
  while (times[times.length - 1]! - start < ms) times.push(await nextFrame());
  return ((times.length - 1) * 1000) / (times[times.length - 1]! - start);
}

/**
 * Moves the viewport every frame for `ms`, at `vx`, `vy` screen pixels per second, as a drag on
 * the pane does (React Flow's viewport store, d3-zoom), and counts the frames the page produced.
 */
async function pan(n: number, zoom: number | 'fit', ms: number, vx: number, vy: number): Promise<PanResult> {
  await allGiven();
  if (zoom === 'fit') await flow().fitView(FIT);
  // Two cards in from the lab's top-left corner, so there is lab to pan over in every direction.
  else await flow().setViewport({ x: -2 * PITCH_X * zoom, y: -PITCH_Y * zoom, zoom });
  await settle(n);
  const start = flow().getViewport();
  const times: number[] = [];
  await new Promise<void>((resolve) => {
    const step = (t: number) => {
      times.push(t);
      const dt = (t - times[0]!) / 1000;
      void flow().setViewport({ x: start.x - vx * dt, y: start.y - vy * dt, zoom: start.zoom });
      if (t - times[0]! < ms) requestAnimationFrame(step);
      else resolve();
    };
    requestAnimationFrame(step);
  });
  let worst = 0;
  for (let i = 1; i < times.length; i++) worst = Math.max(worst, times[i]! - times[i - 1]!);
  const p = picture(n);
  return {
    fps: ((times.length - 1) * 1000) / (times[times.length - 1]! - times[0]!),
    frames: times.length,
    worstMs: worst,
    canvasBoxes: p.canvasBoxes,
    zoom: start.zoom,
    domNodes: p.domNodes,
    domEdges: p.domEdges,
  };
}

async function view(n: number, zoom: number | 'fit'): Promise<number> {
  await allGiven();
  if (zoom === 'fit') await flow().fitView(FIT);
  else await flow().setViewport({ x: -2 * PITCH_X * zoom, y: -PITCH_Y * zoom, zoom });
  await settle(n);
  return flow().getViewport().zoom;
}

/**
 * One once-a-second update of every node and edge: as a `rates` message (the app's design: a
 * separate store read per edge), or as an `observed` patch of every namespace (counters inside
 * the observed state: the graph is rebuilt and every node replaced).
 */
async function update(n: number, tick: number, kind: 'rates' | 'observed'): Promise<UpdateResult> {
  const text = kind === 'rates' ? ratesText(n, tick) : observedText(n, tick);
  await nextFrame();
  await afterThisFrame();
  await sleep(50);
  const t0 = performance.now();
  const m = parse(text);
  const parsed = performance.now();
  dispatch(m);
  const committed = () => (kind === 'rates' ? probe.ratesCommit : probe.nodesCommit);
  for (let i = 0; i < 600; i++) {
    await nextFrame();
    const c = committed();
    // Committed before this frame began its rendering: this frame shows the update. Zoomed out,
    // the overview repaints in an animation frame after the commit: wait for that paint.
    const canvas = overviewCanvas();
    const shown = canvas ? Number(canvas.dataset.paintedAt ?? 0) > c : true;
    if (c > t0 && c <= performance.now() && shown) {
      const painted = await afterThisFrame();
      return { parseMs: parsed - t0, commitMs: c - t0, paintMs: painted - t0 };
    }
  }
  throw new Error(`no commit for the ${kind} update`);
}

export interface ParseResult {
  /** `JSON.parse` alone. */
  jsonMs: number;
  /** The page's path: JSON.parse, then the exact check (protocol/parse-message.ts). */
  pageMs: number;
  /** The whole protocol schema through zod (jitless, as the page's CSP has it), after JSON.parse: the path before. */
  zodMs: number;
}

/**
 * The welcome's parse, the page's way against zod's whole schema, interleaved on the same text
 * (each on a fresh JSON.parse, so neither reuses the other's objects).
 */
async function parseCompare(n: number, rounds: number): Promise<ParseResult[]> {
  const text = welcomeText(n);
  const out: ParseResult[] = [];
  for (let i = 0; i < rounds; i++) {
    await sleep(20);
    let t = performance.now();
    JSON.parse(text);
    const jsonMs = performance.now() - t;
    t = performance.now();
    const page = parseServerMessage(text);
    const pageMs = performance.now() - t;
    t = performance.now();
    const zod = ServerMessage.safeParse(JSON.parse(text));
    const zodMs = performance.now() - t;
    if (!page.ok || !zod.success) throw new Error('the bench welcome was refused');
    out.push({ jsonMs, pageMs, zodMs });
  }
  return out;
}

/** The measurements of a lab of `n` namespaces; each `update` is the next second's. */
function createBench(n: number) {
  let tick = 0;
  return {
    n,
    open: () => open(n),
    idleFps: (ms?: number) => idleFps(n, ms),
    pan: (zoom: number | 'fit', ms: number, vx: number, vy: number) => pan(n, zoom, ms, vx, vy),
    view: (zoom: number | 'fit') => view(n, zoom),
    update: (kind: 'rates' | 'observed') => update(n, ++tick, kind),
    parseCompare: (rounds: number) => parseCompare(n, rounds),
  };
}

export type Bench = ReturnType<typeof createBench> & { ready: true };

declare global {
  interface Window {
    __bench?: Bench;
  }
}

export function installBench(n: number): void {
  window.__bench = { ...createBench(n), ready: true };
}
