import { describe, expect, it } from 'vitest';
import { type Lab } from '@netcanvas/kernel';
import { run } from '@netcanvas/kernel/testing';
import { findInterface, findNamespace, type ObservedRule } from '@netcanvas/model';
import { topology } from './lab-fixture';
import { labsOfEachTest } from './lab-cleanup';

// The kernel's part of adopting, on the real kernel in sandboxes: a rule made by hand replaced in
// place even when a terminal moved it since it was read, never another one; a route re-made with
// the lab's protocol; a rule made by hand removed only while it is there; a bridge's MAC kept.

const newLab = labsOfEachTest();
const sh = async (lab: Lab, ns: string, line: string) => {
  const result = await run(lab.execArgv(ns, ['sh', '-c', line]), { timeoutMs: 10_000 });
  expect(result.exitCode, `${line}: ${result.stderr}`).toBe(0);
  return result.stdout;
};
const inputRules = async (lab: Lab, ns: string): Promise<ObservedRule[]> =>
  ((await lab.observe()).namespaces.find((n) => n.name === ns)?.firewall?.rules ?? []).filter(
    (r) => r.table === 'filter' && r.chain === 'INPUT',
  );

const ICMP = ['-p', 'icmp', '-j', 'ACCEPT'];
const ICMP_OURS = ['-p', 'icmp', '-m', 'comment', '--comment', 'netcanvas', '-j', 'ACCEPT'];
const adoptIcmp = (position: number) => ({
  namespaces: [],
  interfaces: [],
  routes: [],
  rules: [
    {
      context: 'fw',
      table: 'filter' as const,
      chain: 'INPUT',
      position,
      args: ICMP,
      replacement: ICMP_OURS,
      packets: 0,
      bytes: 0,
    },
  ],
});

describe('adopting in the kernel', () => {
  it('replaces a hand rule where it is now: a rule inserted above it since it was read moves nothing else', async () => {
    const lab = await newLab('marks-rule');
    await sh(lab, 'root', 'ip netns add fw');
    await sh(
      lab,
      'fw',
      'ip link set lo up && iptables -A INPUT -p udp -j ACCEPT && iptables -A INPUT -p icmp -j ACCEPT',
    );
    await sh(lab, 'fw', 'ping -c 2 -i 0.2 -W 1 127.0.0.1 >/dev/null');
    // Read at position 2; a terminal then inserts a rule at the top: it is at 3 now.
    await sh(lab, 'fw', 'iptables -I INPUT 1 -p tcp -j DROP');
    const report = await lab.adopt(adoptIcmp(2));
    expect(report.ok, report.failed?.stderr).toBe(true);
    expect(report.done.map((o) => o.step.argv.join(' '))).toEqual([
      expect.stringMatching(/^ip netns exec fw iptables -R INPUT 3 -c [1-9]\d* \d+ -p icmp -m comment/),
    ]);
    const rules = await inputRules(lab, 'fw');
    expect(rules.map((r) => [r.args.join(' '), r.managed])).toEqual([
      ['-p tcp -j DROP', false],
      ['-p udp -j ACCEPT', false],
      [ICMP_OURS.join(' '), true],
    ]);
    expect(rules[2]?.packets).toBeGreaterThanOrEqual(4);
  });

  it('refuses when the rule is gone, and changes nothing', async () => {
    const lab = await newLab('marks-gone');
    await sh(lab, 'root', 'ip netns add fw');
    await sh(lab, 'fw', 'iptables -A INPUT -p udp -j ACCEPT && iptables -A INPUT -p tcp -j ACCEPT');
    const report = await lab.adopt(adoptIcmp(2));
    expect(report.ok).toBe(false);
    expect(report.failed?.stderr).toBe('that rule is no longer there: -A INPUT -p icmp -j ACCEPT');
    expect((await inputRules(lab, 'fw')).map((r) => r.args.join(' '))).toEqual([
      '-p udp -j ACCEPT',
      '-p tcp -j ACCEPT',
    ]);
  });

  it('re-makes a route made by hand with the lab protocol, in place', async () => {
    const lab = await newLab('marks-route');
    await sh(lab, 'root', 'ip netns add r && ip link add v0 netns r type veth peer name v1');
    await sh(
      lab,
      'r',
      'ip addr add 10.4.0.1/24 dev v0 && ip link set v0 up && ip route add 10.5.0.0/24 via 10.4.0.2 metric 7',
    );
    const route = findNamespace(await lab.observe(), 'r')?.routes?.find((x) => x.to === '10.5.0.0/24');
    expect(route).toMatchObject({ protocol: 'boot', managed: false, metric: 7 });
    const report = await lab.adopt({
      namespaces: [],
      interfaces: [],
      routes: [{ context: 'r', route: route! }],
      rules: [],
    });
    expect(report.ok, report.failed?.stderr).toBe(true);
    const after = findNamespace(await lab.observe(), 'r')?.routes?.filter((x) => x.to === '10.5.0.0/24');
    expect(after).toEqual([
      expect.objectContaining({ via: '10.4.0.2', dev: 'v0', metric: 7, protocol: '203', managed: true }),
    ]);
  });

  it('removes a rule made by hand only while the kernel has exactly it, never the lab s own', async () => {
    const lab = await newLab('marks-remove');
    await sh(lab, 'root', 'ip netns add fw');
    await sh(lab, 'fw', `iptables -A INPUT ${ICMP_OURS.join(' ')} && iptables -A INPUT ${ICMP.join(' ')}`);
    const rule = { context: 'fw', table: 'filter', chain: 'INPUT', args: ICMP };
    const removed = await lab.removeHandRules([rule]);
    expect(removed.ok, removed.failed?.stderr).toBe(true);
    expect((await inputRules(lab, 'fw')).map((r) => r.managed)).toEqual([true]);
    const again = await lab.removeHandRules([rule]);
    expect(again).toMatchObject({
      ok: false,
      failed: { stderr: 'that rule is no longer there: -A INPUT -p icmp -j ACCEPT' },
    });
    expect(await inputRules(lab, 'fw')).toHaveLength(1);
  });

  it("keeps a bridge's MAC from the document when ports join (the kernel would take the lowest port's)", async () => {
    const lab = await newLab('marks-brmac');
    const mac = '02:aa:00:00:00:01'; // higher than the ports': unset, the bridge would take theirs
    const doc = topology({
      schemaVersion: 1,
      namespaces: [{ name: 'h0' }],
      bridges: [{ name: 'br0', mac }],
      links: [
        {
          a: { node: 'h0', ifname: 'eth0', mac: '02:00:00:00:00:02' },
          b: { node: 'br0', ifname: 'p0', mac: '02:00:00:00:00:01' },
        },
      ],
    });
    const applied = await lab.converge(doc, { dryRun: false });
    expect(applied.report?.ok, applied.report?.failed?.stderr).toBe(true);
    expect(findInterface(await lab.observe(), 'root', 'br0')?.mac).toBe(mac);
    expect((await lab.converge(doc, { dryRun: true })).plan.steps).toEqual([]);
  });
});
