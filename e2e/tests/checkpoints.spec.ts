import { kernelNamespaces } from '../support/agent';
import { addFromPalette, canvasPoint, node } from '../support/canvas';
import { openExample } from '../support/examples';
import { expect, openEditor, test } from '../support/fixtures';

/** An editor's checkpoints (issue 13 §5): the reset's question names what of the lab goes. */

const KERNEL = { timeout: 30_000 };
test.describe.configure({ timeout: 180_000 });

test('a reset to a checkpoint asks about what goes (a namespace made since), not the whole lab, then removes it', async ({
  page,
  lab,
}) => {
  await openEditor(page, lab);
  await openExample(page, 'veth pair');
  const menu = page.getByRole('button', { name: 'checkpoints' });
  await menu.click();
  await page.getByRole('menuitem', { name: 'save a checkpoint' }).click();
  await page.getByRole('textbox', { name: 'checkpoint name' }).fill('pair');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByText('Saved checkpoint "pair".')).toBeVisible();

  await addFromPalette(page, 'namespace', await canvasPoint(page, 0.8, 0.8), 'ns9');
  await expect.poll(() => kernelNamespaces(lab), KERNEL).toContain('ns9');

  await menu.click();
  const reset = page.getByRole('menuitem', { name: 'reset to checkpoint pair' });
  // Its time as the command log writes it (24-hour).
  await expect(reset).toContainText(/saved \d\d:\d\d:\d\d: 2 namespaces/);
  await reset.click();
  const asking = page.getByRole('dialog', { name: 'Replace the lab with checkpoint "pair"?' });
  await expect(asking.getByRole('list', { name: 'what goes' }).getByRole('listitem')).toHaveText([
    '1 namespace (with their veths): ns9',
  ]);
  await asking.getByRole('button', { name: 'Replace', exact: true }).click();
  await expect(node(page, 'ns9')).toBeHidden();
  await expect.poll(() => kernelNamespaces(lab), KERNEL).not.toContain('ns9');
  expect(await kernelNamespaces(lab)).toEqual(expect.arrayContaining(['ns0', 'ns1']));
});
