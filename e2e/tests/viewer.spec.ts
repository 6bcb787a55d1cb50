import { addFromPalette, canvasPoint, moveNode, flowPosition, node, row } from '../support/canvas';
import { expect, openEditor, test } from '../support/fixtures';

test('a viewer sees an editor’s change live and has no way to edit', async ({ browser, page, lab }) => {
  await openEditor(page, lab);
  const viewerContext = await browser.newContext();
  const viewer = await viewerContext.newPage();
  const sent: string[] = [];
  viewer.on('websocket', (ws) => ws.on('framesent', (f) => sent.push(String(f.payload))));
  try {
    await viewer.goto(lab.viewerUrl);
    await expect(viewer.getByRole('status', { name: 'connection: live' })).toBeVisible();
    await expect(viewer.getByLabel('role: viewing')).toHaveText('viewing');

    // The editor adds a namespace: the viewer sees it, live.
    await addFromPalette(page, 'namespace', await canvasPoint(page, 0.4, 0.4));
    await expect(node(viewer, 'ns0')).toBeVisible();
    await page.getByRole('button', { name: 'interface lo in ns0' }).click();
    await page.getByRole('button', { name: 'bring lo up in ns0' }).click();
    await expect(row(viewer, 'ns0', 'lo')).toHaveAttribute('data-state', 'up');

    // No palette, no connect knobs, no file or layout actions.
    await expect(viewer.getByRole('navigation', { name: 'palette' })).toHaveCount(0);
    await expect(viewer.getByLabel(/^connect .*: drag to another node$/)).toHaveCount(0);
    for (const name of ['examples', 'import topology', 'layout'])
      await expect(viewer.getByRole('button', { name })).toHaveCount(0);

    // A read-only inspector: facts, no buttons or fields that change anything.
    await row(viewer, 'ns0', 'lo').click();
    const inspector = viewer.getByRole('complementary', { name: 'inspector' });
    await expect(inspector).toContainText('Viewing: read only');
    await expect(inspector).toContainText('lo desired: up');
    await expect(inspector.getByRole('button', { name: /bring|take|apply|delete|adopt|ping/i })).toHaveCount(
      0,
    );
    await expect(inspector.getByRole('textbox')).toHaveCount(0);

    // Dragging and Delete do nothing.
    const before = await flowPosition(viewer, 'ns0');
    await moveNode(viewer, 'ns0', 150, 80);
    await node(viewer, 'ns0').click({ position: { x: 60, y: 16 } });
    await viewer.keyboard.press('Delete');
    await viewer.waitForTimeout(500);
    expect(await flowPosition(viewer, 'ns0')).toEqual(before);
    await expect(node(viewer, 'ns0')).toBeVisible();
    await expect(node(page, 'ns0')).toBeVisible();

    // The viewer's page never asked the agent to change anything.
    expect(sent.map((s) => (JSON.parse(s) as { type: string }).type)).toEqual(['hello']);
  } finally {
    await viewerContext.close();
  }
});
