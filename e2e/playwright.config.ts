import { defineConfig } from '@playwright/test';

/**
 * Real Chromium (Debian's; `npx playwright install` cannot download here) against the real agent
 * on the real kernel, each test in its own sandbox lab. Two cores: one worker at a time keeps
 * "within a second" honest.
 */
export default defineConfig({
  testDir: './tests',
  timeout: 120_000,
  expect: { timeout: 10_000 },
  workers: 1,
  retries: 0,
  reporter: process.env.CI ? [['list']] : [['list']],
  globalSetup: './support/global-setup.ts',
  globalTeardown: './support/global-teardown.ts',
  outputDir: './test-results',
  use: {
    viewport: { width: 1600, height: 1000 },
    launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
});
