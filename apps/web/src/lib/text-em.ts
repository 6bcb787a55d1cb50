/**
 * How wide a text is, in ems of the compact cards' font (index.css's `.nc-fit`: Arial's widths,
 * which Liberation Sans and Helvetica share, where the page's own sans-serif may be a wide one):
 * measured once per text and weight on a 2D canvas, so a compact line is sized to fit its row in
 * CSS (`--nc-len`) whatever font the machine has. Without a canvas (a unit test), a generous estimate.
 */

const FONT_STACK = "Arial, 'Liberation Sans', Helvetica, sans-serif";
const SIZE = 100;

let context: CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null | undefined;
const cache = new Map<string, number>();

function measurer() {
  if (context !== undefined) return context;
  context = null;
  try {
    if (typeof OffscreenCanvas !== 'undefined') context = new OffscreenCanvas(1, 1).getContext('2d');
    else if (typeof document !== 'undefined') context = document.createElement('canvas').getContext('2d');
  } catch {
    context = null;
  }
  return context;
}

/** Wider than Arial's widths: digits and most letters 0.6 em (Arial's digits are 0.556), capitals 0.78. */
export function estimateEm(text: string, weight: 400 | 600 = 400): number {
  let em = 0;
  for (const ch of text) em += /[A-Z@%MWmw]/.test(ch) ? 0.78 : /[.,:;/|!il' ]/.test(ch) ? 0.3 : 0.6;
  return weight === 600 ? em * 1.06 : em;
}

export function textEm(text: string, weight: 400 | 600 = 400): number {
  if (text === '') return 0;
  const key = `${weight}|${text}`;
  const known = cache.get(key);
  if (known !== undefined) return known;
  const ctx = measurer();
  let em: number;
  if (ctx) {
    ctx.font = `${weight} ${SIZE}px ${FONT_STACK}`;
    // A small margin: the page rounds glyph positions, a canvas measures them unrounded.
    em = (ctx.measureText(text).width / SIZE) * 1.01;
  } else em = estimateEm(text, weight);
  if (cache.size > 5000) cache.clear();
  cache.set(key, em);
  return em;
}
