import { expect, type Page } from '@playwright/test';

/**
 * Does `act` (a click on fit view, zoom in…) and waits until a move of the canvas's view has ended
 * after it, with none under way. React Flow queues a fit for after the next render and then
 * animates it: on a loaded machine "the zoom has not changed for a moment" can be read before the
 * fit has begun, and a zoom-in clicked then is undone by the fit landing after it. The canvas
 * counts ended moves on its wrapper (apps/web/src/canvas/use-view-motion.ts).
 */
export async function afterViewMoves(page: Page, act: () => Promise<void>): Promise<void> {
  const wrapper = page.locator('.react-flow[data-view-moves]');
  const before = Number(await wrapper.getAttribute('data-view-moves'));
  await act();
  await expect
    .poll(async () => {
      const [moves, view] = await wrapper.evaluate((el) => [
        Number(el.getAttribute('data-view-moves')),
        el.getAttribute('data-view'),
      ]);
      return moves > before && view === 'still';
    })
    .toBe(true);
}

/** The canvas's zoom, read from its viewport's transform. */
export async function zoomOf(page: Page): Promise<number> {
  const transform = await page
    .locator('.react-flow__viewport')
    .evaluate((el) => (el as HTMLElement).style.transform);
  const m = /scale\(([\d.]+)\)/.exec(transform);
  if (!m) throw new Error(`no zoom in "${transform}"`);
  return Number(m[1]);
}
