import { openExample } from '../support/examples';
import { expect, openEditor, test } from '../support/fixtures';
import { inspectInterface, inspectNamespace, inspectorOf, row } from '../support/canvas';

// The inspector describes what is on the canvas: a selection whose node went with the lab it was in
// (another example opened over it) is cleared, not described as missing from the kernel.

test('replacing the lab clears a selection whose namespace went with it', async ({ page, lab }) => {
  await openEditor(page, lab);
  await openExample(page, 'bridge');
  await row(page, 'ns3', 'eth0').click();
  await expect(inspectorOf(page)).toContainText('Interface in ns3', { ignoreCase: true });
  await openExample(page, 'router with NAT');
  await expect(inspectorOf(page)).not.toContainText('Interface in ns3', { ignoreCase: true });
  await expect(inspectorOf(page)).not.toContainText('The kernel has no interface of this name');
});

test('a click on a card’s name selects its namespace, also while one of its interfaces is selected', async ({
  page,
  lab,
}) => {
  // The interface stayed selected until the empty canvas was clicked first (found trying the product).
  await openEditor(page, lab);
  await openExample(page, 'bridge');
  await inspectInterface(page, 'ns3', 'eth0');
  await inspectNamespace(page, 'ns3');
  await expect(inspectorOf(page)).not.toContainText('Interface in ns3', { ignoreCase: true });
});
