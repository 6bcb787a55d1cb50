import { PAIRED_PITCH as PITCH, gridName, importLab, pairedGrid } from '../support/big-labs';
import { node } from '../support/canvas';
import { expect, openEditor, test } from '../support/fixtures';

// A lab too big to read card by card: zoomed out, the canvas draws it on one <canvas> (the
// overview) instead of a DOM node per namespace; a click there still selects, a double click opens
// the card, and zooming back in brings the cards back. On the real agent and kernel.

const COLUMNS = 12;
const NAMESPACES = 120;
const CARD = { width: 264, header: 44 };
const name = (i: number) => gridName('ov', NAMESPACES, i);

test('a large lab zoomed out is one canvas; a box selects and opens its namespace', async ({ page, lab }) => {
  test.setTimeout(240_000);
  await openEditor(page, lab);
  // 120 namespaces on a grid, paired by veths (ov000–ov001, ov002–ov003, …), each pair a /30.
  await importLab(page, pairedGrid('ov', NAMESPACES, COLUMNS), 180_000);

  // The import fits the lab to the screen: far below the zoom of readable cards.
  const overview = page.getByTestId('overview');
  await expect(overview).toBeVisible();
  await expect(overview).toHaveAttribute('data-boxes', String(NAMESPACES));
  await expect(overview).toHaveAttribute('data-edges', String(NAMESPACES / 2));
  await expect(page.locator('.react-flow__node')).toHaveCount(0);
  await expect(page.locator('.react-flow__edge')).toHaveCount(0);

  // Where ov057's box is on screen, from React Flow's transform and the pane's place, once the
  // view has settled: on a loaded machine the import's fit can still be moving it (a point taken
  // mid-way hovered empty canvas: the cursor stayed "grab", CI 2026-12-02, sessions 10 and 11).
  const target = 57;
  const viewport = page.locator('.react-flow__viewport');
  const transformNow = () => viewport.evaluate((el) => (el as HTMLElement).style.transform);
  let transform = await transformNow();
  await expect
    .poll(
      async () => {
        await page.waitForTimeout(300);
        const [was, now] = [transform, (transform = await transformNow())];
        return was === now;
      },
      { timeout: 30_000 },
    )
    .toBe(true);
  const pane = await page.locator('.react-flow__pane').boundingBox();
  const m = /translate\((-?[\d.]+)px, ?(-?[\d.]+)px\) scale\(([\d.]+)\)/.exec(transform);
  if (!pane || !m) throw new Error(`no viewport transform in "${transform}"`);
  const [tx, ty, zoom] = [Number(m[1]), Number(m[2]), Number(m[3])];
  expect(zoom).toBeLessThan(0.45);
  const col = target % COLUMNS;
  const rowIndex = Math.floor(target / COLUMNS);
  const point = {
    x: pane.x + tx + (col * PITCH.x + CARD.width / 2) * zoom,
    y: pane.y + ty + (rowIndex * PITCH.y + CARD.header) * zoom,
  };

  // Hovering marks the box (the pane's cursor says it can be clicked); a click selects it.
  await page.mouse.move(point.x, point.y);
  await expect(page.locator('.react-flow__pane')).toHaveCSS('cursor', 'pointer');
  await page.mouse.click(point.x, point.y);
  const inspector = page.getByRole('complementary', { name: 'inspector' });
  await expect(inspector.getByRole('region', { name: 'Namespace' })).toContainText(name(target));

  // A click on empty canvas (between two columns) clears the selection, as it always has.
  await page.mouse.click(point.x + (CARD.width / 2 + (PITCH.x - CARD.width) / 2) * zoom, point.y);
  await expect(inspector.getByRole('region', { name: 'Namespace' })).toHaveCount(0);

  // A double click opens the box: its card at 100%, the cards back in the DOM, no overview.
  await page.mouse.dblclick(point.x, point.y);
  await expect(node(page, name(target))).toBeVisible();
  await expect(overview).toHaveCount(0);
  await expect(inspector.getByRole('region', { name: 'Namespace' })).toContainText(name(target));
  await expect(node(page, name(target))).toHaveClass(/selected/);

  // Fit again (the top bar's button): the overview comes back, with every box.
  await page.getByRole('button', { name: 'fit view' }).click();
  await expect(page.getByTestId('overview')).toHaveAttribute('data-boxes', String(NAMESPACES));
  await expect(page.locator('.react-flow__node')).toHaveCount(0);

  // Loaded again, a lab this large opens at 100% on its top-left corner, and its first frame takes
  // in only what that view shows: the namespaces out of view reach React Flow after that frame
  // (apps/web/src/canvas/use-staged.ts; the wrapper's data-held counts those not given yet).
  // Then every one is there: a fit finds them all, and the overview draws every box and edge.
  await page.addInitScript(() => {
    const w = window as unknown as { __firstHeld?: number };
    const look = () => {
      const wrapper = document.querySelector<HTMLElement>('.react-flow');
      if (wrapper && document.querySelector('.react-flow__node'))
        w.__firstHeld = Number(wrapper.dataset.held);
      else requestAnimationFrame(look);
    };
    requestAnimationFrame(look);
  });
  await page.reload();
  await expect(node(page, name(0))).toBeVisible({ timeout: 30_000 });
  const firstHeld = await page.evaluate(() => (window as unknown as { __firstHeld?: number }).__firstHeld);
  expect(firstHeld).toBeGreaterThan(0);
  expect(firstHeld).toBeLessThan(NAMESPACES);
  await expect(page.locator('.react-flow')).toHaveAttribute('data-held', '0');
  await page.getByRole('button', { name: 'fit view' }).click();
  await expect(page.getByTestId('overview')).toHaveAttribute('data-boxes', String(NAMESPACES));
  await expect(page.getByTestId('overview')).toHaveAttribute('data-edges', String(NAMESPACES / 2));
});
