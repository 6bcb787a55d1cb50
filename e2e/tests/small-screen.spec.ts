import type { Page } from '@playwright/test';
import { startLab } from '../support/agent';
import { inspectInterface, inspectorOf, node } from '../support/canvas';
import { openExample } from '../support/examples';
import { expect, openEditor, test } from '../support/fixtures';

// A laptop's or a projector's 1440×900 (an outside test, session 21): the panels docked under the
// canvas leave it room to work in, and the packet path's panel leaves the cards it describes in
// the clear, to be clicked.

test.use({ viewport: { width: 1440, height: 900 } });

type Box = { x: number; y: number; width: number; height: number };

/** The canvas keeps 45 % of the window's height (405 px here) whatever is docked under it. */
const CANVAS_MIN_PX = 405;

async function boxOf(page: Page, selector: string): Promise<Box> {
  const box = await page.locator(selector).first().boundingBox();
  if (!box) throw new Error(`${selector} is not on screen`);
  return box;
}

const overlap = (a: Box, b: Box): boolean =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

test('a terminal, a capture and the command log open together leave the canvas 45 % of the window', async ({
  page,
}) => {
  const lab = await startLab('small', ['--terminals']);
  try {
    await openEditor(page, lab);
    await openExample(page, 'veth pair');
    await page.getByRole('button', { name: 'open a terminal in ns1' }).click();
    const terminals = page.getByRole('region', { name: 'terminals' });
    await expect(terminals.getByLabel(/^terminal in ns1/)).toContainText(`[${lab.name}:ns1]`, {
      timeout: 20_000,
    });
    const starter = (await inspectInterface(page, 'ns0', 'veth0')).getByRole('region', {
      name: 'packet capture',
    });
    await starter.getByRole('textbox', { name: 'capture filter' }).fill('icmp');
    await starter.getByRole('button', { name: 'capture on veth0' }).click();
    const captures = page.getByRole('region', { name: 'packet capture panel' });
    await expect(captures.getByRole('status', { name: 'capture state' })).toContainText('capturing', {
      timeout: 15_000,
    });
    // A dozen packets: the list asks for its full height (12rem).
    await lab.exec('ns1', ['ping', '-n', '-c', '6', '-i', '0.2', '10.0.1.1']);
    await expect(captures.getByRole('log', { name: 'captured packets' }).locator('tr')).toHaveCount(12);
    await expect(page.getByRole('button', { name: 'hide command log' })).toBeVisible();

    const canvas = await boxOf(page, '.react-flow');
    await page.screenshot({ path: test.info().outputPath('docked.png') });
    expect(canvas.height, 'the canvas’s height with three panels docked').toBeGreaterThanOrEqual(
      CANVAS_MIN_PX,
    );
    // Each docked panel still shows some of what it holds, inside the window.
    for (const inside of [
      terminals.getByLabel(/^terminal in ns1/),
      captures.getByRole('log', { name: 'captured packets' }),
      page.getByRole('log', { name: 'commands' }),
    ]) {
      const box = await inside.boundingBox();
      expect(box?.height ?? 0).toBeGreaterThanOrEqual(48);
      expect((box?.y ?? 900) + 48).toBeLessThanOrEqual(900);
    }
    // Folded, the terminal gives its room to the others; with the log folded too, to the canvas.
    const list = captures.getByRole('log', { name: 'captured packets' });
    const listBefore = (await list.boundingBox())?.height ?? 0;
    await terminals.getByRole('button', { name: 'fold terminals' }).click();
    await expect.poll(async () => (await list.boundingBox())?.height).toBeGreaterThan(listBefore + 50);
    await page.getByRole('button', { name: 'hide command log' }).click();
    await expect
      .poll(async () => (await boxOf(page, '.react-flow')).height)
      .toBeGreaterThan(canvas.height + 100);
  } finally {
    await lab.stop();
  }
});

test('the packet path’s panel leaves the cards on the path in the clear: each one clicked selects it', async ({
  page,
  lab,
}) => {
  await openEditor(page, lab);
  await openExample(page, 'router with NAT');
  await node(page, 'h1').getByText('h1', { exact: true }).click();
  const tool = inspectorOf(page).getByRole('region', { name: 'packet path tool' });
  await tool.getByLabel('Destination').fill('10.2.0.100');
  await tool.getByRole('button', { name: 'trace the packet path from h1' }).click();
  const panel = page.getByRole('region', { name: 'packet path', exact: true });
  await expect(panel.getByRole('status', { name: 'packet path verdict' })).toHaveText('✓ delivered to srv', {
    timeout: 20_000,
  });
  await expect(node(page, 'srv').getByRole('img', { name: /packet path step 5/ })).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('path.png') });
  const panelBox = await boxOf(page, 'section[aria-label="packet path"]');
  const canvas = await boxOf(page, '.react-flow');
  for (const id of ['h1', 'br-in', 'r1', 'br-out', 'srv']) {
    const card = await boxOf(page, `.react-flow__node[data-id="${id}"]`);
    expect(overlap(card, panelBox), `${id}'s card under the packet path panel`).toBe(false);
    expect(card.x >= canvas.x && card.x + card.width <= canvas.x + canvas.width, `${id} in view`).toBe(true);
  }
  // A plain click on each card's name (no panning first) selects it: nothing lies over it.
  for (const id of ['srv', 'h1', 'r1']) {
    await node(page, id).getByText(id, { exact: true }).click({ timeout: 5000 });
    await expect(inspectorOf(page).getByRole('region', { name: 'Namespace' })).toContainText(id);
  }
  await expect(panel).toBeVisible();
});
