import { inspectorOf, node } from '../support/canvas';
import { openExample } from '../support/examples';
import { expect, openEditor, test } from '../support/fixtures';
import { recordSent } from '../support/sent';

// A packet's path (issue 12 §4) on router-nat: h1 → srv through br-in, r1 (FORWARD, then
// POSTROUTING's MASQUERADE) and br-out, delivered; with a DROP rule on ICMP in r1's FORWARD, the
// path ends at that rule. One lab for the whole story.

test('the packet path from h1 to srv passes FORWARD and MASQUERADE and is delivered; a DROP on ICMP in r1 ends it there', async ({
  page,
  lab,
}) => {
  const sent = recordSent(page);
  await openEditor(page, lab);
  await openExample(page, 'router with NAT');
  await node(page, 'h1').getByText('h1', { exact: true }).click();
  const tool = inspectorOf(page).getByRole('region', { name: 'packet path tool' });
  await expect(tool).toBeVisible();

  // Bad input is said by field, and nothing is sent.
  const destination = tool.getByLabel('Destination');
  await destination.fill('10.2.0.300');
  await tool.getByRole('button', { name: 'trace the packet path from h1' }).click();
  await expect(tool.locator('[data-field-error="Destination"]')).toContainText('not an IP address');
  expect(sent.filter((m) => m.type === 'path')).toHaveLength(0);

  await destination.fill('10.2.0.100');
  await tool.getByRole('button', { name: 'trace the packet path from h1' }).click();
  const panel = page.getByRole('region', { name: 'packet path' });
  await expect(panel.getByRole('status', { name: 'packet path verdict' })).toHaveText('✓ delivered to srv', {
    timeout: 20_000,
  });
  const r1 = panel.getByRole('listitem', { name: 'hop 2: r1' });
  await expect(r1).toContainText('FORWARD: passed (no rules here)');
  await expect(r1).toContainText('POSTROUTING: nat POSTROUTING rule 1:');
  await expect(r1).toContainText('-j MASQUERADE (1 packet)');
  await expect(panel.getByRole('listitem', { name: 'hop 1: h1' })).toContainText(
    'bridge br-in: in h1-p, out r1-in',
  );
  // On the canvas: the five steps numbered in order, the end marked, the four veths crossed.
  for (const [id, n] of [
    ['h1', '1'],
    ['br-in', '2'],
    ['r1', '3'],
    ['br-out', '4'],
  ] as const)
    await expect(node(page, id).getByRole('img', { name: `packet path step ${n}` })).toBeVisible();
  await expect(
    node(page, 'srv').getByRole('img', { name: 'packet path step 5, delivered here' }),
  ).toBeVisible();
  await expect(page.locator('[data-path-edge]')).toHaveCount(4);
  await expect(node(page, 'h2').getByRole('img', { name: /packet path step/ })).toHaveCount(0);
  // Every command it ran is in the command log, as typed in the lab.
  await expect(page.getByRole('region', { name: 'command log' })).toContainText(
    'ip netns exec r1 ip -j route get 10.2.0.100 from 10.1.0.11 iif eth0',
  );

  // A DROP rule on ICMP in r1's FORWARD chain (made by hand, as a student would): the path ends at it.
  await lab.exec('r1', ['iptables', '-A', 'FORWARD', '-p', 'icmp', '-j', 'DROP']);
  await tool.getByRole('button', { name: 'trace the packet path from h1' }).click();
  await expect(panel.getByRole('status', { name: 'packet path verdict' })).toHaveText(
    '✗ dropped here (r1), by filter FORWARD rule 1: -A FORWARD -p icmp -j DROP',
    { timeout: 20_000 },
  );
  await expect(
    node(page, 'r1').getByRole('img', { name: 'packet path step 3, the path stops here' }),
  ).toBeVisible();
  await expect(node(page, 'srv').getByRole('img', { name: /packet path step/ })).toHaveCount(0);
  await expect(tool.getByRole('status', { name: 'packet path end' })).toContainText('dropped here (r1)');
  // Another destination in the field: the answer beside it says which destination it was for.
  await expect(tool.getByRole('status', { name: 'packet path end' })).not.toContainText('to 10.2.0.100:');
  await tool.getByLabel('Destination').fill('10.1.0.1');
  await expect(tool.getByRole('status', { name: 'packet path end' })).toContainText(
    'to 10.2.0.100: dropped here (r1)',
  );

  // The rule removed by hand: the verdict is of a lab that is gone, and both places say so.
  await lab.exec('r1', ['iptables', '-D', 'FORWARD', '1']);
  const outOfDate = panel.getByRole('alert', { name: 'packet path out of date' });
  await expect(outOfDate).toHaveText('Out of date: r1 changed since this trace; trace again.', {
    timeout: 20_000,
  });
  await expect(tool.getByRole('status', { name: 'packet path end' })).toContainText('Out of date');
  await tool.getByLabel('Destination').fill('10.2.0.100');
  await tool.getByRole('button', { name: 'trace the packet path from h1' }).click();
  await expect(panel.getByRole('status', { name: 'packet path verdict' })).toHaveText('✓ delivered to srv', {
    timeout: 20_000,
  });
  await expect(outOfDate).toHaveCount(0);
});
