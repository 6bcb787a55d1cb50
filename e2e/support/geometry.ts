import { expect, type Page } from '@playwright/test';
import { afterViewMoves } from './view';

/**
 * The picture's geometry, read from the DOM in one go (screen pixels), and the checks on it that
 * issue 11's "done when" names: no edge label overlaps another label or a card, no edge's line
 * crosses a card it does not connect to. Each check returns what it found wrong, in words, so a
 * failure says which label or line and which card. Other specs add their own checks on the same
 * picture (font sizes, the canvas's share of the window).
 */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Picture {
  /** The canvas's visible area: only what is inside it is judged (React Flow draws only that). */
  pane: Box;
  cards: { id: string; box: Box }[];
  labels: { edge: string; box: Box; floating: boolean }[];
  /** Each edge's line, sampled every few pixels along its path. */
  edges: {
    id: string;
    source: string;
    target: string;
    routed: string;
    samples: { x: number; y: number }[];
  }[];
  /** Drawn as one <canvas> (zoomed out): no DOM nodes or edges to judge. */
  overview: boolean;
}

/** Reads cards, labels and sampled edge paths (every `step` px of path length) from the page. */
export async function readPicture(page: Page, step = 4): Promise<Picture> {
  return page.evaluate((step) => {
    const box = (el: Element) => {
      const r = el.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height };
    };
    const pane = document.querySelector('.react-flow__pane');
    const cards = [...document.querySelectorAll<HTMLElement>('.react-flow__node')].map((el) => ({
      id: el.dataset.id ?? '',
      box: box(el),
    }));
    const labels = [...document.querySelectorAll('.react-flow__edge .veth-label')].map((el) => ({
      edge: el.closest<SVGGElement>('.react-flow__edge')?.dataset.id ?? '',
      box: box(el),
      floating: el.getAttribute('data-floating') === 'true',
    }));
    const edges = [...document.querySelectorAll<SVGGElement>('.react-flow__edge')].map((el) => {
      const ends = el.querySelector('[data-source]');
      const path = el.querySelector<SVGPathElement>('path.react-flow__edge-path');
      const samples: { x: number; y: number }[] = [];
      const matrix = path?.getScreenCTM();
      if (path && matrix) {
        const length = path.getTotalLength();
        for (let at = 0; at <= length; at += step) {
          const p = path.getPointAtLength(at);
          const s = new DOMPoint(p.x, p.y).matrixTransform(matrix);
          samples.push({ x: s.x, y: s.y });
        }
      }
      return {
        id: el.dataset.id ?? '',
        source: ends?.getAttribute('data-source') ?? '',
        target: ends?.getAttribute('data-target') ?? '',
        routed: ends?.getAttribute('data-routed') ?? '',
        samples,
      };
    });
    return {
      pane: pane ? box(pane) : { x: 0, y: 0, width: 0, height: 0 },
      cards,
      labels,
      edges,
      overview: document.querySelector('[data-testid="overview"]') !== null,
    };
  }, step);
}

/** Overlap by more than `slack` px each way (anti-aliased borders that touch do not count). */
export const overlaps = (a: Box, b: Box, slack = 0.5): boolean =>
  a.x + slack < b.x + b.width &&
  b.x + slack < a.x + a.width &&
  a.y + slack < b.y + b.height &&
  b.y + slack < a.y + a.height;

const inside = (b: Box, p: { x: number; y: number }, inset: number): boolean =>
  p.x > b.x + inset && p.x < b.x + b.width - inset && p.y > b.y + inset && p.y < b.y + b.height - inset;

const inView = (pic: Picture, b: Box): boolean => overlaps(pic.pane, b, 0);

/**
 * Cards on top of each other: no line can go around both, so this is checked first, and a failure
 * here is the layout's (where the nodes were put), not the edges'.
 */
export function cardsOverCards(pic: Picture): string[] {
  return pic.cards.flatMap((c, i) =>
    pic.cards
      .slice(i + 1)
      .filter((d) => overlaps(c.box, d.box, 1))
      .map((d) => `card ${c.id} overlaps card ${d.id}`),
  );
}

/** Labels on top of each other ("veth-ns1 ⇄" under "veth-ns2 ⇄ eth0"). */
export function labelsOverLabels(pic: Picture): string[] {
  const shown = pic.labels.filter((l) => inView(pic, l.box));
  return shown.flatMap((l, i) =>
    shown
      .slice(i + 1)
      .filter((m) => overlaps(l.box, m.box))
      .map((m) => `label of ${l.edge} overlaps label of ${m.edge}`),
  );
}

/** Labels over a card (any card: a label never hides a namespace's rows). */
export function labelsOverCards(pic: Picture): string[] {
  return pic.labels
    .filter((l) => inView(pic, l.box))
    .flatMap((l) =>
      pic.cards.filter((c) => overlaps(l.box, c.box)).map((c) => `label of ${l.edge} is on card ${c.id}`),
    );
}

/**
 * Lines through a card they do not connect to: a sample point of the path inside the card (by
 * more than `inset` px, the line's own half-width) and inside the visible canvas.
 */
export function linesThroughCards(pic: Picture, inset = 2): string[] {
  const out: string[] = [];
  for (const e of pic.edges)
    for (const c of pic.cards) {
      if (c.id === e.source || c.id === e.target) continue;
      const hit = e.samples.find((p) => inside(pic.pane, p, 0) && inside(c.box, p, inset));
      if (hit)
        out.push(
          `line ${e.id} (${e.routed}) crosses card ${c.id} at (${Math.round(hit.x)}, ${Math.round(hit.y)})`,
        );
    }
  return out;
}

/** Waits until the canvas's viewport transform has not changed for 300 ms. */
async function viewHoldsStill(page: Page): Promise<void> {
  const transform = () =>
    page.locator('.react-flow__viewport').evaluate((el) => (el as HTMLElement).style.transform);
  let last = await transform();
  let stillSince = Date.now();
  const deadline = Date.now() + 15_000;
  while (Date.now() - stillSince < 300 && Date.now() < deadline) {
    await page.waitForTimeout(50);
    const now = await transform();
    if (now !== last) [last, stillSince] = [now, Date.now()];
  }
}

/**
 * Zoomed out the canvas is one <canvas> (the overview draws its own edges): zooms in with the
 * canvas's own button, about the centre, until cards and edges are in the DOM again. Says whether
 * it had to.
 */
export async function zoomToCards(page: Page): Promise<boolean> {
  // A fit just asked for may still be on its way out (it runs in the next frame, and animates):
  // judged before it lands, the view would look zoomed in and the overview come after.
  await viewHoldsStill(page);
  const zoomed = (await page.getByTestId('overview').count()) > 0;
  for (let i = 0; i < 12 && (await page.getByTestId('overview').count()) > 0; i++)
    await afterViewMoves(page, () => page.getByRole('button', { name: 'zoom in' }).click());
  await expect(page.getByTestId('overview')).toHaveCount(0);
  return zoomed;
}

/**
 * Waits until every edge in the DOM is routed and the picture holds still (two reads alike),
 * then checks it: at least `minEdges` edges to judge, cards apart (the layout's part), labels
 * clear of labels and cards, lines clear of the cards they do not connect.
 */
export async function expectUntangled(page: Page, when: string, minEdges = 1): Promise<Picture> {
  let pic = await readPicture(page);
  await expect
    .poll(
      async () => {
        const next = await readPicture(page);
        const still = JSON.stringify(next) === JSON.stringify(pic);
        pic = next;
        return still && next.edges.length >= minEdges && next.edges.every((e) => e.routed !== 'no');
      },
      { message: `${when}: the edges are drawn, routed and still`, intervals: [250], timeout: 30_000 },
    )
    .toBe(true);
  expect(cardsOverCards(pic), `${when}: the layout keeps cards apart`).toEqual([]);
  const problems = [...labelsOverLabels(pic), ...labelsOverCards(pic), ...linesThroughCards(pic)];
  expect(
    problems,
    `${when}: ${pic.edges.length} edges, ${pic.labels.length} labels, ${pic.cards.length} cards`,
  ).toEqual([]);
  expect(
    pic.labels.filter((l) => l.floating),
    `${when}: no label floats (nothing hovered)`,
  ).toEqual([]);
  return pic;
}
