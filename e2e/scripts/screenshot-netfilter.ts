// The picture of netfilter for the README (docs/screenshots/netfilter.png): the router-nat example,
// a ping from h1 to srv through r1, with a DROP rule on ICMP in r1's FORWARD chain lit up by a
// second ping. Headless Chromium against the real agent on a sandbox lab, destroyed afterwards.
// Run: pnpm --filter @netcanvas/e2e exec tsx scripts/screenshot-netfilter.ts
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { startLab } from '../support/agent';
import { node, pingFromInspector } from '../support/canvas';
import { openExample } from '../support/examples';
import { repoRoot } from '../support/paths';

execFileSync(process.execPath, [path.join(repoRoot, 'scripts/build-web-if-stale.mjs')], { stdio: 'inherit' });
const lab = await startLab('shots');
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' });
try {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  await page.goto(lab.editorUrl);
  await page.getByRole('status', { name: 'connection: live' }).waitFor();
  await openExample(page, 'router with NAT');
  await node(page, 'h1').getByText('h1', { exact: true }).click();
  await pingFromInspector(page, '10.2.0.100', 3);
  await node(page, 'r1').getByText('r1', { exact: true }).click();
  await page.getByRole('button', { name: 'add firewall rule in r1' }).click();
  const form = page.getByRole('dialog', { name: 'New firewall rule in r1' });
  await form.getByLabel('Chain').selectOption('FORWARD');
  await form.getByLabel('Protocol').selectOption('icmp');
  await form.getByLabel('Target').selectOption('DROP');
  await form.getByRole('button', { name: 'save rule' }).click();
  await form.waitFor({ state: 'hidden' });
  await page.getByRole('button', { name: 'show the picture of netfilter in r1' }).click();
  const picture = page.getByRole('region', { name: 'Netfilter in r1' });
  await picture.getByLabel('ping from namespace').selectOption('h1');
  await picture.getByLabel('ping to address').fill('10.2.0.100');
  await picture.getByRole('button', { name: 'send ping' }).click();
  await picture
    .getByRole('listitem', { name: 'rule 1 in filter FORWARD: -p icmp -j DROP' })
    .locator('[data-lit="yes"]')
    .waitFor({ timeout: 10_000 });
  await page.waitForTimeout(400);
  await page.screenshot({ path: path.join(repoRoot, 'docs/screenshots/netfilter.png') });
} finally {
  await browser.close();
  await lab.stop();
}
