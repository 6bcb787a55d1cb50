import { useReactFlow } from '@xyflow/react';
import { useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import { uiActions, type NewNodeDraft } from '../store/ui';

const ITEMS: { kind: NewNodeDraft['kind']; label: string; glyph: string; hint: string }[] = [
  { kind: 'namespace', label: 'Namespace', glyph: '▭', hint: 'ip netns add' },
  { kind: 'bridge', label: 'Bridge', glyph: '═', hint: 'ip link add type bridge' },
];

const DRAG_THRESHOLD = 4;

/**
 * Drag a namespace or a bridge onto the canvas (pointer events, so a mouse, a pen and a test
 * driving the mouse all work the same); Enter or a click puts one in the middle of the view.
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
    if (!pane) return;
    dropAt(kind, pane.left + pane.width / 2, pane.top + pane.height / 2);
  };

  return (
    <nav
      aria-label="palette"
      className="flex w-36 shrink-0 flex-col gap-2 border-r border-slate-200 bg-white p-3"
    >
      <h2 className="text-xs font-semibold uppercase tracking-wide text-slate-500">Add</h2>
      {ITEMS.map((item) => (
        <button
          key={item.kind}
          type="button"
          aria-label={`add ${item.kind}`}
          title={`Drag onto the canvas (${item.hint}); Enter adds one in the middle`}
          onPointerDown={(e) => startDrag(e, item.kind, item.label)}
          onClick={() => {
            // A click without a drag (or Enter): put it in the middle of the view.
            if (!dragged.current) addInMiddle(item.kind);
            dragged.current = false;
          }}
          className="flex cursor-grab touch-none select-none items-center gap-2 rounded-lg border border-slate-300 bg-white px-3 py-3 text-left text-sm font-medium text-slate-800 shadow-sm hover:border-sky-500 hover:bg-sky-50 focus-visible:outline-2 focus-visible:outline-sky-600 active:cursor-grabbing"
        >
          <span aria-hidden className="text-lg text-slate-500">
            {item.glyph}
          </span>
          {item.label}
        </button>
      ))}
      <p className="mt-2 text-xs leading-relaxed text-slate-500">
        Drag from a node’s <span className="font-bold text-sky-700">+</span> to another node to make a veth
        pair.
      </p>
      {ghost && (
        <div
          aria-hidden
          className="pointer-events-none fixed z-50 -translate-x-1/2 -translate-y-1/2 rounded-lg border-2 border-dashed border-sky-600 bg-white/90 px-4 py-3 text-sm font-semibold text-sky-800 shadow-lg"
          style={{ left: ghost.x, top: ghost.y }}
        >
          {ghost.label}
        </div>
      )}
    </nav>
  );
}
