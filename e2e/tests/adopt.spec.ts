import { node } from '../support/canvas';
import { expect, openEditor, test } from '../support/fixtures';

test('a namespace made from a terminal appears as unmanaged, and adopting it makes it part of the topology', async ({
  page,
  lab,
}) => {
  await openEditor(page, lab);
  await lab.exec('root', ['ip', 'netns', 'add', 'handmade']);

  const card = node(page, 'handmade');
  await expect(card).toBeVisible();
  await expect(card).toHaveAttribute('aria-label', 'unmanaged namespace handmade');
  await expect(card.getByText('unmanaged', { exact: true })).toBeVisible();

  await card.getByRole('button', { name: 'adopt namespace handmade' }).click();
  await expect(card).toHaveAttribute('aria-label', 'namespace handmade');
  await expect(card.getByRole('button', { name: 'interface lo in handmade' })).toBeVisible();

  // Part of the document: the inspector's summary counts it, and the exported file has it.
  await page.locator('.react-flow__pane').click({ position: { x: 700, y: 500 } });
  await expect(page.getByRole('complementary', { name: 'inspector' })).toContainText('1 namespaces');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'export topology' }).click();
  const file = await (await download).path();
  const { readFile } = await import('node:fs/promises');
  const exported = JSON.parse(await readFile(file, 'utf8')) as { namespaces: { name: string }[] };
  expect(exported.namespaces.map((n) => n.name)).toEqual(['handmade']);
});
