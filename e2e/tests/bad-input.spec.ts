import { inspectInterface, row, startVeth } from '../support/canvas';
import { openExample } from '../support/examples';
import { expect, openEditor, test } from '../support/fixtures';
import { recordSent } from '../support/sent';

test('bad input in the inspector shows the model’s error and sends nothing', async ({ page, lab }) => {
  const sent = recordSent(page);
  // Edits other than the layout's own saves of places (a new node's place is taken into the
  // document by the page whenever it lands): those are what a refusal must not send.
  const edits = () =>
    sent.filter((m) => m.type === 'edit' && !(m.edits ?? []).every((e) => e.type === 'setPosition')).length;
  await openEditor(page, lab);
  await openExample(page, 'veth pair');
  await expect(row(page, 'ns0', 'veth0')).toHaveAttribute('data-state', 'up');
  const editsBefore = edits();

  // An address with an octet over 255.
  const inspector = await inspectInterface(page, 'ns0', 'veth0');
  await inspector.getByRole('textbox', { name: 'addresses of veth0' }).fill('10.0.1.300/24');
  await inspector.getByRole('button', { name: 'apply veth0' }).click();
  // A sentence about the address, and the field path (what the command line says) under it.
  const alert = inspector.getByRole('alert');
  await expect(alert.getByRole('paragraph').first()).toHaveText(
    'The address 10.0.1.300/24 is not a valid IPv4 address (four numbers 0 to 255, like 10.0.1.1).',
  );
  await expect(alert.getByTestId('error-detail')).toHaveText(
    'edits[0].addresses[0]: "10.0.1.300/24" is not a valid IPv4 address (four numbers 0 to 255, like 10.0.1.1)',
  );

  // An interface name of 16 bytes, in the new veth dialog.
  const dialog = await startVeth(page, 'ns0', 'ns1');
  await dialog.getByRole('textbox', { name: 'Interface in ns0' }).fill('abcdefghijklmnop');
  await dialog.getByRole('button', { name: 'Create veth pair' }).click();
  await expect(dialog.getByRole('alert')).toContainText(
    'The interface name abcdefghijklmnop is 16 bytes, at most 15.',
  );
  await expect(dialog.getByRole('alert').getByTestId('error-detail')).toHaveText(
    'edits[0].a.ifname: 16 bytes, at most 15',
  );
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  // Nothing was sent, and the kernel still has the old address.
  await page.waitForTimeout(300);
  expect(edits()).toBe(editsBefore);
  const links = JSON.parse(await lab.exec('ns0', ['ip', '-j', 'addr', 'show', 'veth0'])) as {
    addr_info: { family: string; local: string }[];
  }[];
  expect(links[0]?.addr_info.filter((a) => a.family === 'inet').map((a) => a.local)).toEqual(['10.0.1.1']);
  await expect(row(page, 'ns0', 'veth0').getByTestId('addresses')).toHaveText('10.0.1.1/24');
});
