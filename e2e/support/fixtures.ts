import { test as base, expect, type Page } from '@playwright/test';
import { startLab, type RunningLab } from './agent';

/** Every test gets a fresh lab with its own agent, stopped and destroyed afterwards even when it fails. */
export const test = base.extend<{ lab: RunningLab }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this pattern
  lab: async ({}, use, testInfo) => {
    const tag =
      testInfo.titlePath[0]
        ?.replace(/\.spec\.ts$/, '')
        .replace(/[^a-z0-9]/gi, '')
        .slice(0, 10) ?? 't';
    const lab = await startLab(tag);
    try {
      await use(lab);
    } finally {
      await lab.stop();
    }
  },
});

export { expect };

/** Opens the editor link (exchanged for a session cookie) and waits for the live canvas. */
export async function openEditor(page: Page, lab: RunningLab): Promise<void> {
  await page.goto(lab.editorUrl);
  await expect(page.getByRole('status', { name: 'connection: live' })).toBeVisible();
  await expect(page.getByLabel('role: editor')).toBeVisible();
}
