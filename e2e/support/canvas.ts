import { expect, type Locator, type Page } from '@playwright/test';

/** Mouse-only helpers for the canvas: what a person does with a mouse, step by step. */

export const node = (page: Page, id: string): Locator => page.locator(`.react-flow__node[data-id="${id}"]`);

export const row = (page: Page, owner: string, ifname: string): Locator =>
  page.getByRole('button', { name: `interface ${ifname} in ${owner}`, exact: true });

export const port = (page: Page, bridge: string, ifname: string): Locator =>
  page.getByRole('button', { name: `port ${ifname} of ${bridge}`, exact: true });

/** A point on the canvas, as a fraction of its visible area. */
export async function canvasPoint(page: Page, fx: number, fy: number): Promise<{ x: number; y: number }> {
  const box = await page.locator('.react-flow__pane').boundingBox();
  if (!box) throw new Error('no canvas');
  return { x: box.x + box.width * fx, y: box.y + box.height * fy };
}

/**
 * A point of the canvas where nothing is drawn (its topmost element is the pane itself). Where
 * the lab's cards and edge labels land depends on the layout, so a fixed point may hit one (CI: a
 * click meant for the pane selected a veth's label).
 */
export async function emptyCanvasPoint(page: Page): Promise<{ x: number; y: number }> {
  const point = await page.evaluate(() => {
    const pane = document.querySelector('.react-flow__pane');
    if (!pane) return null;
    const box = pane.getBoundingClientRect();
    for (let fy = 0.1; fy < 0.95; fy += 0.08) {
      for (let fx = 0.1; fx < 0.95; fx += 0.08) {
        const x = box.left + box.width * fx;
        const y = box.top + box.height * fy;
        if (document.elementFromPoint(x, y) === pane) return { x, y };
      }
    }
    return null;
  });
  if (!point) throw new Error('no empty point on the canvas');
  return point;
}

/** Clicks the canvas where nothing is drawn, so the selection clears and the inspector shows the lab summary. */
export async function clickEmptyCanvas(page: Page): Promise<void> {
  const point = await emptyCanvasPoint(page);
  await page.mouse.click(point.x, point.y);
}

/**
 * Drags the canvas, as a person does, until `target` (a card's button or name) is in the clear:
 * its centre inside the canvas and not under a panel beside or over it (the terminals, the
 * inspector). A small canvas next to the lesson panel and the terminals can leave a card half
 * under the terminals or above the canvas's top, where a click waits forever (an e2e run at load
 * 30). What covers it from inside the canvas (a label, another card) is left to the click's own
 * waiting: dragging moves that along.
 */
export async function panIntoClearView(page: Page, target: Locator): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const where = await target.evaluate((el) => {
      const r = el.getBoundingClientRect();
      const x = r.left + r.width / 2;
      const y = r.top + r.height / 2;
      const pane = document.querySelector('.react-flow__pane')?.getBoundingClientRect();
      const inPane = !!pane && x > pane.left && x < pane.right && y > pane.top && y < pane.bottom;
      const hit = document.elementFromPoint(x, y);
      const underPanel = hit === null || hit.closest('.react-flow') === null;
      return { x, y, clear: inPane && !underPanel };
    });
    if (where.clear) return;
    const pane = await page.locator('.react-flow__pane').boundingBox();
    if (!pane) throw new Error('no canvas');
    const from = await emptyCanvasPoint(page);
    const by = { x: pane.x + pane.width / 2 - where.x, y: pane.y + pane.height / 2 - where.y };
    await drag(page, from, { x: from.x + by.x, y: from.y + by.y });
  }
}

/**
 * Clicks a card's button or name once the canvas shows it in the clear (panIntoClearView). Another
 * card can still lie over it (ci-30: the bridge a lesson step dropped covered the root card's
 * terminal button, and the click waited out the test's 6 min): a button is then pressed from the
 * keyboard, as a person could, focused and Enter.
 */
export async function clickOnCanvas(page: Page, target: Locator): Promise<void> {
  await panIntoClearView(page, target);
  const covered = await target.evaluate((el) => {
    const r = el.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return hit !== null && !el.contains(hit) && el instanceof HTMLButtonElement;
  });
  if (!covered) return target.click();
  await target.focus();
  await page.keyboard.press('Enter');
}

/**
 * Presses at `from`, moves a little (React Flow swallows the first move past its threshold), then
 * glides to `to` and lets go.
 */
export async function drag(
  page: Page,
  from: { x: number; y: number },
  to: { x: number; y: number },
): Promise<void> {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(from.x + 6, from.y + 6);
  await page.mouse.move(to.x, to.y, { steps: 12 });
  await page.mouse.up();
}

async function centre(locator: Locator): Promise<{ x: number; y: number }> {
  const box = await locator.boundingBox();
  if (!box) throw new Error('not on screen');
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Drags a namespace or bridge from the palette to a point of the canvas and names it. */
export async function addFromPalette(
  page: Page,
  kind: 'namespace' | 'bridge',
  at: { x: number; y: number },
  name?: string,
): Promise<string> {
  await drag(page, await centre(page.getByRole('button', { name: `add ${kind}` })), at);
  const dialog = page.getByRole('dialog', { name: `New ${kind}` });
  await expect(dialog).toBeVisible();
  const field = dialog.getByRole('textbox', { name: `Name of the new ${kind}` });
  if (name !== undefined) await field.fill(name);
  const chosen = await field.inputValue();
  await dialog.getByRole('button', { name: `Create ${kind}` }).click();
  await expect(dialog).toBeHidden();
  await expect(node(page, chosen)).toBeVisible();
  return chosen;
}

/** Drags from a node's + knob onto another node: the veth dialog opens. */
export async function startVeth(page: Page, from: string, to: string): Promise<Locator> {
  const knob = page.getByLabel(`connect ${from}: drag to another node`);
  const target = node(page, to).locator('div').first();
  const t = await target.boundingBox();
  if (!t) throw new Error(`node ${to} is not on screen`);
  await drag(page, await centre(knob), { x: t.x + t.width / 2, y: t.y + Math.min(20, t.height / 2) });
  const dialog = page.getByRole('dialog', { name: `New veth pair: ${from} ⇄ ${to}` });
  await expect(dialog).toBeVisible();
  return dialog;
}

/** Drags a node by its header by (dx, dy) screen pixels. */
export async function moveNode(page: Page, id: string, dx: number, dy: number): Promise<void> {
  const box = await node(page, id).boundingBox();
  if (!box) throw new Error(`node ${id} is not on screen`);
  const from = { x: box.x + 60, y: box.y + 16 };
  await drag(page, from, { x: from.x + dx, y: from.y + dy });
}

/** The node's place in flow coordinates (what the document stores), from React Flow's transform. */
export async function flowPosition(page: Page, id: string): Promise<{ x: number; y: number }> {
  const transform = await node(page, id).evaluate((el) => (el as HTMLElement).style.transform);
  const m = /translate\(\s*(-?[\d.]+)px,\s*(-?[\d.]+)px\)/.exec(transform);
  if (!m) throw new Error(`no position in "${transform}"`);
  return { x: Number(m[1]), y: Number(m[2]) };
}

/** Selects a namespace's interface and returns the inspector. */
export async function inspectInterface(page: Page, owner: string, ifname: string): Promise<Locator> {
  await clickOnCanvas(page, row(page, owner, ifname));
  const inspector = page.getByRole('complementary', { name: 'inspector' });
  await expect(inspector.getByText(`Interface in ${owner}`)).toBeVisible();
  return inspector;
}

/** Selects a namespace by its card's name and returns the inspector, once it shows that namespace. */
export async function inspectNamespace(page: Page, name: string): Promise<Locator> {
  await clickOnCanvas(page, node(page, name).getByText(name, { exact: true }));
  const inspector = page.getByRole('complementary', { name: 'inspector' });
  await expect(inspector.getByRole('region', { name: 'Namespace' })).toContainText(name);
  return inspector;
}

/** Runs the inspector's ping tool from what is selected, and waits for its result. */
export async function pingFromInspector(page: Page, address: string, count = 2): Promise<string> {
  const inspector = page.getByRole('complementary', { name: 'inspector' });
  const tool = inspector.getByRole('region', { name: 'ping tool' });
  await tool.getByRole('textbox', { name: 'ping address' }).fill(address);
  await tool.getByRole('spinbutton', { name: 'ping count' }).fill(String(count));
  await tool.getByRole('button', { name: /^ping from / }).click();
  const result = tool.getByRole('status', { name: 'ping result' });
  await expect(result).toBeVisible({ timeout: 20_000 });
  return (await result.textContent()) ?? '';
}

/** The inspector panel (a side panel, or a drawer in narrow windows and the presenter view). */
export const inspectorOf = (page: Page): Locator => page.getByRole('complementary', { name: 'inspector' });

/**
 * Runs an assertion on what an edit should have made; when it fails, the error carries the
 * notices on screen (an edit refused, or "Left as it is: …" after an adopt), which say why, and
 * the command log's last lines (whether the edit ran at all).
 */
export async function explainedByNotices(page: Page, check: () => Promise<void>): Promise<void> {
  try {
    await check();
  } catch (error) {
    const texts = (locator: Locator) => locator.allInnerTexts().catch(() => [] as string[]);
    const notices = await texts(page.locator('[aria-live="polite"] > div'));
    const log = await texts(page.getByRole('region', { name: 'command log' }).getByRole('listitem'));
    if (error instanceof Error)
      error.message +=
        `\nNotices on screen: ${notices.length > 0 ? notices.join(' | ') : 'none'}` +
        `\nThe command log's last lines: ${log.length > 0 ? log.slice(-4).join(' | ') : 'none'}`;
    throw error;
  }
}
