import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { PNG } from 'pngjs';
import { flowPosition, inspectInterface, node, pingFromInspector, port } from '../support/canvas';
import { openExample } from '../support/examples';
import { expect, openEditor, test } from '../support/fixtures';

// "Export picture" (top bar): the whole lab as a PNG or an SVG, with or without live figures, on
// the real agent: the files are the browser's downloads, read back as a slide program would.

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** apps/web/src/lib/export-picture-svg.ts's PICTURE_MARGIN and export-picture.ts's PNG_SCALE. */
const MARGIN = 32;
const SCALE = 2;
const NODES = ['br0', 'ns1', 'ns2', 'ns3'];

/** Chooses PNG or SVG in the menu, figures on or off, and returns the download's name and bytes. */
async function exportPicture(page: Page, format: 'PNG' | 'SVG', figures: boolean) {
  await page.getByRole('button', { name: 'export picture' }).click();
  const menu = page.getByRole('menu', { name: 'export picture' });
  const toggle = menu.getByRole('menuitemcheckbox', { name: /With live figures/ });
  if ((await toggle.getAttribute('aria-checked')) !== String(figures)) await toggle.click();
  await expect(toggle).toHaveAttribute('aria-checked', String(figures));
  const download = page.waitForEvent('download');
  await menu.getByRole('menuitem', { name: new RegExp(`^${format}`) }).click();
  const file = await download;
  const path = await file.path();
  return { name: file.suggestedFilename(), bytes: await readFile(path) };
}

/** The lab's bounds in canvas units, from the cards' and bridges' places and sizes on the page. */
async function labBounds(page: Page) {
  const boxes = await Promise.all(
    NODES.map(async (id) => {
      const at = await flowPosition(page, id);
      const size = await node(page, id).evaluate((el) => ({
        w: (el as HTMLElement).offsetWidth,
        h: (el as HTMLElement).offsetHeight,
      }));
      return { ...at, ...size };
    }),
  );
  const x = Math.min(...boxes.map((b) => b.x));
  const y = Math.min(...boxes.map((b) => b.y));
  return {
    w: Math.max(...boxes.map((b) => b.x + b.w)) - x,
    h: Math.max(...boxes.map((b) => b.y + b.h)) - y,
  };
}

/** Every text of an SVG file, parsed by the browser's own XML parser (a parse error fails). */
async function svgTexts(page: Page, svg: string): Promise<string[]> {
  return page.evaluate((source) => {
    const xml = new DOMParser().parseFromString(source, 'image/svg+xml');
    const error = xml.querySelector('parsererror');
    if (error) throw new Error(`not XML: ${error.textContent}`);
    return [...xml.querySelectorAll('text')].map((t) => t.textContent ?? '');
  }, svg);
}

function readPng(bytes: Buffer) {
  expect(bytes.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  // IHDR is the first chunk: width and height, big-endian, at bytes 16 and 20.
  const [width, height] = [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
  const image = PNG.sync.read(bytes);
  expect([image.width, image.height]).toEqual([width, height]);
  let ink = 0;
  for (let i = 0; i < image.data.length; i += 4)
    if (image.data[i]! < 235 || image.data[i + 1]! < 235 || image.data[i + 2]! < 235) ink++;
  return { width, height, ink: ink / (width * height) };
}

test('the bridge example leaves the app as a PNG and an SVG, with and without live figures', async ({
  page,
  lab,
}) => {
  test.setTimeout(150_000);
  await openEditor(page, lab);
  await openExample(page, 'bridge');
  for (const ns of ['ns1', 'ns2', 'ns3'])
    await expect(port(page, 'br0', `veth-${ns}`)).toHaveAttribute('data-state', 'up');
  // Traffic, so the bridge learns MACs and the live figures have something to say.
  await inspectInterface(page, 'ns1', 'eth0');
  expect(await pingFromInspector(page, '10.0.2.2', 2)).toContain('replies from 10.0.2.2');
  await node(page, 'br0').getByText('br0', { exact: true }).click();
  const macs = page.getByRole('table', { name: 'MAC table of br0' });
  await expect(macs.getByRole('row').filter({ hasText: 'veth-ns2' }).first()).toBeVisible();

  const bounds = await labBounds(page);
  const png = await exportPicture(page, 'PNG', true);
  expect(png.name).toMatch(new RegExp(`^netcanvas-${lab.name}-\\d{4}-\\d{2}-\\d{2}\\.png$`));
  const image = readPng(png.bytes);
  // The whole lab and its margin, twice over: the ratio of the lab's bounds, and at least its size.
  const expected = { w: bounds.w + 2 * MARGIN, h: bounds.h + 2 * MARGIN };
  expect(image.width / image.height).toBeCloseTo(expected.w / expected.h, 1);
  expect(image.width).toBeGreaterThanOrEqual(SCALE * expected.w);
  expect(image.ink).toBeGreaterThan(0.02);

  const live = await svgTexts(page, (await exportPicture(page, 'SVG', true)).bytes.toString('utf8'));
  const clean = await svgTexts(page, (await exportPicture(page, 'SVG', false)).bytes.toString('utf8'));
  for (const name of [
    ...NODES,
    'eth0',
    'veth-ns1',
    'veth-ns2',
    'veth-ns3',
    '10.0.2.1/24',
    'br0:veth-ns1 ⇄ ns1:eth0',
  ]) {
    expect(clean, name).toContain(name);
    expect(live, name).toContain(name);
  }
  expect(
    live.some((t) => /^\d+ MACs?( learned)?$/.test(t)),
    live.join(' | '),
  ).toBe(true);
  expect(live).toContain('up');
  for (const figure of [/\bMACs?\b/, /pkts/, /[→←]/, /^up$/, /^(down|drift|missing)$/])
    expect(
      clean.filter((t) => figure.test(t)),
      String(figure),
    ).toEqual([]);

  // Zoomed out past the cards (the <canvas> overview, no DOM cards at all): the very same file.
  const near = await exportPicture(page, 'PNG', false);
  expect(readPng(near.bytes).ink).toBeGreaterThan(0.02);
  const zoomOut = page.getByRole('button', { name: /zoom out/i });
  for (let i = 0; i < 10 && (await page.locator('.react-flow__node').count()) > 0; i++) await zoomOut.click();
  await expect(page.getByTestId('overview')).toBeVisible();
  await expect(page.locator('.react-flow__node')).toHaveCount(0);
  const far = await exportPicture(page, 'PNG', false);
  expect(far.bytes.equals(near.bytes)).toBe(true);
});
