import { SANS, el, fitText, text, textWidth } from './export-picture-text';

/**
 * One line of a card's or bridge's header, or of an interface row: words, badges and state dots
 * placed left to right (and some from the right edge), each cut with an ellipsis or left out when
 * the line has no room for it. A chip that is a live figure carries class "figure", so the picture
 * without figures is exactly the one with them, those elements aside.
 */
export interface Chip {
  words: string;
  size: number;
  /** Width of a character as a share of `size` (export-picture-text's CHAR). */
  char: number;
  font: string;
  bold?: boolean;
  fill: string;
  /** Drawn as a badge: a rounded box behind the words. */
  badge?: { fill: string; stroke?: string };
  /** A state dot of this colour instead of words (always next to a word that says the state). */
  dot?: { fill: string; stroke?: string };
  figure?: boolean;
  /** Fewer characters than this and the chip is left out rather than cut. */
  keep?: number;
  /** Shorter words to say the same, tried before cutting `words` ("3 MACs" for "3 MACs learned"). */
  short?: string;
}

const GAP = 7;
const BADGE_PAD = 5;
const DOT = 10;

const chipWidth = (c: Chip, words = c.words): number =>
  c.dot ? DOT : textWidth(words, c.size, c.char) + (c.badge ? 2 * BADGE_PAD : 0);

function drawChip(c: Chip, words: string, x: number, baseline: number): string {
  const figure = c.figure ? 'figure' : undefined;
  if (c.dot)
    return el('circle', {
      class: figure,
      cx: x + DOT / 2,
      cy: baseline - c.size * 0.35,
      r: DOT / 2,
      fill: c.dot.fill,
      stroke: c.dot.stroke,
      'stroke-width': c.dot.stroke ? 2 : undefined,
    });
  const label = text(words, {
    class: c.badge ? undefined : figure,
    x: x + (c.badge ? BADGE_PAD : 0),
    y: baseline,
    // The picture's own font is SANS (set once on the <svg>): only the others are named.
    'font-family': c.font === SANS ? undefined : c.font,
    'font-size': c.size,
    'font-weight': c.bold ? 'bold' : undefined,
    fill: c.fill,
  });
  if (!c.badge) return label;
  const h = c.size + 7;
  const box = el('rect', {
    x,
    y: baseline - c.size - 1,
    width: chipWidth(c, words),
    height: h,
    rx: 4,
    fill: c.badge.fill,
    stroke: c.badge.stroke,
  });
  return el('g', { class: figure }, [box, label]);
}

/** What fits of a chip in `room` pixels: its words, cut if need be, or null when it is left out. */
function fitted(c: Chip, room: number): string | null {
  if (chipWidth(c) <= room) return c.words;
  if (c.short !== undefined && chipWidth(c, c.short) <= room) return c.short;
  if (c.dot) return null;
  const words = fitText(c.words, room - (c.badge ? 2 * BADGE_PAD : 0), c.size, c.char);
  return words.length - 1 >= (c.keep ?? 3) ? words : null;
}

/** Chips on one line between `left` and `right`: `end` ones from the right edge first, then the rest. */
export function chipLine(
  chips: readonly Chip[],
  end: readonly Chip[],
  left: number,
  right: number,
  baseline: number,
): string[] {
  const out: string[] = [];
  let edge = right;
  for (const c of end) {
    const words = fitted(c, edge - left - 40);
    if (words === null) continue;
    edge -= chipWidth(c, words);
    out.push(drawChip(c, words, edge, baseline));
    edge -= GAP;
  }
  let x = left;
  for (const c of chips) {
    const words = fitted(c, edge - x);
    if (words === null) continue;
    out.push(drawChip(c, words, x, baseline));
    x += chipWidth(c, words) + GAP;
  }
  return out;
}
