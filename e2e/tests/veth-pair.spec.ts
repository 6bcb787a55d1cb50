import {
  addFromPalette,
  canvasPoint,
  drag,
  inspectInterface,
  node,
  pingFromInspector,
  row,
  startVeth,
} from '../support/canvas';
import { openExample } from '../support/examples';
import { expect, openEditor, test } from '../support/fixtures';

interface IpAddr {
  ifname: string;
  operstate: string;
  flags: string[];
  addr_info: { family: string; local: string; prefixlen: number }[];
}

const addressesOf = (links: IpAddr[], ifname: string) =>
  links
    .find((l) => l.ifname === ifname)
    ?.addr_info.filter((a) => a.family === 'inet')
    .map((a) => `${a.local}/${a.prefixlen}`);

test('the tutorial’s veth pair is built by mouse alone, pings across, and the kernel has exactly that', async ({
  page,
  lab,
}) => {
  await openEditor(page, lab);

  // Two namespaces from the palette (ip netns add ns0 / ns1): each starts with lo down.
  await addFromPalette(page, 'namespace', await canvasPoint(page, 0.25, 0.35));
  await addFromPalette(page, 'namespace', await canvasPoint(page, 0.7, 0.35));
  await expect(node(page, 'ns0')).toBeVisible();
  await expect(node(page, 'ns1')).toBeVisible();
  await expect(row(page, 'ns0', 'lo')).toHaveAttribute('data-state', 'down');

  // Bring lo up in both, as the tutorial does first.
  for (const ns of ['ns0', 'ns1']) {
    await inspectInterface(page, ns, 'lo');
    await page.getByRole('button', { name: `bring lo up in ${ns}` }).click();
    await expect(row(page, ns, 'lo')).toHaveAttribute('data-state', 'up');
  }

  // Draw the veth pair; the proposed names are the tutorial's. Made down, like `ip link add`.
  const dialog = await startVeth(page, 'ns0', 'ns1');
  await expect(dialog.getByRole('textbox', { name: 'Interface in ns0' })).toHaveValue('veth0');
  await expect(dialog.getByRole('textbox', { name: 'Interface in ns1' })).toHaveValue('veth1');
  await dialog.getByRole('checkbox', { name: 'Bring both ends up' }).uncheck();
  await dialog.getByRole('button', { name: 'Create veth pair' }).click();
  await expect(row(page, 'ns0', 'veth0')).toHaveAttribute('data-state', 'down');
  await expect(row(page, 'ns1', 'veth1')).toHaveAttribute('data-state', 'down');

  // Addresses, then up, for each end.
  for (const [ns, ifname, cidr] of [
    ['ns0', 'veth0', '10.0.1.1/24'],
    ['ns1', 'veth1', '10.0.1.2/24'],
  ] as const) {
    const inspector = await inspectInterface(page, ns, ifname);
    await inspector.getByRole('textbox', { name: `addresses of ${ifname}` }).fill(cidr);
    await inspector.getByRole('button', { name: `apply ${ifname}` }).click();
    await expect(row(page, ns, ifname).getByTestId('addresses')).toHaveText(cidr);
    await inspector.getByRole('button', { name: `bring ${ifname} up` }).click();
  }
  await expect(row(page, 'ns0', 'veth0')).toHaveAttribute('data-state', 'up');
  await expect(row(page, 'ns1', 'veth1')).toHaveAttribute('data-state', 'up');
  await expect(page.getByRole('group', { name: /veth ns0:veth0 to ns1:veth1, up/ })).toBeVisible();

  // The inspector shows the peer as the kernel reports it (ethtool -S: peer_ifindex).
  const inspector = await inspectInterface(page, 'ns0', 'veth0');
  await expect(inspector.getByLabel('peer', { exact: true })).toHaveText('ns1:veth1');
  await expect(inspector.getByLabel('peer ifindex', { exact: true })).toHaveText(/^\d+ \(ethtool -S\)$/);

  // Ping from the page, its output streamed in.
  expect(await pingFromInspector(page, '10.0.1.2')).toContain('replies from 10.0.1.2');
  await expect(inspector.getByLabel('ping output')).toContainText('bytes from 10.0.1.2');

  // The commands are in the log as they ran.
  await expect(page.getByRole('log', { name: 'commands' })).toContainText('ip netns add ns0');

  // The kernel, asked through the command line (not the page), has exactly that.
  const namespaces = await lab.exec('root', ['ip', 'netns', 'list']);
  expect(
    namespaces
      .split('\n')
      .map((l) => l.split(' ')[0])
      .filter(Boolean)
      .sort(),
  ).toEqual(['ns0', 'ns1']);
  for (const [ns, ifname, cidr] of [
    ['ns0', 'veth0', '10.0.1.1/24'],
    ['ns1', 'veth1', '10.0.1.2/24'],
  ] as const) {
    const links = JSON.parse(await lab.exec(ns, ['ip', '-j', 'addr', 'show'])) as IpAddr[];
    expect(links.map((l) => l.ifname).sort()).toEqual([ifname, 'lo'].sort());
    expect(addressesOf(links, ifname)).toEqual([cidr]);
    expect(links.find((l) => l.ifname === ifname)?.flags).toContain('UP');
    expect(links.find((l) => l.ifname === ifname)?.operstate).toBe('UP');
    expect(links.find((l) => l.ifname === 'lo')?.flags).toContain('UP');
  }
  const kind = JSON.parse(await lab.exec('ns0', ['ip', '-j', '-d', 'link', 'show', 'veth0'])) as {
    linkinfo: { info_kind: string };
  }[];
  expect(kind[0]?.linkinfo.info_kind).toBe('veth');
});

test('a veth pair made in a terminal with both ends in one namespace is drawn as a loop on its card, both names readable', async ({
  page,
  lab,
}) => {
  await openEditor(page, lab);
  // The tutorial, typed in a terminal: a pair in the lab's root, before its ends are moved.
  await lab.exec('root', ['ip', 'link', 'add', 'veth0', 'type', 'veth', 'peer', 'name', 'veth1']);

  const loop = page.getByRole('group', { name: /^veth root:veth[01] to root:veth[01], unmanaged$/ });
  await expect(loop).toBeVisible();
  const label = loop.locator('.veth-label');
  await expect(label).toHaveAttribute('data-loop', 'true');
  await expect(label).toContainText(/veth[01] ⇄ veth[01]/);
  await expect(label).toContainText('veth0');
  await expect(label).toContainText('veth1');
  // The loop leaves the card from one row and comes back into the other, on one side: its label
  // sits beyond the card's edge, between the two rows, never over the card.
  const card = await node(page, 'root').boundingBox();
  const box = await label.boundingBox();
  const rows = await Promise.all(['veth0', 'veth1'].map((n) => row(page, 'lab root', n).boundingBox()));
  if (!card || !box || !rows[0] || !rows[1]) throw new Error('not on screen');
  expect(box.x).toBeGreaterThanOrEqual(card.x + card.width);
  const top = Math.min(rows[0].y, rows[1].y);
  const bottom = Math.max(rows[0].y + rows[0].height, rows[1].y + rows[1].height);
  expect(box.y + box.height / 2).toBeGreaterThan(top);
  expect(box.y + box.height / 2).toBeLessThan(bottom);
  // Both names readable on the card too, next to their adopt buttons.
  for (const name of ['veth0', 'veth1']) {
    const shown = await row(page, 'lab root', name).getByText(name, { exact: true }).boundingBox();
    expect(shown?.width ?? 0).toBeGreaterThan(name.length * 6);
  }

  // The edge inspector works for it: both ends, each a way to its interface.
  await label.click();
  const inspector = page.getByRole('complementary', { name: 'inspector' });
  await expect(inspector.getByText('Veth pair')).toBeVisible();
  await expect(inspector).toContainText(/veth[01] ⇄ veth[01]/);
  await inspector.getByRole('button', { name: 'root:veth1' }).click();
  await expect(inspector.getByLabel('peer', { exact: true })).toHaveText('root:veth0');
  await expect(inspector.getByLabel('link-netnsid', { exact: true })).toHaveText(
    '— (peer in this namespace)',
  );
  const ethtool = await lab.exec('root', ['ethtool', '-S', 'veth1']);
  const peerIfindex = /peer_ifindex: (\d+)/.exec(ethtool)?.[1];
  await expect(inspector.getByLabel('peer ifindex', { exact: true })).toHaveText(
    `${peerIfindex} (ethtool -S)`,
  );

  // Renamed from the terminal: the loop follows the new name.
  await lab.exec('root', ['ip', 'link', 'set', 'veth0', 'name', 'vethfoo']);
  await expect(
    page.getByRole('group', { name: /^veth root:(veth1|vethfoo) to root:(veth1|vethfoo), unmanaged$/ }),
  ).toBeVisible();
});

test('the inspector shows a veth end’s link-netnsid and its peer’s ifindex, as ip link and ethtool -S do', async ({
  page,
  lab,
}) => {
  await openEditor(page, lab);
  await openExample(page, 'veth pair');
  const inspector = await inspectInterface(page, 'ns1', 'veth1');

  // `ip -n ns1 link show veth1`: veth1@if5 ... link-netnsid 0; `ethtool -S veth1`: peer_ifindex: 5.
  const [link] = JSON.parse(await lab.exec('ns1', ['ip', '-j', 'link', 'show', 'veth1'])) as {
    link_index: number;
    link_netnsid: number;
  }[];
  const ethtool = await lab.exec('ns1', ['ethtool', '-S', 'veth1']);
  expect(Number(/peer_ifindex: (\d+)/.exec(ethtool)?.[1])).toBe(link?.link_index);
  await expect(inspector.getByLabel('link-netnsid', { exact: true })).toHaveText(String(link?.link_netnsid));
  await expect(inspector.getByLabel('peer ifindex', { exact: true })).toHaveText(
    `${link?.link_index} (ethtool -S)`,
  );
  await expect(inspector.getByLabel('peer', { exact: true })).toHaveText('ns0:veth0');
});

test('a veth pair with both ends in one namespace is made by dragging a node’s + back onto itself, and drifts like any link', async ({
  page,
  lab,
}) => {
  await openEditor(page, lab);
  await addFromPalette(page, 'namespace', await canvasPoint(page, 0.3, 0.3), 'ns0');
  const knob = await page.getByLabel('connect ns0: drag to another node').boundingBox();
  const card = await node(page, 'ns0').boundingBox();
  if (!knob || !card) throw new Error('not on screen');
  // From the knob (top right) back onto the card's lower left: a loop, not a click.
  await drag(
    page,
    { x: knob.x + knob.width / 2, y: knob.y + knob.height / 2 },
    { x: card.x + 30, y: card.y + card.height - 12 },
  );
  const dialog = page.getByRole('dialog', { name: 'New veth pair in ns0' });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('textbox', { name: 'One end in ns0' }).fill('vethfoo');
  await dialog.getByRole('textbox', { name: 'Other end in ns0' }).fill('vethbar');
  await dialog.getByRole('button', { name: 'Create veth pair' }).click();
  await expect(dialog).toBeHidden();

  const loop = page.getByRole('group', { name: 'veth ns0:vethfoo to ns0:vethbar, up' });
  await expect(loop.locator('.veth-label')).toHaveAttribute('data-loop', 'true');
  await expect(page.getByRole('log', { name: 'commands' })).toContainText(
    'ip -n ns0 link add name vethfoo group 28259 type veth peer name vethbar group 28259',
  );
  const links = JSON.parse(await lab.exec('ns0', ['ip', '-j', 'link', 'show', 'vethfoo'])) as {
    link?: string;
  }[];
  expect(links[0]?.link).toBe('vethbar');

  // One end taken down from a terminal: the loop drifts, with its reason.
  await lab.exec('ns0', ['ip', 'link', 'set', 'vethbar', 'down']);
  await expect(page.getByRole('group', { name: 'veth ns0:vethfoo to ns0:vethbar, drift' })).toContainText(
    'vethbar: down, desired up',
  );
});

test('a veth drawn to a bridge made by hand is refused at the drop, saying to adopt it first', async ({
  page,
  lab,
}) => {
  // The dialog opened, and its create failed: "There is no namespace or bridge named br0" (found
  // trying the product).
  await openEditor(page, lab);
  await addFromPalette(page, 'namespace', await canvasPoint(page, 0.25, 0.35), 'ns1');
  await lab.exec('root', ['sh', '-c', 'ip link add br0 type bridge && ip link set br0 up']);
  await expect(node(page, 'br0')).toHaveAttribute('aria-label', 'bridge made by hand br0');
  const knob = page.getByLabel('connect ns1: drag to another node');
  const target = await node(page, 'br0').locator('div').first().boundingBox();
  if (!target) throw new Error('br0 is not on screen');
  const from = await knob.boundingBox();
  if (!from) throw new Error('no knob');
  await drag(
    page,
    { x: from.x + from.width / 2, y: from.y + from.height / 2 },
    { x: target.x + target.width / 2, y: target.y + Math.min(20, target.height / 2) },
  );
  await expect(page.getByRole('dialog', { name: /New veth pair/ })).toHaveCount(0);
  await expect(page.getByText('"br0" was made by hand, so netcanvas cannot connect it yet')).toBeVisible();
});
