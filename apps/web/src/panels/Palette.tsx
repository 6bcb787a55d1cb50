import { useReactFlow, type ReactFlowInstance, type XYPosition } from '@xyflow/react';
import { useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import { uiActions, type NewNodeDraft } from '../store/ui';
import { BRIDGE_HEIGHT, CARD_HEADER, CARD_WIDTH, bridgeWidth, cardHeight } from '../adapters/geometry';
import { findFreeSpot } from '../adapters/placement';
import { FoldButton } from './FoldButton';
import { usePanel } from './use-panel';

const ITEMS: { kind: NewNodeDraft['kind']; label: string; glyph: string; hint: string }[] = [
  { kind: 'namespace', label: 'Namespace', glyph: '▭', hint: 'ip netns add' },
  { kind: 'bridge', label: 'Bridge', glyph: '═', hint: 'ip link add type bridge' },
];

const DRAG_THRESHOLD = 4;

/**
 * The middle of the view, or the free spot nearest it: a card added by a click is never put on
 * another one (a drag puts it where the person lets go instead).
 */
function freeSpotInMiddle(flow: ReactFlowInstance, pane: DOMRect, kind: NewNodeDraft['kind']): XYPosition {
  const size =
    kind === 'bridge'
      ? { width: bridgeWidth(0), height: BRIDGE_HEIGHT }
      : { width: CARD_WIDTH, height: cardHeight(1) };
  const middle = flow.screenToFlowPosition({ x: pane.left + pane.width / 2, y: pane.top + pane.height / 2 });
  const obstacles = flow.getNodes().map((n) => ({
    ...n.position,
    width: n.measured?.width ?? n.width ?? CARD_WIDTH,
    height: n.measured?.height ?? n.height ?? cardHeight(1),
  }));
  const target = { x: middle.x - size.width / 2, y: middle.y - size.height / 2 };
  const spot = findFreeSpot({ size, obstacles, target });
  // The draft is the pointer's point, which the dialog puts at the middle of the card's header.
  return { x: spot.x + CARD_WIDTH / 2, y: spot.y + CARD_HEADER / 2 };
}

/**
 * Drag a namespace or a bridge onto the canvas (pointer events, so a mouse, a pen and a test
 * driving the mouse all work the same); Enter or a click puts one in the middle of the view.
 * Folded (remembered; folded at first in a narrow window) it is a rail of the same buttons.
 */
export function Palette() {
  const flow = useReactFlow();
  const [ghost, setGhost] = useState<{ x: number; y: number; label: string } | null>(null);
  const dragged = useRef(false);

  const dropAt = (kind: NewNodeDraft['kind'], clientX: number, clientY: number) =>
    uiActions.draftNode({ kind, position: flow.screenToFlowPosition({ x: clientX, y: clientY }) });

  const startDrag = (e: ReactPointerEvent<HTMLButtonElement>, kind: NewNodeDraft['kind'], label: string) => {
    if (e.button !== 0) return;
    const start = { x: e.clientX, y: e.clientY };
    let dragging = false;
    dragged.current = false;
    const move = (ev: PointerEvent) => {
      if (!dragging && Math.hypot(ev.clientX - start.x, ev.clientY - start.y) < DRAG_THRESHOLD) return;
      dragging = true;
      dragged.current = true;
      setGhost({ x: ev.clientX, y: ev.clientY, label });
    };
    const up = (ev: PointerEvent) => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
      setGhost(null);
      if (!dragging) return;
      const over = document.elementFromPoint(ev.clientX, ev.clientY);
      if (over?.closest('.react-flow__pane, .react-flow__node')) dropAt(kind, ev.clientX, ev.clientY);
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
  };

  const addInMiddle = (kind: NewNodeDraft['kind']) => {
    const pane = document.querySelector('.react-flow')?.getBoundingClientRect();
    if (pane) uiActions.draftNode({ kind, position: freeSpotInMiddle(flow, pane, kind) });
  };

  const { open, toggle } = usePanel('palette');
  return (
    <nav
      aria-label="palette"
      className={`flex shrink-0 flex-col gap-2 border-r border-slate-200 bg-white ${open ? 'w-36 p-3' : 'w-12 items-center px-1 py-2'}`}
    >
      <div className="flex items-center justify-between">
        {open && <h2 className="text-xs font-semibold uppercase tracking-wide text-slate-600">Add</h2>}
        <FoldButton open={open} side="left" panel="palette" onClick={toggle} />
      </div>
      {ITEMS.map((item) => (
        <button
          key={item.kind}
          type="button"
          aria-label={`add ${item.kind}`}
          title={`${item.label}: drag onto the canvas (${item.hint}); Enter adds one in the middle`}
          onPointerDown={(e) => startDrag(e, item.kind, item.label)}
          onClick={() => {
            // A click without a drag (or Enter): put it in the middle of the view.
            if (!dragged.current) addInMiddle(item.kind);
            dragged.current = false;
          }}
          className={`flex cursor-grab touch-none select-none items-center gap-2 rounded-lg border border-slate-300 bg-white text-left text-sm font-medium text-slate-800 shadow-sm hover:border-sky-500 hover:bg-sky-50 focus-visible:outline-2 focus-visible:outline-sky-600 active:cursor-grabbing ${open ? 'px-3 py-3' : 'size-10 justify-center'}`}
        >
          <span aria-hidden className="text-lg text-slate-600">
            {item.glyph}
          </span>
          {open && item.label}
        </button>
      ))}
      {open && (
        <p className="mt-2 text-xs leading-relaxed text-slate-600">
          Drag from a node’s <span className="font-bold text-sky-700">+</span> to another node to make a veth
          pair.
        </p>
      )}
      {ghost && <DragGhost {...ghost} />}
    </nav>
  );
}

/** What follows the pointer while a namespace or bridge is dragged from the palette. */
function DragGhost({ x, y, label }: { x: number; y: number; label: string }) {
  return (
    <div
      aria-hidden
      className="pointer-events-none fixed z-50 -translate-x-1/2 -translate-y-1/2 rounded-lg border-2 border-dashed border-sky-600 bg-white/90 px-4 py-3 text-sm font-semibold text-sky-800 shadow-lg"
      style={{ left: x, top: y }}
    >
      {label}
    </div>
  );
}
