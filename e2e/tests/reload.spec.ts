import { flowPosition, moveNode, node } from '../support/canvas';
import { openExample } from '../support/examples';
import { expect, openEditor, test } from '../support/fixtures';

test('after a reload the page shows the same network in the same layout', async ({ page, lab }) => {
  await openEditor(page, lab);
  await openExample(page, 'bridge');
  await expect(node(page, 'ns3')).toBeVisible();

  // Move two nodes by hand; the document keeps positions.
  await moveNode(page, 'ns2', 0, 140);
  await moveNode(page, 'br0', -120, 0);
  await expect(page.getByRole('status', { name: 'applying' })).toHaveCount(0);
  await page.waitForTimeout(500);

  const ids = ['br0', 'ns1', 'ns2', 'ns3'];
  const before = Object.fromEntries(
    await Promise.all(ids.map(async (id) => [id, await flowPosition(page, id)])),
  );
  const edges = async () =>
    (
      await page
        .locator('.react-flow__edge')
        .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')))
    ).sort();
  const edgesBefore = await edges();
  expect(edgesBefore).toHaveLength(3);

  await page.reload();
  await expect(page.getByRole('status', { name: 'connection: live' })).toBeVisible();
  await expect(node(page, 'ns3')).toBeVisible();
  for (const id of ids) expect(await flowPosition(page, id), id).toEqual(before[id]);
  expect(await edges()).toEqual(edgesBefore);
});
