import { inspectInterface, node, row } from '../support/canvas';
import { openExample } from '../support/examples';
import { expect, openEditor, test } from '../support/fixtures';

test('a veth end the lab made and someone renamed in a terminal is the lab’s link that drifted, not one made outside netcanvas', async ({
  page,
  lab,
}) => {
  await openEditor(page, lab);
  await openExample(page, 'veth pair');
  await expect(page.getByRole('group', { name: 'veth ns0:veth0 to ns1:veth1, up' })).toBeVisible();

  // A link is renamed down (the kernel refuses to rename one that is up).
  for (const step of [
    ['set', 'veth0', 'down'],
    ['set', 'veth0', 'name', 'x9'],
    ['set', 'x9', 'up'],
  ])
    await lab.exec('ns0', ['ip', 'link', ...step]);

  const x9 = row(page, 'ns0', 'x9');
  await expect(x9).toHaveAttribute('title', /drift: netcanvas made this as ns0:veth0; renamed by hand to x9/);
  await expect(x9).not.toHaveAttribute('title', /made outside netcanvas/);
  await expect(page.getByRole('group', { name: 'veth ns0:veth0 to ns1:veth1, drift' })).toBeVisible();
  await expect(page.getByRole('group', { name: /, unmanaged$/ })).toHaveCount(0);
  // No "adopt +1" on the card: it is not a link to adopt as made by hand.
  await expect(node(page, 'ns0').getByRole('button', { name: /^adopt / })).toHaveCount(0);

  // The inspector says what it is, and takes the new name into the topology.
  const inspector = await inspectInterface(page, 'ns0', 'x9');
  await expect(inspector).toContainText('netcanvas made this as ns0:veth0; renamed by hand to x9.');
  const take = inspector.getByRole('button', { name: 'adopt x9 in ns0' });
  await expect(take).toHaveText('rename veth0 to x9 in the topology');
  await take.click();
  await expect(page.getByRole('group', { name: 'veth ns0:x9 to ns1:veth1, up' })).toBeVisible();
});
