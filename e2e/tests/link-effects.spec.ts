import { inspectInterface, pingFromInspector, row } from '../support/canvas';
import { openExample } from '../support/examples';
import { expect, openEditor, test } from '../support/fixtures';

/** The RTTs the ping tool printed ("time=100 ms"), in ms. */
const rtts = (output: string) => [...output.matchAll(/time=([\d.]+) ms/g)].map((m) => Number(m[1]));

test('link effects: a delay set in the inspector shows on the edge and raises the ping’s RTT; bad input is refused; a flap takes the link down and up', async ({
  page,
  lab,
}) => {
  await openEditor(page, lab);
  await openExample(page, 'veth pair');
  const inspector = await inspectInterface(page, 'ns0', 'veth0');
  const output = inspector.getByLabel('ping output');
  await pingFromInspector(page, '10.0.1.2');
  const before = rtts((await output.textContent()) ?? '');
  expect(before.length).toBeGreaterThan(0);

  // Input the model refuses: refused in the form with the field named, nothing sent.
  const effects = inspector.getByRole('region', { name: 'link effects of ns0:veth0' });
  await effects.getByRole('textbox', { name: 'delay of ns0:veth0' }).fill('10 years');
  await effects.getByRole('button', { name: 'apply effects of ns0:veth0' }).click();
  await expect(effects.getByRole('alert')).toContainText(/delay/i);
  await expect(page.locator('.effects-badge')).toHaveCount(0);

  // 100 ms: the edge's badge says it, the kernel has it (no drift), the ping's RTT rises.
  await effects.getByRole('textbox', { name: 'delay of ns0:veth0' }).fill('100');
  await effects.getByRole('textbox', { name: 'loss of ns0:veth0' }).fill('0');
  await effects.getByRole('button', { name: 'apply effects of ns0:veth0' }).click();
  const badge = page.locator('.effects-badge');
  await expect(badge).toHaveAttribute('data-effects', '100 ms');
  await expect(badge).not.toHaveAttribute('data-drift', 'true');
  await expect(effects.getByLabel('effects in force on ns0:veth0')).toHaveText('100 ms');
  await expect(page.getByRole('log', { name: 'commands' })).toContainText(
    'netcanvas-fx start --dev veth0 --dir out --delay 100',
  );
  await pingFromInspector(page, '10.0.1.2');
  const after = rtts((await output.textContent()) ?? '');
  expect(Math.min(...after)).toBeGreaterThanOrEqual(Math.max(...before) + 90);

  // A flap: down, then up by the agent's timer.
  await effects.getByRole('textbox', { name: 'flap seconds of ns0:veth0' }).fill('2');
  await effects.getByRole('button', { name: 'flap ns0:veth0' }).click();
  await expect(row(page, 'ns0', 'veth0')).toHaveAttribute('data-state', 'down');
  await expect(row(page, 'ns0', 'veth0')).toHaveAttribute('data-state', 'up', { timeout: 10_000 });
  await expect(page.getByRole('log', { name: 'commands' })).toContainText('link set dev veth0 up');

  // Cleared: the badge goes, and so does the helper.
  await effects.getByRole('button', { name: 'clear effects of ns0:veth0' }).click();
  await expect(badge).toHaveCount(0);
  await expect(effects.getByLabel('effects in force on ns0:veth0')).toHaveText('none');
});
