import type { Locator, Page } from '@playwright/test';
import { importLab, pairedGrid } from '../support/big-labs';
import { node } from '../support/canvas';
import { openExample } from '../support/examples';
import { expect, openEditor, test } from '../support/fixtures';
import { afterViewMoves, zoomOf } from '../support/view';

// Issue 11 §3 and §4: readable at every size, panels that fold, and the presenter view. Sizes and
// colours are read from the DOM the browser laid out, on the real agent and kernel.

test.describe.configure({ timeout: 240_000 });

/** The canvas's box: React Flow's pane. */
async function paneBox(page: Page) {
  const box = await page.locator('.react-flow__pane').boundingBox();
  if (!box) throw new Error('no canvas');
  return box;
}

async function canvasShare(page: Page): Promise<number> {
  const box = await paneBox(page);
  const view = page.viewportSize()!;
  return (box.width * box.height) / (view.width * view.height);
}

/** Fit view, once the fit has landed (not before it began: see afterViewMoves). */
async function fit(page: Page): Promise<number> {
  await afterViewMoves(page, () => page.getByRole('button', { name: 'fit view' }).click());
  return zoomOf(page);
}

/** Tabs through the page until the control named `name` has the focus, then presses Enter. */
async function pressByKeyboard(page: Page, name: string): Promise<void> {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  for (let i = 0; i < 150; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? '');
    if (focused === name) {
      await page.keyboard.press('Enter');
      return;
    }
  }
  throw new Error(`"${name}" is not reachable with Tab`);
}

/**
 * Every interface name and address on the canvas's cards: its size on screen (computed size ×
 * the zoom), and whether it is shown whole.
 */
async function rowTexts(page: Page, zoom: number) {
  return page
    .locator('.react-flow__node [data-testid="ifname"], .react-flow__node [data-testid="addresses"]')
    .evaluateAll(
      (els, z) =>
        els.map((el) => ({
          text: el.textContent ?? '',
          px: parseFloat(getComputedStyle(el).fontSize) * z,
          whole: el.scrollWidth <= el.clientWidth + 1,
        })),
      zoom,
    );
}

const NAMESPACES = 30;

test('a lab of 30 namespaces fitted to 1440×900 keeps every interface name and address at 11 px or more, whole', async ({
  page,
  lab,
}) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await openEditor(page, lab);
  // 30 namespaces as the layout places them (6 × 5 cards), paired by veths, each pair a /30.
  await importLab(page, pairedGrid('sc', NAMESPACES, 6));
  // Every card with the kernel's addresses (lo's come from the kernel alone).
  await expect(page.locator('[data-testid="addresses"]', { hasText: '127.0.0.1/8' })).toHaveCount(
    NAMESPACES,
    { timeout: 60_000 },
  );

  // Fitted with the palette, the inspector and the log open: cards, not the overview's boxes.
  const zoom = await fit(page);
  expect(zoom).toBeLessThan(0.5);
  await expect(page.getByTestId('overview')).toHaveCount(0);
  await expect(page.locator('.react-flow__node')).toHaveCount(NAMESPACES);

  const texts = await rowTexts(page, zoom);
  // lo and eth0 on every card.
  expect(texts.length).toBe(NAMESPACES * 2 * 2);
  const small = texts.filter((t) => t.px < 11).map((t) => `${t.text}: ${t.px.toFixed(1)} px`);
  expect(small, 'names and addresses under 11 px on screen').toEqual([]);
  const cut = texts.filter((t) => !t.whole).map((t) => t.text);
  expect(cut, 'names and addresses cut').toEqual([]);
  for (const address of ['10.77.0.1/30', '10.77.14.2/30'])
    await expect(page.locator('[data-testid="addresses"]', { hasText: address })).toBeVisible();

  // The namespaces' names are as readable.
  const names = await page
    .locator('.react-flow__node')
    .getByText(/^sc\d\d$/)
    .evaluateAll((els, z) => els.map((el) => parseFloat(getComputedStyle(el).fontSize) * z), zoom);
  expect(names.length).toBe(NAMESPACES);
  expect(Math.min(...names)).toBeGreaterThanOrEqual(11);

  // At 100 % the same cards are detailed again (state and MTU), at their own sizes.
  for (let i = 0; i < 4; i++) {
    const before = await zoomOf(page);
    await afterViewMoves(page, () => page.getByRole('button', { name: /zoom in/i }).click());
    expect(await zoomOf(page)).toBeGreaterThan(before * 1.1);
  }
  expect(await zoomOf(page)).toBeGreaterThan(0.8);
  await expect(page.locator('.react-flow__node').getByText('mtu 1500').first()).toBeVisible();
});

test('at 1024×700 the canvas keeps 65 % of the window; palette, inspector and log fold and open by keyboard, remembered across reloads', async ({
  page,
  lab,
}) => {
  await page.setViewportSize({ width: 1024, height: 700 });
  await openEditor(page, lab);
  // An empty log takes no room: its bar only, no list.
  const log = page.getByRole('region', { name: 'command log' });
  await expect(log.getByTestId('log-count')).toHaveText('0 commands');
  await expect(page.getByRole('log', { name: 'commands' })).toHaveCount(0);
  expect((await log.boundingBox())!.height).toBeLessThan(40);

  await openExample(page, 'router with NAT');
  // Narrow and short: the palette is a rail, the inspector a drawer that is closed until something
  // is selected, the log a bar with its count and the last command.
  await expect(log.getByTestId('log-count')).toHaveText(/^\d+ commands$/);
  await expect(log.getByLabel('last command')).toContainText(/\S/);
  await expect(page.getByRole('log', { name: 'commands' })).toHaveCount(0);
  await expect(page.getByRole('complementary', { name: 'inspector' })).toHaveCount(0);
  expect(await canvasShare(page)).toBeGreaterThanOrEqual(0.65);
  // Opened, the log's list is short enough to leave the canvas its 65 %.
  await pressByKeyboard(page, 'show command log');
  await expect(page.getByRole('log', { name: 'commands' })).toBeVisible();
  expect(await canvasShare(page)).toBeGreaterThanOrEqual(0.65);
  await pressByKeyboard(page, 'hide command log');
  await expect(page.getByRole('log', { name: 'commands' })).toHaveCount(0);
  await fit(page);
  const before = await paneBox(page);
  await node(page, 'r1').getByText('r1', { exact: true }).click();
  const drawer = page.getByRole('complementary', { name: 'inspector' });
  await expect(drawer.getByRole('region', { name: 'Namespace' })).toContainText('r1');
  // Over the canvas, inside it: the canvas keeps its size.
  const over = (await drawer.boundingBox())!;
  expect(over.x).toBeGreaterThanOrEqual(before.x);
  expect(over.x + over.width).toBeLessThanOrEqual(before.x + before.width + 1);
  expect(await paneBox(page)).toEqual(before);
  await page.keyboard.press('Escape');
  await expect(drawer).toHaveCount(0);
  await pressByKeyboard(page, 'show inspector');
  await expect(drawer).toBeVisible();
  await pressByKeyboard(page, 'hide inspector');
  await expect(drawer).toHaveCount(0);

  // Wide: the palette and inspector beside the canvas; each folds by keyboard and stays folded.
  await page.setViewportSize({ width: 1440, height: 900 });
  const palette = page.getByRole('navigation', { name: 'palette' });
  const inspector = page.getByRole('complementary', { name: 'inspector' });
  await expect(inspector).toBeVisible();
  expect((await palette.boundingBox())!.width).toBeGreaterThan(120);
  const wide = await paneBox(page);

  await pressByKeyboard(page, 'hide palette');
  await expect.poll(async () => (await palette.boundingBox())!.width).toBeLessThan(60);
  await expect(palette.getByRole('button', { name: 'add namespace' })).toBeVisible();
  await pressByKeyboard(page, 'hide inspector');
  await expect(inspector).toHaveCount(0);
  const folded = await paneBox(page);
  expect(folded.width).toBeGreaterThan(wide.width + 400);

  // Remembered: the log folded at 1024 px is still folded, with the palette and the inspector.
  await page.reload();
  await expect(page.getByRole('status', { name: 'connection: live' })).toBeVisible();
  await expect(inspector).toHaveCount(0);
  await expect(page.getByRole('log', { name: 'commands' })).toHaveCount(0);
  await expect(log.getByLabel('last command')).toContainText(/\S/);
  expect((await palette.boundingBox())!.width).toBeLessThan(60);
  expect(await paneBox(page)).toEqual(folded);

  for (const name of ['show palette', 'show inspector', 'show command log'])
    await pressByKeyboard(page, name);
  await expect(inspector).toBeVisible();
  await expect(page.getByRole('log', { name: 'commands' })).toBeVisible();
  await expect.poll(async () => (await palette.boundingBox())!.width).toBeGreaterThan(120);
  const open = await paneBox(page);
  expect(open.width).toBe(wide.width);
  expect(open.height).toBeLessThan(wide.height - 60);
});

/** WCAG's contrast ratio of every visible text in `root`, against what is painted behind it. */
async function lowContrastTexts(root: Locator, least: number): Promise<string[]> {
  return root.evaluate((rootEl, min) => {
    const ctx = document.createElement('canvas').getContext('2d', { willReadFrequently: true })!;
    const rgba = (css: string): [number, number, number, number] => {
      ctx.clearRect(0, 0, 1, 1);
      ctx.fillStyle = '#000';
      ctx.fillStyle = css;
      ctx.fillRect(0, 0, 1, 1);
      const d = ctx.getImageData(0, 0, 1, 1).data;
      return [d[0]!, d[1]!, d[2]!, d[3]! / 255];
    };
    const over = (top: number[], under: number[]) =>
      [0, 1, 2].map((i) => top[i]! * top[3]! + under[i]! * (1 - top[3]!)).concat(1);
    /** What is painted behind an element: its own and its ancestors' backgrounds, composed. */
    const backdrop = (el: Element): number[] => {
      const layers: number[][] = [];
      for (let e: Element | null = el; e; e = e.parentElement) {
        // An SVG label's text sits on its label's box, a sibling before it.
        const rect = e instanceof SVGElement ? e.parentElement?.querySelector(':scope > rect') : null;
        const fill = rect ? getComputedStyle(rect).fill : getComputedStyle(e).backgroundColor;
        const c = rgba(fill);
        if (c[3] > 0) layers.push(c);
        if (c[3] >= 1) break;
      }
      return layers.reduceRight((under, top) => over(top, under), [255, 255, 255, 1]);
    };
    const lum = (c: number[]) => {
      const [r, g, b] = c.slice(0, 3).map((v) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
    };
    const out: string[] = [];
    const walker = document.createTreeWalker(rootEl, NodeFilter.SHOW_TEXT);
    const seen = new Set<Element>();
    for (let t = walker.nextNode(); t; t = walker.nextNode()) {
      const el = t.parentElement;
      if (!el || seen.has(el) || !t.textContent?.trim()) continue;
      seen.add(el);
      const box = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      const off = box.width === 0 || box.height === 0 || style.visibility !== 'visible';
      // Disabled controls are exempt (WCAG 1.4.6), as are words clipped out of sight.
      if (off || el.closest('[hidden], :disabled, [aria-disabled="true"]')) continue;
      const bg = backdrop(el);
      const fg = over(rgba(el instanceof SVGElement ? style.fill : style.color), bg);
      const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
      const ratio = (a! + 0.05) / (b! + 0.05);
      if (ratio < min) out.push(`${t.textContent.trim().slice(0, 40)}: ${ratio.toFixed(2)}`);
    }
    return out;
  }, least);
}

test('the presenter view: the canvas fills the window in large, dark type; the inspector is a drawer; the last command reads in one line', async ({
  page,
  lab,
}) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await openEditor(page, lab);
  await openExample(page, 'router with NAT');
  const lastLine = page.getByRole('log', { name: 'commands' }).getByRole('listitem').last();
  const lastCommand = (await lastLine.getByTestId('command').textContent()) ?? '';
  expect(lastCommand).not.toBe('');
  await page.getByRole('button', { name: 'presenter view' }).click();
  await expect(page).toHaveURL(/[?&]present(&|$)/);

  // A reload keeps it (it is the address's), and `?present` alone opens it.
  await page.goto(`${lab.origin}/?present`);
  await expect(page.getByRole('status', { name: 'connection: live' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'palette' })).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'command log' })).toHaveCount(0);
  await expect(page.getByRole('complementary', { name: 'inspector' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'examples' })).toHaveCount(0);
  expect(await paneBox(page)).toEqual({ x: 0, y: 0, width: 1440, height: 900 });

  // The last command, in type read from the back of the room.
  const ticker = page.getByRole('status', { name: 'last command' });
  await expect(ticker.locator('code')).toHaveText(lastCommand);
  await expect(ticker.getByLabel('exit code 0')).toHaveText('✓');
  const tickerPx = await ticker.locator('code').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
  expect(tickerPx).toBeGreaterThanOrEqual(18);

  // Large type on the cards at Fit: names and addresses at 16 px or more on screen.
  const zoom = await fit(page);
  const texts = await rowTexts(page, zoom);
  expect(texts.length).toBeGreaterThan(4);
  expect(texts.filter((t) => t.px < 16).map((t) => `${t.text}: ${t.px.toFixed(1)} px`)).toEqual([]);

  // Selecting a namespace opens the inspector over the canvas, which keeps the whole window.
  await node(page, 'r1').getByText('r1', { exact: true }).click();
  const drawer = page.getByRole('complementary', { name: 'inspector' });
  await expect(drawer.getByRole('region', { name: 'Namespace' })).toContainText('r1');
  expect(await paneBox(page)).toEqual({ x: 0, y: 0, width: 1440, height: 900 });

  // High contrast: every text on the canvas, in the drawer, the bar and the ticker at 7:1 or more.
  expect(await lowContrastTexts(page.getByRole('main', { name: 'canvas' }), 7)).toEqual([]);

  // Out again: the panels come back.
  await page.getByRole('button', { name: 'exit presenter view' }).click();
  await expect(page).not.toHaveURL(/present/);
  await expect(page.getByRole('region', { name: 'command log' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'palette' })).toBeVisible();
});
