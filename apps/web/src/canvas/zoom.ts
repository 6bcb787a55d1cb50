import type { ReactFlowState } from '@xyflow/react';

/**
 * Below this zoom nodes are drawn as boxes (the overview, ./use-overview.tsx) and edges lose their
 * labels. It is the zoom at which a lab of 30 namespaces fits a 1440×900 window with the palette,
 * inspector and command log open (6 × 5 cards of two rows at the layout's spacing: 0.41): down to
 * it, cards keep their names and addresses readable (compact cards, below); under it nothing a
 * card holds could be read anyway. (It was 0.45; the overview's figures in docs/benchmarks.md were
 * measured against that.) A boolean selector, so a node re-renders only when the zoom crosses it.
 */
export const SIMPLE_BELOW_ZOOM = 0.4;
export const zoomedOut = (s: ReactFlowState): boolean => s.transform[2] < SIMPLE_BELOW_ZOOM;

/**
 * The smallest a card's text reads on screen, in CSS pixels: the page's smallest type, and the
 * presenter view's (a projector, read from the back of a room). index.css holds the same numbers
 * (`--nc-min-text`); a card's text grows as the zoom shrinks to stay at least this size.
 */
export const MIN_TEXT_PX = { normal: 11, presenter: 16 } as const;

/**
 * The largest a detailed card's text may grow, in the canvas's units: two lines of it fill an
 * interface row (44 px). Where keeping the smallest size on screen would need more, the card is
 * compact: one line per interface, its name and addresses, the rest left to the inspector.
 */
export const DETAILED_MAX_TEXT = 15;

export const compactBelowZoom = (minTextPx: number): number => minTextPx / DETAILED_MAX_TEXT;

const compactSelectors = new Map<number, (s: ReactFlowState) => boolean>();

/** A boolean selector per smallest size (made once), so a card re-renders only at the crossing. */
export function compactCards(minTextPx: number): (s: ReactFlowState) => boolean {
  let selector = compactSelectors.get(minTextPx);
  if (!selector) {
    const below = compactBelowZoom(minTextPx);
    selector = (s) => s.transform[2] < below;
    compactSelectors.set(minTextPx, selector);
  }
  return selector;
}

/** Text is re-laid out only when the zoom moves past one of these steps (4 % apart), not every frame. */
const TEXT_ZOOM_STEP = 1.04;

/**
 * The zoom the cards' text is sized for: the step at or below the real zoom, so the text never
 * reads smaller than asked (the size is the smallest size divided by this).
 */
export function textZoom(zoom: number): number {
  if (!(zoom > 0) || !Number.isFinite(zoom)) return 1;
  const steps = Math.floor(Math.log(zoom) / Math.log(TEXT_ZOOM_STEP) + 1e-9);
  return Math.floor(TEXT_ZOOM_STEP ** steps * 10_000) / 10_000;
}
