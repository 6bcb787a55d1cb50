import type { Page } from '@playwright/test';
import { kernelNamespaces, type RunningLab } from '../support/agent';
import {
  addFromPalette,
  canvasPoint,
  clickEmptyCanvas,
  inspectInterface,
  inspectNamespace,
  node,
  row,
  startVeth,
} from '../support/canvas';
import { openExample } from '../support/examples';
import { expect, openEditor, test } from '../support/fixtures';

/** Undo and redo reverse the kernel (issue 11 §5): every check of the kernel asks it, not the page. */

interface IpLink {
  ifname: string;
  master?: string;
  addr_info?: { family: string; local: string; prefixlen: number }[];
}

const linksIn = async (lab: RunningLab, ns: string): Promise<IpLink[]> =>
  JSON.parse(await lab.exec(ns, ['ip', '-j', 'addr', 'show'])) as IpLink[];
const ifnamesIn = async (lab: RunningLab, ns: string) =>
  (JSON.parse(await lab.exec(ns, ['ip', '-j', 'link', 'show'])) as IpLink[]).map((l) => l.ifname).sort();
const namespaces = kernelNamespaces;

// Each look at the kernel is a `netcanvas exec`: seconds on a loaded machine, and these tests
// look often (after every undo and redo).
const KERNEL = { timeout: 30_000 };
test.describe.configure({ timeout: 300_000 });

/** Presses a key with the canvas, not a field, holding the keyboard. */
async function keyOnCanvas(page: Page, keys: string): Promise<void> {
  await clickEmptyCanvas(page);
  await page.keyboard.press(keys);
}

test('a veth added by mouse is gone from the kernel after Ctrl+Z, and back after redo', async ({
  page,
  lab,
}) => {
  await openEditor(page, lab);
  await addFromPalette(page, 'namespace', await canvasPoint(page, 0.25, 0.35));
  await addFromPalette(page, 'namespace', await canvasPoint(page, 0.7, 0.35));
  const dialog = await startVeth(page, 'ns0', 'ns1');
  await dialog.getByRole('button', { name: 'Create veth pair' }).click();
  await expect(row(page, 'ns0', 'veth0')).toBeVisible();
  expect(await ifnamesIn(lab, 'ns0')).toEqual(['lo', 'veth0']);

  const undo = page.getByRole('button', { name: 'undo', exact: true });
  const redo = page.getByRole('button', { name: 'redo', exact: true });
  await expect(undo).toHaveAttribute('title', 'Undo: add veth ns0:veth0 ⇄ ns1:veth1 (Ctrl+Z)');
  await expect(redo).toBeDisabled();

  // Ctrl+Z in a field is the field's own: nothing is undone.
  const inspector = await inspectInterface(page, 'ns0', 'veth0');
  const field = inspector.getByRole('textbox', { name: 'addresses of veth0' });
  await field.fill('10.0.9.1/24');
  await field.press('Control+z');
  await expect(row(page, 'ns0', 'veth0')).toBeVisible();

  await keyOnCanvas(page, 'Control+z');
  await expect(row(page, 'ns0', 'veth0')).toBeHidden();
  await expect.poll(() => ifnamesIn(lab, 'ns0'), KERNEL).toEqual(['lo']);
  expect(await ifnamesIn(lab, 'ns1')).toEqual(['lo']);
  // An undo is an edit: its command is in the log, as it ran.
  await expect(page.getByRole('log', { name: 'commands' })).toContainText(/link del dev veth[01]/);
  await expect(redo).toHaveAttribute('title', 'Redo: add veth ns0:veth0 ⇄ ns1:veth1 (Ctrl+Shift+Z)');

  await keyOnCanvas(page, 'Control+Shift+z');
  await expect(row(page, 'ns0', 'veth0')).toBeVisible();
  await expect.poll(() => ifnamesIn(lab, 'ns0'), KERNEL).toEqual(['lo', 'veth0']);
  expect(await ifnamesIn(lab, 'ns1')).toEqual(['lo', 'veth1']);

  // The buttons do the same, and Ctrl+Y redoes.
  await undo.click();
  await expect(row(page, 'ns0', 'veth0')).toBeHidden();
  await keyOnCanvas(page, 'Control+y');
  await expect(row(page, 'ns0', 'veth0')).toBeVisible();
  await expect(redo).toBeDisabled();
  // Undo twice more: the veth, then the namespace ns1 (made by the palette).
  await undo.click();
  await expect(undo).toHaveAttribute('title', 'Undo: add namespace ns1 (Ctrl+Z)');
  await undo.click();
  await expect(node(page, 'ns1')).toBeHidden();
  await expect.poll(() => namespaces(lab), KERNEL).toEqual(['ns0']);
});

test('deleting a namespace with links asks first, and its undo brings back the namespace, its link and address', async ({
  page,
  lab,
}) => {
  await openEditor(page, lab);
  await openExample(page, 'bridge');

  // The Delete key on ns1: the question names what goes; Escape cancels and nothing changes.
  await inspectNamespace(page, 'ns1');
  await page.keyboard.press('Delete');
  const ask = page.getByRole('dialog', { name: 'Delete ns1?' });
  await expect(ask).toBeVisible();
  await expect(ask.getByRole('list', { name: 'what goes' })).toHaveText('ns1 and its 1 link: eth0 ⇄ br0');
  await page.keyboard.press('Escape');
  await expect(ask).toBeHidden();
  expect(await namespaces(lab)).toEqual(['ns1', 'ns2', 'ns3']);

  // Export first downloads the topology, and the question stays.
  const inspector = await inspectNamespace(page, 'ns1');
  await inspector.getByRole('button', { name: 'Delete namespace ns1' }).click();
  const download = page.waitForEvent('download');
  await ask.getByRole('button', { name: 'export first' }).click();
  expect((await download).suggestedFilename()).toBe(`${lab.name}.json`);
  await ask.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(node(page, 'ns1')).toBeHidden();
  await expect.poll(() => namespaces(lab), KERNEL).toEqual(['ns2', 'ns3']);
  expect((await linksIn(lab, 'root')).map((l) => l.ifname)).not.toContain('veth-ns1');

  // One Ctrl+Z, one plan: the namespace, its veth (a port of br0 again) and its address.
  await keyOnCanvas(page, 'Control+z');
  await expect(row(page, 'ns1', 'eth0')).toBeVisible();
  await expect.poll(() => namespaces(lab), KERNEL).toEqual(['ns1', 'ns2', 'ns3']);
  const eth0 = (await linksIn(lab, 'ns1')).find((l) => l.ifname === 'eth0');
  expect(eth0?.addr_info?.filter((a) => a.family === 'inet').map((a) => `${a.local}/${a.prefixlen}`)).toEqual(
    ['10.0.2.1/24'],
  );
  await expect
    .poll(async () => (await linksIn(lab, 'root')).find((l) => l.ifname === 'veth-ns1')?.master, KERNEL)
    .toBe('br0');

  // A namespace without links goes at once (no question): one click, one Ctrl+Z away.
  const lone = await addFromPalette(page, 'namespace', await canvasPoint(page, 0.85, 0.2));
  await inspectNamespace(page, lone);
  await page.keyboard.press('Delete');
  await expect(node(page, lone)).toBeHidden();
  await expect(page.getByRole('dialog')).toHaveCount(0);
});

test('the same address on two interfaces behind one bridge is warned about, not refused', async ({
  page,
  lab,
}) => {
  await openEditor(page, lab);
  await openExample(page, 'bridge');
  const inspector = await inspectInterface(page, 'ns2', 'eth0');
  await inspector.getByRole('textbox', { name: 'addresses of eth0' }).fill('10.0.2.1/24');
  await inspector.getByRole('button', { name: 'apply eth0' }).click();
  await expect(row(page, 'ns2', 'eth0').getByTestId('addresses')).toHaveText('10.0.2.1/24');
  const warning =
    '10.0.2.1 is on both ns1:eth0 and ns2:eth0 (behind bridge br0): they will not reach each other reliably';
  await expect(inspector.getByRole('alert', { name: 'duplicate address' })).toHaveText(`⚠ ${warning}`);
  // On the links too, both of them.
  for (const ns of ['ns1', 'ns2']) {
    const label = page
      .getByRole('group', { name: new RegExp(`^veth br0:veth-${ns} to ${ns}:eth0,`) })
      .locator('.veth-label');
    await expect(label).toHaveAttribute('data-warning', 'duplicate address');
    await expect(label).toContainText('⚠ 10.0.2.1 twice behind br0');
  }
  // The kernel took it: a warning, not a refusal.
  const eth0 = (await linksIn(lab, 'ns2')).find((l) => l.ifname === 'eth0');
  expect(eth0?.addr_info?.map((a) => a.local)).toContain('10.0.2.1');
  // Undo puts the old address back, and the warning goes.
  await keyOnCanvas(page, 'Control+z');
  await expect(row(page, 'ns2', 'eth0').getByTestId('addresses')).toHaveText('10.0.2.2/24');
  await expect(inspector.getByRole('alert', { name: 'duplicate address' })).toBeHidden();
  await expect(page.locator('.veth-label[data-warning]')).toHaveCount(0);
});
