import type { Page } from '@playwright/test';
import type { RunningLab } from '../support/agent';
import { flowPosition, moveNode, node } from '../support/canvas';
import { openExample } from '../support/examples';
import { expect, openEditor, test } from '../support/fixtures';

// Layout that leaves a person's placing alone unless asked, and new cards that land in free
// space beside what they connect to, in view.

type Box = { x: number; y: number; width: number; height: number };

const CARDS = ['h1', 'h2', 'br-in', 'r1', 'br-out', 'srv'];

async function openRouterNat(page: Page, lab: RunningLab): Promise<void> {
  await openEditor(page, lab);
  await openExample(page, 'router with NAT');
  await expect(node(page, 'srv')).toBeVisible();
}

/** Runs one of the Layout menu's actions and waits for it to say what it did. */
async function layOut(page: Page, which: 'all' | 'new', said: string): Promise<void> {
  await page.getByRole('button', { name: 'layout', exact: true }).click();
  await page.getByRole('menuitem', { name: `lay out ${which}` }).click();
  await expect(page.getByText(said).last()).toBeVisible({ timeout: 20_000 });
}

async function placesOf(page: Page, ids: string[]): Promise<Record<string, { x: number; y: number }>> {
  return Object.fromEntries(
    await Promise.all(ids.map(async (id) => [id, await flowPosition(page, id)] as const)),
  );
}

/** Every card's box on screen, by id. */
async function cardBoxes(page: Page): Promise<Map<string, Box>> {
  const list = await page.locator('.react-flow__node').evaluateAll((els) =>
    els.map((el) => {
      const r = el.getBoundingClientRect();
      return [
        (el as HTMLElement).dataset.id ?? '',
        { x: r.x, y: r.y, width: r.width, height: r.height },
      ] as const;
    }),
  );
  return new Map(list);
}

const overlaps = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
const within = (a: Box, b: Box) =>
  a.x >= b.x && a.y >= b.y && a.x + a.width <= b.x + b.width && a.y + a.height <= b.y + b.height;
/** The empty space between two boxes (0 when they touch or overlap). */
const gapBetween = (a: Box, b: Box) =>
  Math.hypot(
    Math.max(0, b.x - (a.x + a.width), a.x - (b.x + b.width)),
    Math.max(0, b.y - (a.y + a.height), a.y - (b.y + b.height)),
  );

test('Lay out new leaves a card placed by hand where it is; Lay out all moves it, in one undo step', async ({
  page,
  lab,
}) => {
  await openRouterNat(page, lab);
  const opened = await placesOf(page, CARDS);

  await moveNode(page, 'srv', 240, 30);
  const undo = page.getByRole('button', { name: 'undo', exact: true });
  await expect(undo).toHaveAttribute('title', /^Undo: move srv/);
  const byHand = await flowPosition(page, 'srv');
  expect(byHand).not.toEqual(opened.srv);

  // The example's places are the layout's: "new" lays those out again (where they are), srv stays.
  await layOut(page, 'new', 'Laid out 5 nodes; 1 node placed by hand stayed.');
  expect(await placesOf(page, CARDS)).toEqual({ ...opened, srv: byHand });
  await expect(undo).toHaveAttribute('title', /^Undo: move srv/);

  // "all" moves srv back into the picture, and nothing else.
  await layOut(page, 'all', 'Laid out 6 nodes.');
  await expect.poll(() => flowPosition(page, 'srv')).toEqual(opened.srv);
  expect(await placesOf(page, CARDS)).toEqual(opened);
  await expect(undo).toHaveAttribute('title', /^Undo: lay out all/);

  // One step: a single undo puts srv back where the hand left it.
  await undo.click();
  await expect.poll(() => flowPosition(page, 'srv')).toEqual(byHand);
  expect(await placesOf(page, CARDS)).toEqual({ ...opened, srv: byHand });
});

test('namespaces made in a terminal land in free space in view, beside what they connect to; adopting keeps the place', async ({
  page,
  lab,
}) => {
  await openRouterNat(page, lab);

  // One joined to h1 by a veth, one joined to nothing.
  await lab.exec('root', [
    'sh',
    '-c',
    'ip netns add side && ip -n side link add eth0 type veth peer name side0 netns h1 && ip netns add loner',
  ]);
  await expect(node(page, 'side')).toBeVisible();
  await expect(node(page, 'loner')).toBeVisible();
  await expect(page.locator('.react-flow__edge[data-id*="side"]').first()).toBeAttached();

  const pane = await page.locator('.react-flow__pane').boundingBox();
  if (!pane) throw new Error('no canvas');
  const boxes = await cardBoxes(page);
  for (const id of ['side', 'loner']) {
    const box = boxes.get(id) as Box;
    expect(within(box, pane), `${id} inside the canvas's visible area`).toBe(true);
    for (const [other, b] of boxes)
      if (other !== id) expect(overlaps(box, b), `${id} on ${other}`).toBe(false);
  }
  // Beside h1: no card nearer to it than h1.
  const side = boxes.get('side') as Box;
  const nearest = [...boxes]
    .filter(([id]) => id !== 'side')
    .sort((a, b) => gapBetween(side, a[1]) - gapBetween(side, b[1]));
  expect(nearest[0]?.[0]).toBe('h1');

  // Adopted, a namespace keeps the place it was given, now in the document.
  const loner = await flowPosition(page, 'loner');
  // From the inspector: at Fit the card is compact, without its adopt button.
  await node(page, 'loner').getByText('loner', { exact: true }).click();
  await page
    .getByRole('complementary', { name: 'inspector' })
    .getByRole('button', { name: 'adopt namespace loner' })
    .click();
  await expect(node(page, 'loner')).toHaveAttribute('aria-label', 'namespace loner');
  expect(await flowPosition(page, 'loner')).toEqual(loner);
  await page.reload();
  await expect(node(page, 'loner')).toBeVisible();
  expect(await flowPosition(page, 'loner')).toEqual(loner);
});
