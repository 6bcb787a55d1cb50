import type { Page } from '@playwright/test';
import { addFromPalette, canvasPoint, flowPosition, node } from '../support/canvas';
import { openExample } from '../support/examples';
import { expect, openEditor, test } from '../support/fixtures';

/**
 * Cards of namespaces made by hand land in free space (README): never over another card, even
 * when this browser kept a place for one where the lab now draws something else (a namespace
 * released by a lesson step's start, or kept after an undo, keeps the place it had).
 */

/** Pairs of cards that overlap, by id ("a over b"). */
async function overlaps(page: Page): Promise<string[]> {
  const boxes = await cardBoxes(page);
  const over: string[] = [];
  for (const a of boxes)
    for (const b of boxes)
      if (a.id < b.id && a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h)
        over.push(`${a.id} over ${b.id}`);
  return over;
}

async function cardBoxes(page: Page) {
  return page.locator('.react-flow__node').evaluateAll((els) =>
    els.map((el) => {
      const r = el.getBoundingClientRect();
      return { id: el.getAttribute('data-id') ?? '', x: r.x, y: r.y, w: r.width, h: r.height };
    }),
  );
}

test('namespaces made by hand never land on another card, nor on one another', async ({ page, lab }) => {
  await openEditor(page, lab);
  await addFromPalette(page, 'namespace', await canvasPoint(page, 0.3, 0.4), 'ns1');
  await addFromPalette(page, 'namespace', await canvasPoint(page, 0.6, 0.4), 'ns2');
  // A place this browser kept for "hand1" lies exactly where ns1 now is (as a released namespace's does).
  const taken = await flowPosition(page, 'ns1');
  await page.evaluate(([key, at]) => localStorage.setItem(key, JSON.stringify({ hand1: at, hand2: at })), [
    `netcanvas.layout.${lab.name}`,
    taken,
  ] as const);
  await page.reload();
  await expect(page.getByRole('status', { name: 'connection: live' })).toBeVisible();
  await lab.exec('root', ['sh', '-c', 'for n in hand1 hand2 hand3 hand4; do ip netns add $n; done']);
  for (const id of ['hand1', 'hand2', 'hand3', 'hand4']) await expect(node(page, id)).toBeVisible();

  await expect
    .poll(async () => {
      const count = (await cardBoxes(page)).length;
      return count >= 6 ? await overlaps(page) : [`only ${count} cards`];
    })
    .toEqual([]);
});

test('a namespace added by a click on the palette (not a drag) lands in free space, not on a card in the middle', async ({
  page,
  lab,
}) => {
  await openEditor(page, lab);
  await openExample(page, 'router with NAT');
  await expect(node(page, 'r1')).toBeVisible();
  await page.getByRole('button', { name: 'add namespace' }).click();
  const dialog = page.getByRole('dialog', { name: 'New namespace' });
  await dialog.getByRole('textbox', { name: 'Name of the new namespace' }).fill('ns9');
  await dialog.getByRole('button', { name: 'Create namespace' }).click();
  await expect(node(page, 'ns9')).toBeVisible();
  await expect.poll(() => overlaps(page)).toEqual([]);
});
