import type { Browser, Page } from '@playwright/test';
import { Lab } from '@netcanvas/kernel';
import { addFromPalette, canvasPoint, node } from '../support/canvas';
import { startClass, type RunningClass } from '../support/class';
import { expect, test } from '../support/fixtures';
import { repoRoot } from '../support/paths';

/**
 * `netcanvas serve --class 5` (issue 13 §4): five students' labs from one topology, two students
 * working in their own browsers, the trainer's overview and links page following them live, and
 * every lab gone when the class stops. One class for the whole spec: making it is the slow part.
 */
test.describe.configure({ mode: 'serial' });

let klass: RunningClass;
test.beforeAll(async () => {
  test.setTimeout(120_000);
  klass = await startClass('class', 5, ['--class-topology', `${repoRoot}/examples/veth-pair.json`]);
});
test.afterAll(async () => klass?.stop());

/** A student's page, in a browser context of its own (a student's own browser). */
async function studentPage(browser: Browser, link: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(link);
  await expect(page.getByRole('status', { name: 'connection: live' })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByLabel('role: editor')).toBeVisible();
  return page;
}

const card = (page: Page, id: string) => page.getByRole('article', { name: `student ${id}` });
const miniNode = (page: Page, id: string, name: string) => card(page, id).locator(`[data-node="${name}"]`);

/** The namespaces a student's lab has in the kernel now (read without the agent). */
async function kernelNamespaces(id: string): Promise<string[]> {
  return (await observeStudent(id)).namespaces.map((ns) => ns.name).sort();
}

/** The interfaces in a student's lab's root, as the kernel has them. */
async function rootInterfaces(id: string): Promise<string[]> {
  const root = (await observeStudent(id)).namespaces.find((ns) => ns.name === 'root');
  return root?.interfaces.map((i) => i.ifname) ?? [];
}

async function observeStudent(id: string) {
  const lab = await Lab.open({ lab: `${klass.name}-${id}` }, { create: false });
  try {
    return await lab.observe({ firewall: false });
  } finally {
    await lab.close();
  }
}

/** The trainer's Reset on a student's card, back to `to` (an option of its dialog). */
async function resetStudent(page: Page, id: string, to: string): Promise<void> {
  await card(page, id)
    .getByRole('button', { name: `Reset ${id}`, exact: true })
    .click();
  const asking = page.getByRole('dialog', { name: `Reset ${id}'s lab?` });
  await asking.getByLabel('Back to').selectOption({ label: to });
  await asking.getByRole('button', { name: 'Reset', exact: true }).click();
}

test('two students work apart; the trainer sees each lab live, looks in, takes over and resets one (to the start, to its checkpoint)', async ({
  browser,
  page,
}) => {
  test.setTimeout(180_000);
  await page.goto(klass.overviewUrl);
  await expect(page).toHaveURL(/\/class$/);
  await expect(page.getByText('5 of 5 labs ready')).toBeVisible();
  for (const id of ['s01', 's02', 's03', 's04', 's05'])
    await expect(miniNode(page, id, 'ns0')).toHaveAttribute('data-state', 'ok');

  // Two students, each in a browser of their own, do different things.
  const alice = await studentPage(browser, klass.students[0]!);
  const bob = await studentPage(browser, klass.students[1]!);
  await expect(node(alice, 'ns0')).toBeVisible();
  await addFromPalette(alice, 'namespace', await canvasPoint(alice, 0.7, 0.7), 'alpha');
  await addFromPalette(bob, 'bridge', await canvasPoint(bob, 0.7, 0.2), 'br9');

  // The overview follows each, and only where it happened.
  await expect(miniNode(page, 's01', 'alpha')).toBeVisible();
  await expect(miniNode(page, 's02', 'br9')).toBeVisible();
  await expect(miniNode(page, 's01', 'br9')).toHaveCount(0);
  await expect(miniNode(page, 's02', 'alpha')).toHaveCount(0);
  for (const id of ['s03', 's04', 's05'])
    await expect(card(page, id)).toContainText('2 namespaces · 1 links');
  await expect(card(page, 's01')).toContainText('1 connected');

  // Look in: bob's lab, read-only.
  const [look] = await Promise.all([
    page.context().waitForEvent('page'),
    card(page, 's02').getByRole('link', { name: 'Look in s02', exact: true }).click(),
  ]);
  // A new tab on another agent: its first welcome can take a while on a loaded machine.
  await expect(look.getByLabel('role: viewing')).toBeVisible({ timeout: 30_000 });
  await expect(node(look, 'br9')).toBeVisible();

  // Take over: s03's lab as its editor, in a new tab.
  const [takeOver] = await Promise.all([
    page.context().waitForEvent('page'),
    card(page, 's03').getByRole('button', { name: 'Take over s03', exact: true }).click(),
  ]);
  await expect(takeOver.getByLabel('role: editor')).toBeVisible({ timeout: 30_000 });
  await expect(takeOver.getByText(`${klass.name}-s03`).first()).toBeVisible();

  // alice keeps her lab with alpha as a checkpoint (her page's Checkpoints menu).
  await alice.getByRole('button', { name: 'checkpoints' }).click();
  await alice.getByRole('menuitem', { name: 'save a checkpoint' }).click();
  await alice.getByRole('textbox', { name: 'checkpoint name' }).fill('with-alpha');
  await alice.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(alice.getByText('Saved checkpoint "with-alpha".')).toBeVisible();

  // The trainer resets alice's lab: its kernel is back at the start; bob keeps his work.
  expect(await kernelNamespaces('s01')).toEqual(['alpha', 'ns0', 'ns1', 'root']);
  await resetStudent(page, 's01', "the class's start");
  await expect(card(page, 's01').locator('[data-reset]')).toHaveText('reset to the start', {
    timeout: 30_000,
  });
  await expect(miniNode(page, 's01', 'alpha')).toHaveCount(0);
  expect(await kernelNamespaces('s01')).toEqual(['ns0', 'ns1', 'root']);
  await expect(miniNode(page, 's02', 'br9')).toBeVisible();
  expect(await rootInterfaces('s02')).toContain('br9');
  await expect(node(alice, 'alpha')).toBeHidden();

  // Then back to alice's checkpoint: alpha again, in the kernel and on her page.
  await resetStudent(page, 's01', 'checkpoint with-alpha');
  await expect(card(page, 's01').locator('[data-reset]')).toHaveText('reset to checkpoint "with-alpha"', {
    timeout: 30_000,
  });
  await expect(miniNode(page, 's01', 'alpha')).toBeVisible();
  expect(await kernelNamespaces('s01')).toEqual(['alpha', 'ns0', 'ns1', 'root']);
  await expect(node(alice, 'alpha')).toBeVisible();

  // alice deletes it, after a confirmation: the trainer's Reset no longer offers it.
  await alice.getByRole('button', { name: 'checkpoints' }).click();
  await alice.getByRole('menuitem', { name: 'delete checkpoint with-alpha' }).click();
  await alice
    .getByRole('dialog', { name: 'Delete checkpoint "with-alpha"?' })
    .getByRole('button', { name: 'Delete', exact: true })
    .click();
  await expect(alice.getByText('Deleted checkpoint "with-alpha".')).toBeVisible();
  await card(page, 's01').getByRole('button', { name: 'Reset s01', exact: true }).click();
  const asking = page.getByRole('dialog', { name: "Reset s01's lab?" });
  await expect(asking.getByLabel('Back to').locator('option')).toHaveText(["the class's start"]);
  await asking.getByRole('button', { name: 'Cancel' }).click();
  await alice.context().close();
  await bob.context().close();
});

test('the links page lists every student with a QR code, and issues a new link', async ({ page }) => {
  await page.goto(klass.linksUrl);
  await expect(page).toHaveURL(/\/class\/links$/);
  const items = page.getByRole('region', { name: 'student links' }).getByRole('listitem');
  await expect(items).toHaveCount(5);
  for (let i = 0; i < 5; i++) {
    const qr = items.nth(i).getByRole('img', { name: /QR code of s0\d's link/ });
    await expect(qr).toHaveAttribute('src', /^data:image\/svg\+xml/);
  }
  const s04 = page.locator('[data-student="s04"]');
  const before = await s04.locator('[data-link]').textContent();
  expect(before).toBe(klass.students[3]);
  await s04.getByRole('button', { name: 'New link' }).click();
  await expect(s04.locator('[data-link]')).not.toHaveText(before!);
  await expect(s04.locator('[data-link]')).toHaveText(new RegExp(`^${new URL(before!).origin}/\\?token=`));
});

test("a student's link does not open the trainer's class", async ({ browser }) => {
  const student = await studentPage(browser, klass.students[4]!);
  await student.goto(new URL('/class', klass.students[4]!).href);
  await expect(student.getByRole('alert')).toContainText('this agent runs no class');
  await student.context().close();
});

test('stopping the class destroys every student’s lab', async () => {
  expect(await klass.labs()).toHaveLength(5);
  await klass.stop();
  expect(await klass.labs()).toEqual([]);
});
