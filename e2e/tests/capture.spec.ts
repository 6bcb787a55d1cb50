import { readFile } from 'node:fs/promises';
import { PcapStreamReader, decodePacket } from '@netcanvas/model';
import { inspectInterface } from '../support/canvas';
import { openExample } from '../support/examples';
import { expect, openEditor, test } from '../support/fixtures';

// Packet capture (issue 12 §2) on the veth pair (ns0 veth0 10.0.1.1 ↔ ns1 veth1 10.0.1.2), one lab:
// a bad filter refused in the form, a capture on veth0 while ns1 pings (lines, the edge's moving
// packets, a viewer watching, the pcap download), then a flood stopped by its packet limit.

test.describe.configure({ timeout: 150_000 });

test('capture on veth0: a ping’s echo request and reply, watched by a viewer, downloaded as pcap; a limit stops a flood', async ({
  browser,
  page,
  lab,
}) => {
  await openEditor(page, lab);
  await openExample(page, 'veth pair');
  const sent: string[] = [];
  page.on('websocket', (ws) => ws.on('framesent', (f) => sent.push(String(f.payload))));
  await page.reload();
  const inspector = await inspectInterface(page, 'ns0', 'veth0');
  const starter = inspector.getByRole('region', { name: 'packet capture' });
  const panel = page.getByRole('region', { name: 'packet capture panel' });
  const state = panel.getByRole('status', { name: 'capture state' });

  await test.step('a filter with a shell metacharacter is refused, naming the field, and nothing is sent', async () => {
    await starter.getByRole('textbox', { name: 'capture filter' }).fill('icmp; reboot');
    await starter.getByRole('button', { name: 'capture on veth0' }).click();
    await expect(starter.getByRole('alert')).toContainText(
      `filter: ";" is not part of tcpdump's filter language`,
    );
    expect(sent.filter((s) => s.includes('captureStart'))).toEqual([]);
    await expect(panel).toHaveCount(0);
  });

  const viewerContext = await browser.newContext();
  try {
    const viewer = await viewerContext.newPage();
    await viewer.goto(lab.viewerUrl);
    await expect(viewer.getByLabel('role: viewing')).toHaveText('viewing');

    await test.step('a ping from ns1 shows as echo request and reply lines; the edge shows packets moving', async () => {
      await starter.getByRole('textbox', { name: 'capture filter' }).fill('icmp');
      await starter.getByRole('button', { name: 'capture on veth0' }).click();
      await expect(state).toContainText('capturing', { timeout: 15_000 });
      const pinging = lab.exec('ns1', ['ping', '-n', '-c', '3', '-i', '0.3', '10.0.1.1']);
      // While packets come (and a moment after), they move along the veth. The packets come once
      // `netcanvas exec` has started the ping: seconds on a loaded machine (a full run at load 27
      // waited out 10 s), so the wait is the kernel's, as the other specs' kernel waits are.
      await expect(page.locator('[data-capture="moving"]')).toHaveCount(1, { timeout: 30_000 });
      await pinging;
      const list = panel.getByRole('log', { name: 'captured packets' });
      await expect(list).toContainText('10.0.1.2 → 10.0.1.1');
      await expect(list).toContainText('echo request');
      await expect(list).toContainText('echo reply');
      await expect(page.locator('[data-capture="moving"]')).toHaveCount(0);
    });

    await test.step('the viewer watches the same capture and cannot stop it', async () => {
      const tab = viewer.getByRole('button', { name: 'capture ns0:veth0 running' });
      await tab.click();
      const watched = viewer.getByRole('region', { name: 'packet capture panel' });
      await expect(watched.getByRole('log', { name: 'captured packets' })).toContainText('echo reply');
      await expect(watched.getByRole('button', { name: 'stop capture' })).toHaveCount(0);
    });

    await test.step('stopped, its pcap downloads with the packets in it', async () => {
      await panel.getByRole('button', { name: 'stop capture' }).click();
      await expect(state).toContainText('stopped by hand after 6 packets');
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        panel.getByRole('link', { name: 'download pcap' }).click(),
      ]);
      const reader = new PcapStreamReader();
      const records = reader.push(new Uint8Array(await readFile((await download.path()) as string)));
      expect(reader.header?.linktype).toBe(1);
      const summaries = records.map((r) => decodePacket(r.data).summary.replace(/, id .*/, ''));
      expect(summaries).toEqual([
        'echo request',
        'echo reply',
        'echo request',
        'echo reply',
        'echo request',
        'echo reply',
      ]);
    });
  } finally {
    await viewerContext.close();
  }

  await test.step('a flood is stopped by the packet limit', async () => {
    await starter.getByRole('textbox', { name: 'capture filter' }).fill('');
    await starter.getByRole('spinbutton', { name: 'capture packet limit' }).fill('200');
    await starter.getByRole('button', { name: 'capture on veth0' }).click();
    await expect(state).toContainText('capturing', { timeout: 15_000 });
    await lab.exec('ns1', ['ping', '-n', '-f', '-c', '1000', '10.0.1.1']);
    await expect(state).toContainText('stopped at its limit of 200 packets');
    await expect(panel.getByLabel('capture count')).toContainText('200 packets');
  });
});
