/**
 * The exported picture's text and markup: SVG written as a string (it leaves the app as a file, and
 * a string is what a file is), every attribute and text escaped here and nowhere else.
 */

/**
 * Characters XML 1.0 cannot hold at all, even escaped (control characters, lone UTF-16 halves): a
 * name read from the kernel may carry them, and one would make the whole file unreadable.
 */
const NOT_XML =
  // eslint-disable-next-line no-control-regex -- control characters are exactly what it looks for
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * The five characters XML gives meaning to, and tab and line ends (an attribute's would be read
 * back as spaces), as character references; what XML cannot hold becomes U+FFFD.
 */
export function escapeXml(text: string): string {
  return text.replace(NOT_XML, '\uFFFD').replace(/[&<>"'\t\n\r]/g, (c) => `&#${c.charCodeAt(0)};`);
}

type Attrs = Record<string, string | number | undefined>;

const attrText = (attrs: Attrs): string =>
  Object.entries(attrs)
    .filter((kv): kv is [string, string | number] => kv[1] !== undefined)
    .map(([k, v]) => ` ${k}="${escapeXml(typeof v === 'number' ? round(v) : v)}"`)
    .join('');

/** Coordinates with two decimals at most: exact enough for a drawing, short in the file. */
export const round = (n: number): string => String(Math.round(n * 100) / 100);

/** An element whose children are already markup (made by `el` or `text`). */
export const el = (tag: string, attrs: Attrs, children: readonly string[] = []): string =>
  children.length === 0
    ? `<${tag}${attrText(attrs)}/>`
    : `<${tag}${attrText(attrs)}>${children.join('')}</${tag}>`;

/** A text element: the words escaped. */
export const text = (words: string, attrs: Attrs): string =>
  `<text${attrText(attrs)}>${escapeXml(words)}</text>`;

/**
 * Fonts every machine has a version of: the picture is opened far from this app (a slide, a PDF),
 * with none of its web fonts.
 */
export const SANS = "'DejaVu Sans', 'Segoe UI', Helvetica, Arial, sans-serif";
export const MONO = "'DejaVu Sans Mono', Menlo, Consolas, 'Courier New', monospace";

/**
 * How wide a character is, as a share of the font size: a little more than the widest common
 * fonts above, so text measured with it never runs out of its box (a drawing has no layout engine).
 */
export const CHAR = { sans: 0.62, sansBold: 0.68, mono: 0.62 } as const;

/** The text as it fits `width` pixels at `size` px, cut with an ellipsis when it does not. */
export function fitText(words: string, width: number, size: number, char: number): string {
  const room = Math.floor(width / (size * char));
  if (words.length <= room) return words;
  return room <= 1 ? '…' : `${words.slice(0, room - 1)}…`;
}

/** How wide `words` are drawn, by the same measure. */
export const textWidth = (words: string, size: number, char: number): number => words.length * size * char;
