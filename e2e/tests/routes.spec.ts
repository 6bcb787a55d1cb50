import { inspectNamespace, pingFromInspector } from '../support/canvas';
import { openExample } from '../support/examples';
import { expect, openEditor, test } from '../support/fixtures';
import { recordSent } from '../support/sent';

test('a route’s gateway is edited in place from the routing section: one replace in the log, never a delete, and traffic follows', async ({
  page,
  lab,
}) => {
  const sent = recordSent(page);
  await openEditor(page, lab);
  await openExample(page, 'router with NAT');
  const inspector = await inspectNamespace(page, 'h1');
  expect(await pingFromInspector(page, '10.2.0.100', 2)).toContain('replies from 10.2.0.100');

  // The route's edit opens the same form as "add", filled in with it.
  const routes = inspector.getByRole('list', { name: 'routes of h1', exact: true });
  await expect(routes).toContainText('default via 10.1.0.1');
  await inspector.getByRole('button', { name: 'edit route default via 10.1.0.1 in h1' }).click();
  const form = inspector.getByRole('form', { name: 'change route default via 10.1.0.1 in h1' });
  await expect(form.getByLabel('route destination')).toHaveValue('default');
  await expect(form.getByLabel('route gateway')).toHaveValue('10.1.0.1');
  await expect(inspector.getByRole('form', { name: 'add a route in h1' })).toHaveCount(0);

  // Nonsense is refused by the model, by field, and nothing is sent.
  const editsBefore = sent.filter((m) => m.type === 'edit').length;
  await form.getByLabel('route gateway').fill('0.0.0.0');
  await form.getByRole('button', { name: 'save route in h1' }).click();
  await expect(form).toContainText('0.0.0.0 is a unspecified address, not a gateway');
  await expect(form.getByLabel('route gateway')).toHaveAttribute('aria-invalid', 'true');
  await page.waitForTimeout(300);
  expect(sent.filter((m) => m.type === 'edit').length).toBe(editsBefore);

  // h2 (10.1.0.12) does not forward: through it, h1 reaches nothing beyond its subnet.
  await form.getByLabel('route gateway').fill('10.1.0.12');
  await form.getByRole('button', { name: 'save route in h1' }).click();
  await expect(form).toBeHidden();
  await expect(routes).toContainText('default via 10.1.0.12');
  await expect(routes.getByRole('listitem')).toHaveCount(1);

  // One edit: the namespace's routes with this one changed at its index.
  const edit = sent.filter((m) => m.type === 'edit').at(-1);
  expect(edit?.edits).toEqual([
    { type: 'setNamespace', name: 'h1', routes: [{ to: 'default', via: '10.1.0.12' }] },
  ]);

  // The kernel has the route changed, as the lab's (asked through the command line, not the page).
  await expect
    .poll(() => lab.exec('h1', ['ip', 'route', 'show', 'default']), { timeout: 30_000 })
    .toContain('default via 10.1.0.12 dev eth0 proto 203');
  // The log shows one replace, with what changed; no delete of the route ran.
  const log = page.getByRole('log', { name: 'commands' });
  const replace = log
    .getByRole('listitem')
    .filter({ hasText: 'ip -n h1 route replace default via 10.1.0.12 proto 203' });
  await expect(replace).toContainText('change route default via 10.1.0.1 dev eth0 → via 10.1.0.12');
  await expect(replace.getByLabel('exit code 0')).toBeVisible();
  await expect(log).not.toContainText('route del');
  expect(await pingFromInspector(page, '10.2.0.100', 1)).toContain('no reply from 10.2.0.100');

  // Back through r1, the same way; traffic follows.
  await inspector.getByRole('button', { name: 'edit route default via 10.1.0.12 in h1' }).click();
  await inspector.getByLabel('route gateway').fill('10.1.0.1');
  await inspector.getByRole('button', { name: 'save route in h1' }).click();
  await expect(routes).toContainText('default via 10.1.0.1');
  await expect(routes).toContainText('✓ in kernel');
  expect(await pingFromInspector(page, '10.2.0.100', 2)).toContain('replies from 10.2.0.100');
  await expect(log).not.toContainText('route del');
});

test('a blackhole route is made from the form: no gateway asked, shown with its type, and the kernel has it as the lab’s', async ({
  page,
  lab,
}) => {
  await openEditor(page, lab);
  await openExample(page, 'router with NAT');
  const inspector = await inspectNamespace(page, 'h1');
  const form = inspector.getByRole('form', { name: 'add a route in h1' });
  await form.getByLabel('route type').selectOption('blackhole');
  // A blackhole sends nowhere: the form asks for no gateway and no device.
  await expect(form.getByLabel('route gateway')).toHaveCount(0);
  await expect(form.getByLabel('route device')).toHaveCount(0);
  await form.getByLabel('route destination').fill('10.99.0.0/16');
  await form.getByRole('button', { name: 'add route in h1' }).click();
  const routes = inspector.getByRole('list', { name: 'routes of h1', exact: true });
  await expect(routes).toContainText('blackhole 10.99.0.0/16');
  await expect
    .poll(() => lab.exec('h1', ['ip', 'route', 'show', '10.99.0.0/16']), { timeout: 30_000 })
    .toContain('blackhole 10.99.0.0/16 proto 203');
  const log = page.getByRole('log', { name: 'commands' });
  await expect(log).toContainText('ip -n h1 route add blackhole 10.99.0.0/16 proto 203');
});

test('routes typed by hand are adopted from the namespace’s kernel routes, each made again as the lab’s', async ({
  page,
  lab,
}) => {
  // Only "Adopt all" (everything in the lab made by hand) took them before (found trying the product).
  await openEditor(page, lab);
  await openExample(page, 'router with NAT');
  await lab.exec('h1', ['ip', 'route', 'add', 'blackhole', '10.98.0.0/16']);
  await lab.exec('h1', ['ip', 'route', 'add', '10.97.0.0/16', 'via', '10.1.0.1']);
  const inspector = await inspectNamespace(page, 'h1');
  await inspector.getByRole('button', { name: 'adopt the routes made by hand in h1' }).click();
  const routes = inspector.getByRole('list', { name: 'routes of h1', exact: true });
  await expect(routes).toContainText('blackhole 10.98.0.0/16');
  await expect(routes).toContainText('10.97.0.0/16 via 10.1.0.1');
  await expect
    .poll(() => lab.exec('h1', ['ip', 'route', 'show', 'proto', '203']), { timeout: 30_000 })
    .toContain('blackhole 10.98.0.0/16');
  await expect(inspector.getByRole('button', { name: 'adopt the routes made by hand in h1' })).toHaveCount(0);
});
