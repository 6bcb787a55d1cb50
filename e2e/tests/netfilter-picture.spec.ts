import type { Locator, Page } from '@playwright/test';
import { inspectNamespace } from '../support/canvas';
import { openExample } from '../support/examples';
import { expect, openEditor, test } from '../support/fixtures';

const KERNEL = { timeout: 30_000 };
const pictureOf = (page: Page, ns: string): Locator =>
  page.getByRole('region', { name: `Netfilter in ${ns}` });

async function openPicture(page: Page, ns: string): Promise<Locator> {
  const inspector = await inspectNamespace(page, ns);
  await inspector.getByRole('button', { name: `show the picture of netfilter in ${ns}` }).click();
  const picture = pictureOf(page, ns);
  await expect(picture).toBeVisible();
  return picture;
}

test('the picture follows the lab: forwarding off is said, a namespace deleted in a terminal is gone in place, one deleted on the canvas closes it', async ({
  page,
  lab,
}) => {
  await openEditor(page, lab);
  await openExample(page, 'router with NAT');

  // r1 forwards; turned off in a terminal, the picture says so and FORWARD says why it stays dark.
  const r1 = await openPicture(page, 'r1');
  await expect(r1.getByText('forwarding on', { exact: true })).toBeVisible();
  await lab.exec('r1', ['sysctl', '-q', '-w', 'net.ipv4.ip_forward=0']);
  await expect(r1.getByText('forwarding off', { exact: true })).toBeVisible(KERNEL);
  await expect(r1.getByRole('region', { name: 'hook FORWARD' })).toContainText('forwarding off: no packet');

  // A dialog above the picture keeps its Escape: it closes, the picture stays. (The inspector beside
  // the picture still shows r1.)
  const inspector = page.getByRole('complementary', { name: 'inspector' });
  await inspector.getByRole('button', { name: 'Delete namespace r1' }).click();
  const ask = page.getByRole('dialog', { name: 'Delete r1?' });
  await expect(ask).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(ask).toBeHidden();
  await expect(r1).toBeVisible();

  // Deleted on the canvas: the picture closes.
  await inspector.getByRole('button', { name: 'Delete namespace r1' }).click();
  await ask.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(r1).toBeHidden();

  // h1 deleted in a terminal: the topology still has it, the picture says it is gone, and offers no ping.
  const h1 = await openPicture(page, 'h1');
  await expect(h1.getByText('forwarding off', { exact: true })).toBeVisible();
  await expect(h1.getByRole('region', { name: 'hook INPUT' })).toBeVisible();
  await lab.exec('root', ['ip', 'netns', 'del', 'h1']);
  await expect(h1.getByRole('status')).toContainText('h1 is gone', KERNEL);
  await expect(h1.getByRole('region', { name: 'hook INPUT' })).toBeHidden();
  await expect(h1.getByRole('button', { name: 'send ping' })).toBeHidden();
});

/** Every counter badge's box lies inside the box of the rule (or chain) it counts for. */
async function badgesOutsideTheirBoxes(picture: Locator): Promise<string[]> {
  return picture.locator('[data-counter]').evaluateAll((badges) =>
    badges.flatMap((badge) => {
      const box = badge.closest('li, [role="group"]');
      if (!box) return ['a badge outside any rule or chain'];
      const b = badge.getBoundingClientRect();
      const o = box.getBoundingClientRect();
      const inside =
        b.left >= o.left - 0.5 &&
        b.right <= o.right + 0.5 &&
        b.top >= o.top - 0.5 &&
        b.bottom <= o.bottom + 0.5;
      return inside
        ? []
        : [
            `"${badge.textContent}" ${b.left}-${b.right} in ${o.left}-${o.right} (${box.getAttribute('aria-label')})`,
          ];
    }),
  );
}

test('counter badges fit their boxes with huge counters at 1440×900 and 1024×700, and Escape closes the picture wherever the focus is in it', async ({
  page,
  lab,
}) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await openEditor(page, lab);
  await openExample(page, 'router with NAT');
  // Rules made by hand with counters no lesson reaches in a day, in the narrow columns too.
  for (const chain of ['INPUT', 'OUTPUT', 'FORWARD', 'PREROUTING', 'POSTROUTING']) {
    const table = chain.endsWith('ROUTING') ? ['-t', 'mangle'] : [];
    await lab.exec('r1', [
      'iptables',
      ...table,
      '-A',
      chain,
      '-c',
      '987654321098',
      '98765432109876',
      '-j',
      'ACCEPT',
    ]);
  }

  const picture = await openPicture(page, 'r1');
  const input = picture.getByRole('group', { name: 'chain filter INPUT' });
  await expect(input.locator('[data-counter]')).toHaveAttribute(
    'title',
    '987,654,321,098 packets, 98,765,432,109,876 bytes',
    KERNEL,
  );
  await expect(input.getByTestId('packets')).toHaveText('988 G');
  expect(await picture.locator('[data-counter]').count()).toBeGreaterThanOrEqual(5);
  expect(await badgesOutsideTheirBoxes(picture)).toEqual([]);
  await page.setViewportSize({ width: 1024, height: 700 });
  await expect.poll(() => badgesOutsideTheirBoxes(picture)).toEqual([]);

  // Escape from the ping's address field.
  await picture.getByLabel('ping to address').focus();
  await page.keyboard.press('Escape');
  await expect(picture).toBeHidden();

  // Escape after a click on a rule's text.
  await openPicture(page, 'r1');
  await input.getByRole('listitem').first().click();
  await page.keyboard.press('Escape');
  await expect(picture).toBeHidden();

  // Escape when the focus fell to the page (the element that had it went away).
  await openPicture(page, 'r1');
  await picture.getByRole('button', { name: 'send ping' }).focus();
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('Escape');
  await expect(picture).toBeHidden();
});

test('hand-made interface rows show their whole names beside the adopt button, and the lab summary counts in words that agree', async ({
  page,
  lab,
}) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await openEditor(page, lab);
  await openExample(page, 'bridge');
  await expect(page.getByText('3 namespaces · 1 bridge · 3 veth pairs')).toBeVisible();
  // The longest names Linux allows (15 characters), made by hand: a veth pair in ns1, a bridge in the root.
  await lab.exec('root', ['ip', 'link', 'add', 'handmade-brdg15', 'type', 'bridge']);
  await lab.exec('ns1', [
    'ip',
    'link',
    'add',
    'handmade-veth15',
    'type',
    'veth',
    'peer',
    'name',
    'handmade-peer15',
  ]);
  for (const [owner, ifname] of [
    ['ns1', 'handmade-veth15'],
    ['ns1', 'handmade-peer15'],
  ] as const) {
    const rowButton = page.getByRole('button', { name: new RegExp(`^interface ${ifname} in ${owner}`) });
    await expect(rowButton).toBeVisible(KERNEL);
    const name = rowButton.getByTestId('ifname');
    await expect(name).toHaveText(ifname);
    // Not cut (no ellipsis), and clear of the adopt button beside it.
    expect(await name.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    const n = (await name.boundingBox())!;
    const adopt = (await page
      .getByRole('button', { name: new RegExp(`^adopt ${ifname} in`) })
      .boundingBox())!;
    expect(n.x + n.width, `${ifname} ends before its adopt button`).toBeLessThanOrEqual(adopt.x);
  }
  // What adopt all would take, counted: one of each, in the singular.
  const hand = page.getByRole('group', { name: 'made by hand', exact: true });
  await expect(hand).toContainText(/1 bridge(?!s)/);
  await expect(hand).toContainText(/1 veth pair(?!s)/);
});

/** What a click at the centre of `target` would hit: true when it is `target` itself (or inside it). */
const hittable = (target: Locator): Promise<boolean> =>
  target.evaluate((el) => {
    const box = el.getBoundingClientRect();
    const hit = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
    return box.width > 0 && hit !== null && el.contains(hit);
  });

test('a card with forwarding, a static route and a firewall rule shows all three badges on its header, the firewall’s one to click', async ({
  page,
  lab,
}) => {
  await openEditor(page, lab);
  await openExample(page, 'firewall drop');
  const inspector = await inspectNamespace(page, 'ns1');
  // The box shows the document: it ticks once the agent has taken the edit.
  const forwarding = inspector.getByRole('checkbox', { name: 'IP forwarding in ns1' });
  await forwarding.click();
  await expect(forwarding).toBeChecked();
  const form = inspector.getByRole('form', { name: 'add a route in ns1' });
  await form.getByLabel('route type').selectOption('blackhole');
  await form.getByLabel('route destination').fill('10.99.0.0/16');
  await form.getByRole('button', { name: 'add route in ns1' }).click();
  const card = page.locator('.react-flow__node[data-id="ns1"]');
  const route = card.getByLabel('1 static route in ns1');
  await expect(route).toBeVisible();
  // Wrapped onto the header's clipped second line, the firewall badge was there but not to be seen.
  const badges = [card.getByLabel('forwarding on in ns1'), route, card.getByLabel('firewall of ns1: 1 rule')];
  for (const badge of badges) await expect.poll(() => hittable(badge)).toBe(true);
  await badges[2]?.click();
  await expect(pictureOf(page, 'ns1')).toBeVisible();
});
