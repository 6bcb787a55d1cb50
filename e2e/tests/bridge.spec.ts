import {
  addFromPalette,
  canvasPoint,
  inspectInterface,
  node,
  pingFromInspector,
  row,
  startVeth,
} from '../support/canvas';
import { expect, openEditor, test } from '../support/fixtures';

const NAMESPACES = ['ns1', 'ns2', 'ns3'] as const;
const address = (ns: string) => `10.0.2.${ns.slice(2)}`;

test('the bridge example is built by mouse; every namespace pings every other; the bridge’s learned MACs show', async ({
  page,
  lab,
}) => {
  test.setTimeout(180_000);
  await openEditor(page, lab);

  await addFromPalette(page, 'bridge', await canvasPoint(page, 0.5, 0.15), 'br0');
  for (const [i, ns] of NAMESPACES.entries())
    await addFromPalette(page, 'namespace', await canvasPoint(page, 0.2 + 0.3 * i, 0.6), ns);

  // One veth per namespace, from the bridge: names proposed as in examples/bridge.json.
  for (const ns of NAMESPACES) {
    const dialog = await startVeth(page, 'br0', ns);
    await expect(dialog.getByRole('textbox', { name: 'Interface in br0' })).toHaveValue(`veth-${ns}`);
    await expect(dialog.getByRole('textbox', { name: `Interface in ${ns}` })).toHaveValue('eth0');
    await dialog.getByRole('button', { name: 'Create veth pair' }).click();
    await expect(dialog).toBeHidden();
    await expect(row(page, ns, 'eth0')).toBeVisible();
  }

  for (const ns of NAMESPACES) {
    const inspector = await inspectInterface(page, ns, 'eth0');
    await inspector.getByRole('textbox', { name: 'addresses of eth0' }).fill(`${address(ns)}/24`);
    await inspector.getByRole('button', { name: 'apply eth0' }).click();
    await expect(row(page, ns, 'eth0').getByTestId('addresses')).toHaveText(`${address(ns)}/24`);
    await expect(row(page, ns, 'eth0')).toHaveAttribute('data-state', 'up');
  }
  for (const ns of NAMESPACES)
    await expect(page.getByRole('button', { name: `port veth-${ns} of br0` })).toHaveAttribute(
      'data-state',
      'up',
    );

  // Every namespace pings every other, from the page.
  for (const from of NAMESPACES) {
    await inspectInterface(page, from, 'eth0');
    for (const to of NAMESPACES) {
      if (to === from) continue;
      expect(await pingFromInspector(page, address(to), 1), `${from} → ${to}`).toContain(
        `replies from ${address(to)}`,
      );
    }
  }

  // The bridge learned each namespace's MAC on its port.
  await node(page, 'br0').getByText('br0', { exact: true }).click();
  const table = page.getByRole('table', { name: 'MAC table of br0' });
  for (const ns of NAMESPACES) {
    const [link] = JSON.parse(await lab.exec(ns, ['ip', '-j', 'link', 'show', 'eth0'])) as {
      address: string;
    }[];
    await expect(table.getByRole('row').filter({ hasText: link!.address })).toContainText(`veth-${ns}`);
  }
});
