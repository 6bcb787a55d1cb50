import type { Page } from '@playwright/test';
import type { RunningLab } from '../support/agent';
import { inspectInterface, node, row } from '../support/canvas';
import { openExample } from '../support/examples';
import { expect, openEditor, test } from '../support/fixtures';

/** Drift repaired in one click (issue 11 §6): every check of the kernel asks it, not the page. */

interface IpLink {
  ifname: string;
  flags: string[];
  addr_info?: { family: string; local: string; prefixlen: number }[];
}

const veth1 = async (lab: RunningLab): Promise<IpLink> =>
  (JSON.parse(await lab.exec('ns1', ['ip', '-j', 'addr', 'show', 'dev', 'veth1'])) as IpLink[])[0]!;
const ipv4Of = (link: IpLink) =>
  (link.addr_info ?? []).filter((a) => a.family === 'inet').map((a) => `${a.local}/${a.prefixlen}`);

/** The veth pair example, open and up. */
async function openVethPair(page: Page, lab: RunningLab): Promise<void> {
  await openEditor(page, lab);
  await openExample(page, 'veth pair');
  await expect(row(page, 'ns1', 'veth1')).toHaveAttribute('data-state', 'up');
}

// Each look at the kernel is a `netcanvas exec`: seconds on a loaded machine.
const KERNEL = { timeout: 30_000 };
test.describe.configure({ timeout: 240_000 });

test('a link set down by hand: the inspector says so, and "Make the kernel match" brings it up', async ({
  page,
  lab,
}) => {
  await openVethPair(page, lab);

  await lab.exec('ns1', ['ip', 'link', 'set', 'veth1', 'down']);
  await expect(row(page, 'ns1', 'veth1')).toHaveAttribute('data-drift', 'yes');
  const inspector = await inspectInterface(page, 'ns1', 'veth1');
  const drift = inspector.getByRole('list', { name: 'drift' });
  await expect(drift).toContainText('The kernel has veth1 down; the topology wants it up.');

  await drift.getByRole('button', { name: 'Make the kernel match: veth1 state' }).click();
  await expect.poll(async () => (await veth1(lab)).flags.includes('UP'), KERNEL).toBe(true);
  await expect(row(page, 'ns1', 'veth1')).toHaveAttribute('data-drift', 'no');
  await expect(inspector.getByRole('list', { name: 'drift' })).toHaveCount(0);
  // Its command is in the log, like any edit's.
  await expect(page.getByRole('region', { name: 'command log' })).toContainText(
    'ip -n ns1 link set dev veth1 up',
  );
});

test('an address changed by hand: "Take the kernel’s value" puts it in the topology, and undo puts the old one back', async ({
  page,
  lab,
}) => {
  await openVethPair(page, lab);

  // (Deleted first: deleting a subnet's primary address deletes its secondaries too.)
  await lab.exec('ns1', ['ip', 'addr', 'del', '10.0.1.2/24', 'dev', 'veth1']);
  await lab.exec('ns1', ['ip', 'addr', 'add', '10.0.1.9/24', 'dev', 'veth1']);
  const inspector = await inspectInterface(page, 'ns1', 'veth1');
  const drift = inspector.getByRole('list', { name: 'drift' });
  await expect(drift).toContainText('The kernel has veth1 with 10.0.1.9/24; the topology wants 10.0.1.2/24.');

  await drift.getByRole('button', { name: 'Take the kernel’s value: veth1 addresses' }).click();
  // The topology now has the kernel's address: its form says so, and there is no drift.
  await expect(inspector.getByRole('textbox', { name: 'addresses of veth1' })).toHaveValue('10.0.1.9/24');
  await expect(row(page, 'ns1', 'veth1')).toHaveAttribute('data-drift', 'no');
  await expect(inspector.getByRole('list', { name: 'drift' })).toHaveCount(0);
  // The kernel was not touched.
  expect(ipv4Of(await veth1(lab))).toEqual(['10.0.1.9/24']);

  // Undo is an edit: the topology's old address, and the kernel converged to it.
  const undo = page.getByRole('button', { name: 'undo', exact: true });
  await expect(undo).toHaveAttribute('title', /veth1/);
  await undo.click();
  await expect(inspector.getByRole('textbox', { name: 'addresses of veth1' })).toHaveValue('10.0.1.2/24');
  await expect.poll(async () => ipv4Of(await veth1(lab)), KERNEL).toEqual(['10.0.1.2/24']);
  await expect(row(page, 'ns1', 'veth1')).toHaveAttribute('data-drift', 'no');
});

test('a namespace deleted by hand: "Make the kernel match" makes it again, with its veth', async ({
  page,
  lab,
}) => {
  await openVethPair(page, lab);

  await lab.exec('root', ['ip', 'netns', 'del', 'ns1']);
  await page.locator('.react-flow__node[data-id="ns1"]').getByText('ns1', { exact: true }).click();
  const inspector = page.getByRole('complementary', { name: 'inspector' });
  const drift = inspector.getByRole('list', { name: 'drift' });
  await expect(drift).toContainText('The kernel has no namespace ns1; the topology wants it, with 1 veth.');
  // Its kernel side says it is gone (not "not read yet"), and nothing is offered to run in it.
  await expect(inspector.getByLabel('forwarding in the kernel of ns1')).toHaveText(
    'kernel: no such namespace',
  );
  await expect(inspector.getByText('The kernel has no namespace ns1, so no routes.')).toBeVisible();
  await expect(inspector.getByLabel('ns1 is not in the kernel')).toBeVisible();
  await expect(inspector.getByRole('button', { name: 'ping from ns1' })).toHaveCount(0);
  await expect(inspector.getByRole('button', { name: 'trace the packet path from ns1' })).toHaveCount(0);
  await drift.getByRole('button', { name: 'Make the kernel match: namespace ns1' }).click();
  await expect.poll(async () => (await veth1(lab)).flags.includes('UP'), KERNEL).toBe(true);
  expect(ipv4Of(await veth1(lab))).toEqual(['10.0.1.2/24']);
  await expect(row(page, 'ns1', 'veth1')).toHaveAttribute('data-drift', 'no');
  await expect(inspector.getByRole('list', { name: 'drift' })).toHaveCount(0);
  // Back in the kernel: its tools are back.
  await expect(inspector.getByRole('button', { name: 'ping from ns1' })).toBeVisible();
  await expect(inspector.getByLabel('forwarding in the kernel of ns1')).toHaveText(/kernel: (on|off)/);
});

test('a bridge made by hand in the lab’s root is a bridge node marked made by hand, its ports on it, with adopt', async ({
  page,
  lab,
}) => {
  await openEditor(page, lab);
  await lab.exec('root', ['ip', 'link', 'add', 'brX', 'type', 'bridge']);

  const brX = node(page, 'brX');
  await expect(brX).toBeVisible();
  await expect(brX).toHaveAttribute('aria-label', 'bridge made by hand brX');
  await expect(brX).toContainText('by hand');
  // A port made by hand sits on it (not a row of the root's card).
  await lab.exec('root', ['ip', 'link', 'add', 'vethX', 'type', 'veth', 'peer', 'name', 'vethY']);
  await lab.exec('root', ['ip', 'link', 'set', 'vethX', 'master', 'brX']);
  await expect(brX.getByRole('button', { name: 'port vethX of brX' })).toBeVisible();
  await expect(row(page, 'root', 'vethX')).toHaveCount(0);

  await brX.getByRole('button', { name: 'adopt bridge brX' }).click();
  await expect(brX).toHaveAttribute('aria-label', 'bridge brX');
  await expect(brX).not.toContainText('by hand');
});
