import { clickEmptyCanvas, explainedByNotices, inspectorOf, node } from '../support/canvas';
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
  await clickEmptyCanvas(page);
  await expect(page.getByRole('complementary', { name: 'inspector' })).toContainText('1 namespace ·');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'export topology' }).click();
  const file = await (await download).path();
  const { readFile } = await import('node:fs/promises');
  const exported = JSON.parse(await readFile(file, 'utf8')) as { namespaces: { name: string }[] };
  expect(exported.namespaces.map((n) => n.name)).toEqual(['handmade']);
});

test('a rule made by hand is adopted in place with its namespace, another is removed, and the log shows both commands', async ({
  page,
  lab,
}) => {
  await openEditor(page, lab);
  await lab.exec('root', ['ip', 'netns', 'add', 'fw']);
  await lab.exec('fw', ['iptables', '-A', 'INPUT', '-p', 'icmp', '-j', 'ACCEPT']);
  await lab.exec('fw', ['iptables', '-A', 'INPUT', '-p', 'tcp', '--dport', '22', '-j', 'DROP']);

  const card = node(page, 'fw');
  await card.getByText('fw', { exact: true }).click();
  const inspector = inspectorOf(page);
  const icmp = inspector.getByRole('button', { name: 'adopt rule -A INPUT -p icmp -j ACCEPT in fw' });
  // The button says what it takes along: the namespace the rule lives in.
  await expect(icmp).toHaveText('adopt namespace fw and this rule', { timeout: 15_000 });
  await icmp.click();

  await expect(card).toHaveAttribute('aria-label', 'namespace fw');
  await expect(
    inspector.getByRole('list', { name: 'rules of filter INPUT in fw', exact: true }),
  ).toContainText('iptables -A INPUT -p icmp -j ACCEPT');
  const log = page.getByRole('region', { name: 'command log' });
  await expect(log).toContainText(
    'ip netns exec fw iptables -R INPUT 1 -c 0 0 -p icmp -m comment --comment netcanvas -j ACCEPT',
  );

  const ssh = '-A INPUT -p tcp -m tcp --dport 22 -j DROP';
  await inspector.getByRole('button', { name: `remove rule ${ssh} in fw` }).click();
  await expect(log).toContainText('ip netns exec fw iptables -D INPUT -p tcp -m tcp --dport 22 -j DROP');
  await expect(inspector.getByRole('listitem', { name: `rule made by hand: ${ssh}` })).toHaveCount(0);
  // In the kernel: the adopted rule in its place, carrying the lab's comment; the other gone.
  expect(await lab.exec('fw', ['iptables', '-S', 'INPUT'])).toBe(
    '-P INPUT ACCEPT\n-A INPUT -p icmp -m comment --comment netcanvas -j ACCEPT\n',
  );
  // An empty user chain made by hand (no rule in it yet) is listed too, and adopted as a chain of the lab.
  await lab.exec('fw', ['iptables', '-N', 'LOGDROP']);
  const adoptChain = inspector.getByRole('button', { name: 'adopt chain filter LOGDROP in fw' });
  await expect(adoptChain).toBeVisible({ timeout: 15_000 });
  await expect(inspector.getByRole('group', { name: 'rules made by hand in fw' })).toContainText(
    'An empty user chain made by hand',
  );
  await adoptChain.click();
  await expect(inspector.getByRole('list', { name: 'user chains in fw' })).toContainText('LOGDROP');
  await expect(adoptChain).toHaveCount(0);
});

test('adopt all, from the lab summary: a bridge, a namespace plugged into it, its route and a root rule, in one edit', async ({
  page,
  lab,
}) => {
  await openEditor(page, lab);
  // As typed in a terminal (one shell, so the test does not wait on a process per line).
  await lab.exec('root', [
    'sh',
    '-c',
    [
      'iptables -A FORWARD -i br0 -o br0 -j ACCEPT',
      'ip link add br0 type bridge',
      'ip link set br0 up',
      'ip addr add 10.0.2.1/24 dev br0',
      'ip netns add h0',
      'ip link add eth0 type veth peer name eth0 netns h0',
      'ip link set eth0 master br0',
      'ip link set eth0 up',
      'ip -n h0 link set eth0 up',
      'ip -n h0 addr add 10.0.2.10/24 dev eth0',
      'ip -n h0 route add default via 10.0.2.1',
    ].join(' && '),
  ]);

  // The bridge made by hand is a node of its own, its port on it, offered for adoption like the
  // namespace made by hand (a veth's own button, saying what it takes along, is for a veth whose
  // root end is on no bridge: adopt-offer unit tests).
  await expect(node(page, 'br0')).toHaveAttribute('aria-label', 'bridge made by hand br0');
  await expect(page.getByRole('button', { name: 'adopt bridge br0' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'adopt namespace h0' })).toBeVisible();

  await clickEmptyCanvas(page);
  const handMade = inspectorOf(page).getByRole('group', { name: 'made by hand' });
  // The root's iptables has no event: it is read again within ten seconds.
  await expect(handMade).toContainText('1 namespace · 1 bridge · 1 veth pair · 1 route · 1 rule', {
    timeout: 20_000,
  });
  await handMade.getByRole('button', { name: 'adopt everything made by hand' }).click();

  await explainedByNotices(page, () =>
    expect(node(page, 'h0')).toHaveAttribute('aria-label', 'namespace h0'),
  );
  await expect(inspectorOf(page)).toContainText('1 namespace · 1 bridge · 1 veth pair');
  await expect(handMade).toHaveCount(0);
  const log = page.getByRole('region', { name: 'command log' });
  await expect(log).toContainText('ip -n h0 route replace default via 10.0.2.1 dev eth0 proto 203');
  await expect(log).toContainText(
    'iptables -R FORWARD 1 -c 0 0 -i br0 -o br0 -m comment --comment netcanvas -j ACCEPT',
  );
  expect(await lab.exec('h0', ['ip', 'route', 'show', 'default'])).toContain('proto 203');
  expect(await lab.exec('root', ['ip', '-d', 'link', 'show', 'br0'])).toContain('group 28259');
});
