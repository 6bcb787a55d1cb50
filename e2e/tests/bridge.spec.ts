import {
  addFromPalette,
  canvasPoint,
  inspectInterface,
  node,
  pingFromInspector,
  port,
  row,
  startVeth,
} from '../support/canvas';
import { openExample } from '../support/examples';
import type { Page } from '@playwright/test';
import type { RunningLab } from '../support/agent';
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

const inspector = (page: Page) => page.getByRole('complementary', { name: 'inspector' });

/** The bridge example, br0 selected: its inspector. */
async function inspectExampleBridge(page: Page, lab: RunningLab) {
  await openEditor(page, lab);
  await openExample(page, 'bridge');
  await node(page, 'br0').getByText('br0', { exact: true }).click();
  return inspector(page);
}

const macOf = async (lab: RunningLab, ns: string, ifname: string) =>
  (JSON.parse(await lab.exec(ns, ['ip', '-j', 'link', 'show', ifname])) as { address: string }[])[0]!.address;

test('a port’s STP state, cost and priority set in a terminal show in the bridge’s and the port’s inspector', async ({
  page,
  lab,
}) => {
  const stp = (await inspectExampleBridge(page, lab)).getByRole('region', { name: 'spanning tree' });
  await expect(stp.getByLabel('STP', { exact: true })).toHaveText('off');
  await expect(stp.getByLabel('bridge id', { exact: true })).toHaveText(
    `8000.${await macOf(lab, 'root', 'br0')}`,
  );
  await expect(stp.getByLabel('root', { exact: true })).toHaveText('this bridge');

  // The tutorial's bridge, tuned by hand: a port's cost and priority, then STP on.
  await lab.exec('root', ['bridge', 'link', 'set', 'dev', 'veth-ns1', 'cost', '7', 'priority', '3']);
  await lab.exec('root', ['ip', 'link', 'set', 'br0', 'type', 'bridge', 'stp_state', '1']);
  await expect(stp.getByLabel('STP', { exact: true })).toHaveText('on (the kernel’s)');
  await expect(stp.getByLabel('forward delay', { exact: true })).toHaveText('15 s');
  const ports = stp.getByRole('table', { name: 'STP ports of br0' });
  const ns1Port = ports.getByRole('row').filter({ hasText: 'veth-ns1' });
  // STP on, a port that comes up listens, then learns (15 s each), before it forwards.
  await expect(ns1Port.getByRole('cell').nth(1)).toHaveText('forwarding');
  await lab.exec('root', ['ip', 'link', 'set', 'dev', 'veth-ns1', 'down']);
  await lab.exec('root', ['ip', 'link', 'set', 'dev', 'veth-ns1', 'up']);
  await expect(ns1Port.getByRole('cell').nth(1)).toHaveText(/^(listening|learning)$/);
  await expect(ns1Port.getByRole('cell').nth(2)).toHaveText('7');
  await expect(ns1Port.getByRole('cell').nth(3)).toHaveText('3');
  await expect(ports.getByRole('row').filter({ hasText: 'veth-ns2' }).getByRole('cell').nth(2)).toHaveText(
    '2',
  );

  // The port's own inspector says the same, as `bridge link` does.
  await port(page, 'br0', 'veth-ns1').click();
  await expect(inspector(page).getByLabel('STP state', { exact: true })).toHaveText(
    /^(listening|learning|blocking)$/,
  );
  await expect(inspector(page).getByLabel('port cost', { exact: true })).toHaveText('7');
  await expect(inspector(page).getByLabel('port priority', { exact: true })).toHaveText('3');
  const [kernel] = JSON.parse(
    await lab.exec('root', ['bridge', '-j', 'link', 'show', 'dev', 'veth-ns1']),
  ) as {
    cost: number;
    priority: number;
    state: string;
  }[];
  expect(kernel).toMatchObject({
    cost: 7,
    priority: 3,
    state: expect.stringMatching(/^(listening|learning)$/),
  });
});

// Ages are read against the clock: @timed, run alone (playwright.config.ts).
test(
  'a learned MAC shows its age in seconds, counting up live and back to zero when a frame comes; local ones say so',
  { tag: '@timed' },
  async ({ page, lab }) => {
    const table = (await inspectExampleBridge(page, lab)).getByRole('table', { name: 'MAC table of br0' });
    const ns1Mac = await macOf(lab, 'ns1', 'eth0');
    const ageCell = table.getByRole('row').filter({ hasText: ns1Mac }).getByRole('cell').nth(2);
    const age = async () => Number(/^(\d+) s$/.exec((await ageCell.textContent()) ?? '')?.[1] ?? Number.NaN);

    // IPv6 keeps soliciting routers (with back-off) and each frame refreshes the entry: quiet ns1
    // so that only this test's frames come from its MAC.
    await lab.exec('ns1', ['sysctl', '-q', '-w', 'net.ipv6.conf.eth0.disable_ipv6=1']);
    // ARP too: ns2 learns ns1 from the request and, about 5 s after its reply, checks that entry
    // with a unicast probe that ns1 answers (a frame from ns1's MAC). Permanent neighbours on both
    // sides: no ARP at all.
    const ns2Mac = await macOf(lab, 'ns2', 'eth0');
    await lab.exec('ns1', [
      'ip',
      'neigh',
      'replace',
      '10.0.2.2',
      'lladdr',
      ns2Mac,
      'dev',
      'eth0',
      'nud',
      'permanent',
    ]);
    await lab.exec('ns2', [
      'ip',
      'neigh',
      'replace',
      '10.0.2.1',
      'lladdr',
      ns1Mac,
      'dev',
      'eth0',
      'nud',
      'permanent',
    ]);
    // The example's own frames (IPv6 at link-up) may have taught the bridge ns1's MAC just now: let
    // that entry age past 2 s first, so the ping's refresh below is told apart from it.
    await expect
      .poll(async () => {
        const a = await age();
        return Number.isNaN(a) || a >= 3;
      })
      .toBe(true);
    // A ping from a terminal: the bridge learns ns1's MAC on its port, with an age in seconds.
    await lab.exec('ns1', ['ping', '-c', '1', '-W', '2', '10.0.2.2']);
    await expect(table.getByRole('row').filter({ hasText: ns1Mac })).toContainText('veth-ns1');
    // The entry may have been learned earlier (the example's own frames): wait for the refresh the
    // ping made to reach the page before counting.
    await expect.poll(age, { timeout: 6000 }).toBeLessThanOrEqual(2);
    // Live: with no traffic from ns1, it counts up without anything being clicked.
    const first = await age();
    await expect.poll(age, { timeout: 6000 }).toBeGreaterThanOrEqual(first + 2);
    // What the kernel says agrees (bridge -s fdb: "updated"), give or take the second between reads.
    const fdb = JSON.parse(await lab.exec('root', ['bridge', '-j', '-s', 'fdb', 'show', 'br', 'br0'])) as {
      mac: string;
      updated?: number;
      state: string;
    }[];
    const kernelAge = fdb.find((e) => e.mac === ns1Mac && e.state !== 'permanent')?.updated ?? -99;
    expect(Math.abs((await age()) - kernelAge)).toBeLessThanOrEqual(2);

    // A frame from ns1 refreshes the entry: the age drops back.
    const before = await age();
    await lab.exec('ns1', ['ping', '-c', '1', '-W', '2', '10.0.2.2']);
    await expect.poll(age, { timeout: 5000 }).toBeLessThan(before);

    // The port's own MAC is the bridge's local entry: it never ages.
    const portMac = await macOf(lab, 'root', 'veth-ns1');
    await expect(table.getByRole('row').filter({ hasText: portMac }).getByRole('cell').nth(2)).toHaveText(
      'local',
    );
  },
);

/** Whether a click at the centre of `target` would reach it, and its text is not cut. */
const wholeAndHittable = (target: import('@playwright/test').Locator): Promise<boolean> =>
  target.evaluate((el) => {
    const box = el.getBoundingClientRect();
    const hit = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
    return box.width > 0 && hit !== null && el.contains(hit) && el.scrollWidth <= el.clientWidth + 1;
  });

test('a bridge made by hand that took the lab’s port: its card and inspector list the port, the veth shows drift, its header is one line', async ({
  page,
  lab,
}) => {
  await inspectExampleBridge(page, lab);
  await lab.exec('root', [
    'sh',
    '-c',
    'ip link add br1 type bridge && ip link set br1 up && ip link set veth-ns2 master br1',
  ]);
  const br1 = node(page, 'br1');
  await expect(br1).toHaveAttribute('aria-label', 'bridge made by hand br1');
  await expect(br1.getByRole('button', { name: 'port veth-ns2 of br1' })).toBeVisible();
  await expect(br1).not.toContainText('no ports');
  // The lab's veth ns2:eth0 ⇄ br0:veth-ns2 is not what the document says: drift, dashed amber
  // (drawn to where the kernel has its end, br1's port).
  const veth = page.locator('g[data-edge-state][data-source="ns2"], g[data-edge-state][data-target="ns2"]');
  await expect(veth).toHaveAttribute('data-edge-state', 'drift');
  // The header on one line, the adopt button whole.
  const adopt = br1.getByRole('button', { name: 'adopt bridge br1' });
  await expect.poll(() => wholeAndHittable(adopt)).toBe(true);
  await expect.poll(() => wholeAndHittable(br1.getByText('by hand', { exact: true }))).toBe(true);

  // Its inspector: the port, the MACs as the kernel has them, nothing said twice and contrary.
  await br1.getByText('br1', { exact: true }).click();
  const ports = inspector(page).getByRole('region', { name: 'ports' });
  await expect(ports).toContainText('Ports (1)');
  await expect(ports).toContainText('veth-ns2');
  await expect(ports).not.toContainText('No ports yet');
  const macs = inspector(page).getByRole('region', { name: 'learned MAC addresses' });
  await expect(macs.getByRole('table', { name: 'MAC table of br1' })).toContainText('veth-ns2');
  await expect(macs).not.toContainText('Nothing learned yet');
});
