import { defineConfig } from '@playwright/test';

/**
 * Real Chromium (Debian's; `npx playwright install` cannot download here) against the real agent
 * on the real kernel, each test in its own sandbox lab.
 *
 * Two workers on two cores: one test at a time left the cores idle over half the time (waiting on
 * the kernel, the agent, a page's timers), and the labs are independent, so tests of one spec run
 * apart too (fullyParallel). A test that says how fast something shows ("within a second") is
 * tagged `@timed` and runs in the `timed` project: after all the others (it is their teardown,
 * which runs even when they fail), one at a time, so the other worker's load does not bend it.
 */
export default defineConfig({
  testDir: './tests',
  timeout: 120_000,
  expect: { timeout: 10_000 },
  workers: 2,
  fullyParallel: true,
  retries: 0,
  reporter: [['list']],
  globalSetup: './support/global-setup.ts',
  globalTeardown: './support/global-teardown.ts',
  outputDir: './test-results',
  use: {
    viewport: { width: 1600, height: 1000 },
    launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    { name: 'e2e', grepInvert: /@timed/, teardown: 'timed' },
    { name: 'timed', grep: /@timed/, workers: 1 },
  ],
});
