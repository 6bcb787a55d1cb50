import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lab, type CaptureOptions } from '@netcanvas/kernel';
import { decodePacket, type PcapRecord } from '@netcanvas/model';
import { loadExample, refusedField, testLab } from './lab-fixture';

// Packet capture on the real kernel: tcpdump in one sandbox holding the tutorial's veth pair
// (ns0 veth0 10.0.1.1 ↔ ns1 veth1 10.0.1.2).

let lab: Lab;
beforeAll(async () => {
  lab = await testLab('capture');
  const { report } = await lab.converge(loadExample('veth-pair.json'), { dryRun: false });
  if (!report?.ok) throw new Error(`apply failed: ${JSON.stringify(report?.failed)}`);
});
afterAll(async () => {
  await lab?.destroy({ force: true });
});

const options = (more: Partial<CaptureOptions> = {}): CaptureOptions => ({
  filter: '',
  maxPackets: 1000,
  maxBytes: 1_000_000,
  maxSeconds: 30,
  ...more,
});

/**
 * tcpdumps in ns0 itself (`ip netns pids`): pgrep would count every tcpdump on the machine, the
 * terminal tests' included when the kernel tests run side by side.
 */
const tcpdumpsRunning = async () => {
  const listed = await lab.run('root', [
    'sh',
    '-c',
    'for p in $(ip netns pids ns0); do cat /proc/$p/comm; done',
  ]);
  return String(listed.stdout.split('\n').filter((comm) => comm === 'tcpdump').length);
};

describe('capture', () => {
  it('hands up each packet of a ping, echo request and reply, decoded', async () => {
    const records: PcapRecord[] = [];
    const capture = await lab.capture('ns0', 'veth0', options({ filter: 'icmp' }), (r) => records.push(r));
    expect(capture.shown).toEqual([
      'ip',
      'netns',
      'exec',
      'ns0',
      'tcpdump',
      '-i',
      'veth0',
      '-U',
      '--immediate-mode',
      '-B',
      '8192',
      '-n',
      '-c',
      '1000',
      '-w',
      '-',
      '--',
      'icmp',
    ]);
    const ping = await lab.run('ns1', ['ping', '-n', '-c', '3', '-i', '0.3', '10.0.1.1']);
    expect(ping.exitCode).toBe(0);
    await waitFor(() => records.length >= 2);
    capture.stop();
    const ended = await capture.done;
    expect(ended.reason).toBe('stopped');
    const lines = records.map((r) => decodePacket(r.data));
    expect(lines).toContainEqual(
      expect.objectContaining({ src: '10.0.1.2', dst: '10.0.1.1', protocol: 'ICMP' }),
    );
    expect(lines.map((l) => l.summary.replace(/, id.*/, ''))).toEqual(
      expect.arrayContaining(['echo request', 'echo reply']),
    );
    expect(capture.header()?.linktype).toBe(1);
  });

  it('stops a flood at its packet limit', async () => {
    const records: PcapRecord[] = [];
    const capture = await lab.capture('ns0', 'veth0', options({ maxPackets: 50 }), (r) => records.push(r));
    const flood = lab.run('ns1', ['ping', '-n', '-f', '-c', '2000', '10.0.1.1']);
    const ended = await capture.done;
    await flood;
    expect(ended.reason).toBe('packet-limit');
    expect(records.length).toBe(50);
  });

  it('stops at its byte limit, never holding more', async () => {
    const records: PcapRecord[] = [];
    const capture = await lab.capture('ns0', 'veth0', options({ maxBytes: 2048 }), (r) => records.push(r));
    const flood = lab.run('ns1', ['ping', '-n', '-f', '-c', '500', '10.0.1.1']);
    const ended = await capture.done;
    await flood;
    expect(ended.reason).toBe('byte-limit');
    expect(records.reduce((n, r) => n + 16 + r.data.length, 0)).toBeLessThanOrEqual(2048);
  });

  it('refuses a filter with a shell metacharacter before running anything, naming the field', async () => {
    const refused = lab.capture('ns0', 'veth0', options({ filter: 'icmp; reboot' }), () => undefined);
    // The model's words, not tcpdump's: tcpdump never ran.
    await expect(refused).rejects.toThrow(/^filter: ";" is not part of tcpdump's filter language/);
    expect(await tcpdumpsRunning()).toBe('0');
  });

  it("says why a filter is wrong in tcpdump's words, and an interface the namespace lacks", async () => {
    const wrong = lab.capture('ns0', 'veth0', options({ filter: 'icmp and and' }), () => undefined);
    await expect(wrong).rejects.toThrow(/filter: .*syntax error/);
    expect(await refusedField(() => lab.capture('ns0', 'nope0', options(), () => undefined))).toBe('ifname');
    expect(await tcpdumpsRunning()).toBe('0');
  });

  it('ends by itself when its interface goes', async () => {
    const hand = lab.byHand('ns0');
    try {
      expect(await hand.ip(['link', 'add', 'cap0', 'type', 'veth', 'peer', 'name', 'cap1'])).toEqual({
        ok: true,
      });
      expect(await hand.ip(['link', 'set', 'cap0', 'up'])).toEqual({ ok: true });
      const capture = await lab.capture('ns0', 'cap0', options(), () => undefined);
      // The count sees a running tcpdump (so its '0' elsewhere means none).
      expect(await tcpdumpsRunning()).toBe('1');
      expect(await hand.ip(['link', 'del', 'cap0'])).toEqual({ ok: true });
      const ended = await capture.done;
      expect(ended.reason).toBe('exited');
      expect(ended.stderr).toMatch(/disappeared|No such device|went down/i);
    } finally {
      await hand.close();
    }
  });
});

async function waitFor(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
