import path from 'node:path';
import { defineConfig } from '@playwright/test';

/**
 * Real Chromium (Debian's; `npx playwright install` cannot download here) against the real agent
 * on the real kernel, each test in its own sandbox lab.
 *
 * Three workers on two cores: one test at a time left the cores idle over half the time (waiting on
 * the kernel, the agent, a page's timers), and two still left them idle about 40 % of a CI run
 * (23 min of CPU in 22 min on two cores); the labs are independent, so tests of one spec run
 * apart too (fullyParallel). `E2E_WORKERS` overrides it. A test that says how fast something
 * shows ("within a second") is tagged `@timed` and runs in the `timed` project: after all the
 * others (it is their teardown, which runs even when they fail), one at a time, so the other
 * workers' load does not bend it.
 */
export default defineConfig({
  testDir: './tests',
  timeout: 120_000,
  expect: { timeout: 10_000 },
  workers: Number(process.env.E2E_WORKERS ?? 3),
  fullyParallel: true,
  // One retry where .ci/run asks for it (E2E_RETRIES): a feature that is broken fails twice and
  // fails the run; a test the loaded machine made late once is reported as flaky, not hidden.
  retries: Number(process.env.E2E_RETRIES ?? 0),
  reporter: [['list']],
  globalSetup: './support/global-setup.ts',
  globalTeardown: './support/global-teardown.ts',
  outputDir: './test-results',
  use: {
    viewport: { width: 1600, height: 1000 },
    launchOptions: {
      // Debian's Chromium (`CHROMIUM_PATH` or /usr/bin/chromium) through support/chromium.sh, which
      // merges these --disable-features into Playwright's own (Chromium reads only the last one).
      executablePath: path.join(import.meta.dirname, 'support/chromium.sh'),
      // Every new context (a test's page, a viewer's) is a browser window, and Chromium 156 loads
      // the address bar's drop-down into each as web pages of its own (chrome://omnibox-popup, in
      // a renderer process of its own): ~1.6 s of that renderer's CPU per context, and the browser
      // process's work for it, in a headless run that never shows an address bar. Without them a
      // page load to the live editor costs about half the CPU (docs/testing.md, session 13).
      args: ['--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup,WebUIOmniboxFullPopup'],
    },
    // The trace (DOM snapshots before and after each action, not the screencast: that made Chromium
    // draw and encode frames all along every test) is recorded on a failed test's retry, which CI
    // always makes (E2E_RETRIES): a broken feature fails twice, and its second failure has the
    // trace to read; a test that failed once and then passed has its first failure's screenshot,
    // error and page snapshot (error-context.md). Recorded in every test, passing or not, it cost
    // 17 % of the stage's CPU (bridge + firewall specs, 5 tests, one worker: 100 s with it, 83 s
    // without; docs/testing.md, session 10). Locally (no retries): `--trace on`.
    trace: { mode: 'on-first-retry', screenshots: false, snapshots: true },
    screenshot: 'only-on-failure',
    // A veth carrying traffic moves its dash (index.css) in every frame, in every test that pings:
    // with reduced motion (the app's still picture for those who ask for it) Chromium used ~12 %
    // less CPU (veth-pair and link-effects, same run). No spec checks the motion but lesson.spec,
    // which reads its ring's pulse and asks for motion (test.use).
    reducedMotion: 'reduce',
  },
  projects: [
    { name: 'e2e', grepInvert: /@timed/, teardown: 'timed' },
    { name: 'timed', grep: /@timed/, workers: 1 },
  ],
});
