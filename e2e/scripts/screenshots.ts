// Screenshots of the editor for the README (docs/screenshots/): the bridge example, live, in headless
// Chromium against the real agent on a sandbox lab that is destroyed afterwards.
// Run: pnpm --filter @netcanvas/e2e run screenshots
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { startLab } from '../support/agent';
import { node, pingFromInspector, row } from '../support/canvas';
import { openExample } from '../support/examples';
import { repoRoot } from '../support/paths';

const out = (name: string) => path.join(repoRoot, 'docs/screenshots', name);

execFileSync(process.execPath, [path.join(repoRoot, 'scripts/build-web-if-stale.mjs')], { stdio: 'inherit' });
const lab = await startLab('shots');
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' });
try {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  await page.goto(lab.editorUrl);
  await page.getByRole('status', { name: 'connection: live' }).waitFor();
  // The example opens laid out (its places are the layout's).
  await openExample(page, 'bridge');
  await row(page, 'ns1', 'eth0').click();
  await pingFromInspector(page, '10.0.2.2', 2);
  await pingFromInspector(page, '10.0.2.3', 2);
  await page.waitForTimeout(1500);
  await node(page, 'br0').getByText('br0', { exact: true }).click();
  await page.getByRole('table', { name: 'MAC table of br0' }).waitFor();
  await page.screenshot({ path: out('editor-bridge.png') });

  await lab.exec('ns3', ['ip', 'link', 'set', 'eth0', 'down']);
  await row(page, 'ns3', 'eth0').click();
  await page.waitForTimeout(1200);
  await page.screenshot({ path: out('editor-drift.png') });
  await lab.exec('ns3', ['ip', 'link', 'set', 'eth0', 'up']);

  // The router-nat example in a laptop's window, and the same lab in the presenter view (the
  // same page: the editor's link is exchanged once for the page's session).
  const laptop = page;
  await laptop.setViewportSize({ width: 1440, height: 900 });
  await openExample(laptop, 'router with NAT');
  await laptop.waitForTimeout(2000);
  await laptop.screenshot({ path: out('editor-router-nat.png') });
  await laptop.getByRole('button', { name: 'presenter view' }).click();
  await laptop.waitForTimeout(1500);
  await node(laptop, 'r1').getByText('r1', { exact: true }).click();
  await laptop.waitForTimeout(1000);
  await laptop.screenshot({ path: out('presenter.png') });

  const viewer = await (await browser.newContext({ viewport: { width: 1600, height: 1000 } })).newPage();
  await viewer.goto(lab.viewerUrl);
  await viewer.getByRole('status', { name: 'connection: live' }).waitFor();
  await viewer.waitForTimeout(1500);
  await viewer.screenshot({ path: out('viewer.png') });
} finally {
  await browser.close();
  await lab.stop();
}
