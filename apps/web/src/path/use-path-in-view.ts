import { useReactFlow, type ReactFlowInstance } from '@xyflow/react';
import { useEffect, type RefObject } from 'react';
import type { CanvasNode, VethEdge } from '../adapters/types';
import { usePathSteps } from './use-path-highlight';

/** Room kept between the path's cards and the panel or the canvas's edges, in screen px. */
const MARGIN_PX = 24;

type Flow = ReactFlowInstance<CanvasNode, VethEdge>;
type Box = { left: number; top: number; right: number; bottom: number };

/**
 * Each time a path is drawn on the canvas (a new answer, or "Show on canvas"), its cards are
 * brought into the part of the canvas the panel leaves free, so the panel never hides the cards
 * it describes nor takes the clicks meant for them (outside test, 1440×900: it covered r1 and
 * srv). A view that already shows every card of the path in the clear is left as the person set
 * it: moving it for nothing loses their place. Never zoomed past 100 %, as the Fit button.
 */
export function usePathInView(panel: RefObject<HTMLElement | null>): void {
  const steps = usePathSteps();
  const flow = useReactFlow<CanvasNode, VethEdge>();
  useEffect(() => {
    if (!steps) return;
    const ids = [...new Set([...steps.nodes.map((s) => s.id), steps.end.id])];
    // After the frame that drew the panel's answer: its box is the one to keep clear of.
    const frame = requestAnimationFrame(() => {
      const own = panel.current;
      const area = own?.parentElement;
      if (!own || !area) return;
      const canvas = area.getBoundingClientRect();
      const free = freeArea(canvas, own.getBoundingClientRect());
      if (ids.every((id) => inside(screenBox(flow, id), free))) return;
      void flow.fitView({
        nodes: ids.map((id) => ({ id })),
        padding: {
          top: `${MARGIN_PX}px`,
          left: `${free.left - canvas.left}px`,
          right: `${MARGIN_PX}px`,
          bottom: `${MARGIN_PX}px`,
        },
        maxZoom: 1,
        includeHiddenNodes: true,
        duration: 300,
      });
    });
    return () => cancelAnimationFrame(frame);
  }, [steps, flow, panel]);
}

/** The canvas beside the panel (it lies along the canvas's left edge), less the margins. */
function freeArea(area: DOMRect, panel: DOMRect): Box {
  return {
    left: panel.right + MARGIN_PX,
    top: area.top + MARGIN_PX,
    right: area.right - MARGIN_PX,
    bottom: area.bottom - MARGIN_PX,
  };
}

/** A card's box on screen, or null when the canvas does not know it (not drawn yet). */
function screenBox(flow: Flow, id: string): Box | null {
  const node = flow.getInternalNode(id);
  if (!node) return null;
  const { x, y } = node.internals.positionAbsolute;
  const topLeft = flow.flowToScreenPosition({ x, y });
  const bottomRight = flow.flowToScreenPosition({
    x: x + (node.measured.width ?? 0),
    y: y + (node.measured.height ?? 0),
  });
  return { left: topLeft.x, top: topLeft.y, right: bottomRight.x, bottom: bottomRight.y };
}

const inside = (box: Box | null, free: Box): boolean =>
  box === null ||
  (box.left >= free.left && box.right <= free.right && box.top >= free.top && box.bottom <= free.bottom);
