import { test as base, expect, type Page } from '@playwright/test';
import { startLab, type RunningLab } from './agent';

/**
 * A worker's labs, one fresh lab per test: a lab is never used by two tests. While a test that
 * passed is torn down, its lab is stopped in the background and the next test's lab starts, so
 * the next test's browser context and page are made while its agent and sandbox come up (2–3 s
 * each quiet, up to 18 s loaded) instead of one after the other. After a failure Playwright
 * replaces the worker: nothing is started ahead then. The worker's teardown stops what is left
 * and fails if any stop failed, as a test's own teardown did.
 */
class WorkerLabs {
  private ahead: Promise<RunningLab> | null = null;
  private readonly stopping: Promise<void>[] = [];

  constructor(private readonly tag: string) {}

  /** The lab started ahead, or a new one. */
  take(): Promise<RunningLab> {
    const lab = this.ahead ?? startLab(this.tag);
    this.ahead = null;
    return lab;
  }

  /** Stops a test's lab in the background; `startNext` starts the next test's. */
  release(lab: RunningLab, startNext: boolean): void {
    this.stopping.push(lab.stop());
    if (!startNext) return;
    this.ahead = startLab(this.tag);
    // Its failure is the next test's (take), or nobody's when no test takes it.
    this.ahead.catch(() => undefined);
  }

  async close(): Promise<void> {
    const left = this.ahead?.then(
      (lab) => lab.stop(),
      () => undefined,
    );
    this.ahead = null;
    const results = await Promise.allSettled([...this.stopping, left]);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }
}

/**
 * Every test gets a fresh lab with its own agent, stopped and destroyed afterwards even when it fails.
 * Every spec takes `test` from here, those that start their own lab too: a worker fixture makes
 * its own kind of worker, and Playwright ran the specs of the other kind last (lesson, class and
 * terminal, 7 minutes of tests, at the end of the run).
 */
export const test = base.extend<{ lab: RunningLab }, { workerLabs: WorkerLabs }>({
  workerLabs: [
    // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this pattern
    async ({}, use, workerInfo) => {
      const labs = new WorkerLabs(`w${workerInfo.workerIndex}`);
      try {
        await use(labs);
      } finally {
        await labs.close();
      }
    },
    { scope: 'worker' },
  ],
  lab: async ({ workerLabs }, use, testInfo) => {
    const lab = await workerLabs.take();
    let passed = false;
    try {
      await use(lab);
      passed = testInfo.status === testInfo.expectedStatus;
    } finally {
      workerLabs.release(lab, passed);
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
