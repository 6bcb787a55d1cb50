import { node } from '../support/canvas';
import { openExample } from '../support/examples';
import { expect, openEditor, test } from '../support/fixtures';

// Issue 8: a restart of the agent is invisible to an open page; a session that is really gone
// (serve --new-links) is said as such, not "reconnecting" forever.

test('after the agent restarts, the open page is live again with its session, its log and the same viewer link', async ({
  page,
  lab,
}) => {
  await openEditor(page, lab);
  await openExample(page, 'veth pair');
  await expect(node(page, 'ns1')).toBeVisible();
  const log = page.getByRole('region', { name: 'command log' });
  await expect(log.getByText('ip netns add ns0').first()).toBeVisible();

  const again = await lab.restart();
  expect(again.viewerUrl).toBe(lab.viewerUrl);
  await expect(page.getByRole('status', { name: 'connection: live' })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByLabel('role: editor')).toBeVisible();
  await expect(node(page, 'ns1')).toBeVisible();
  await expect(log.getByText('ip netns add ns0').first()).toBeVisible();

  // The cookie from before the restart still opens the editor after a reload.
  await page.reload();
  await expect(page.getByRole('status', { name: 'connection: live' })).toBeVisible();
  await expect(page.getByLabel('role: editor')).toBeVisible();
  await expect(log.getByText('ip netns add ns0').first()).toBeVisible();
});

test('after serve --new-links the page says its session ended and what to do', async ({ page, lab }) => {
  await openEditor(page, lab);
  const again = await lab.restart({ newLinks: true });
  expect(again.viewerUrl).not.toBe(lab.viewerUrl);
  const ended = page.getByRole('alert', { name: 'session ended' });
  await expect(ended).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('status', { name: 'connection: reconnecting' })).toHaveCount(0);
});
