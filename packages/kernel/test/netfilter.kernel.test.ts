import { describe, expect, it } from 'vitest';
import { type Lab } from '@netcanvas/kernel';
import { run } from '@netcanvas/kernel/testing';
import { findNamespace, type Topology } from '@netcanvas/model';
import { loadExample, topology } from './lab-fixture';
import { labsOfEachTest } from './lab-cleanup';

// Routing, NAT and firewall rules on the real kernel, inside sandboxes.

const newLab = labsOfEachTest();
const inLab = (lab: Lab, ns: string, argv: string[]) => run(lab.execArgv(ns, argv), { timeoutMs: 10_000 });
const ping = (lab: Lab, ns: string, address: string) =>
  inLab(lab, ns, ['ping', '-c', '1', '-W', '1', address]);
async function applyOk(lab: Lab, doc: Topology) {
  const { plan, report } = await lab.converge(doc, { dryRun: false });
  expect(plan.conflicts).toEqual([]);
  expect(report?.failed ?? null).toBeNull();
  return plan;
}
const ruleCounter = async (lab: Lab, ns: string, table: string, target: string) => {
  const observed = await lab.observe();
  const rule = findNamespace(observed, ns)?.firewall?.rules.find(
    (r) => r.table === table && r.args.includes(target),
  );
  return rule?.packets ?? -1;
};
const withNamespace = (doc: Topology, name: string, change: (ns: Topology['namespaces'][number]) => object) =>
  topology({
    ...doc,
    namespaces: doc.namespaces.map((ns) => (ns.name === name ? { ...ns, ...change(ns) } : ns)),
  });

describe('the router with NAT', () => {
  it('lets an inside host reach the outside, seen as the router: the MASQUERADE counter rises', async () => {
    const lab = await newLab('nat');
    const doc = loadExample('router-nat.json');
    await applyOk(lab, doc);
    expect(await ruleCounter(lab, 'r1', 'nat', 'MASQUERADE')).toBe(0);
    expect((await ping(lab, 'h1', '10.2.0.100')).exitCode).toBe(0);
    expect((await ping(lab, 'h2', '10.2.0.100')).exitCode).toBe(0);
    // srv has no route back to 10.1.0.0/24: only a rewritten source can be answered.
    expect(await ruleCounter(lab, 'r1', 'nat', 'MASQUERADE')).toBeGreaterThan(0);
    const neighbours = await inLab(lab, 'srv', ['ip', '-j', 'neigh', 'show']);
    expect(neighbours.stdout).toContain('"dst":"10.2.0.1"');
    expect(neighbours.stdout).not.toContain('10.1.0.');
  });

  it('fails to forward with forwarding off, and works again when it is back on', async () => {
    const lab = await newLab('fwd');
    const doc = loadExample('router-nat.json');
    await applyOk(
      lab,
      withNamespace(doc, 'r1', () => ({ forwarding: false })),
    );
    expect((await ping(lab, 'h1', '10.2.0.100')).exitCode).not.toBe(0);
    const plan = await applyOk(lab, doc);
    expect(plan.steps.map((s) => s.argv.join(' '))).toEqual([
      'ip netns exec r1 sysctl -q -w net.ipv4.ip_forward=1',
    ]);
    expect((await ping(lab, 'h1', '10.2.0.100')).exitCode).toBe(0);
  });

  it('runs no command the second time, and iptables -S is the same after both', async () => {
    const lab = await newLab('fwtwice');
    const doc = loadExample('router-nat.json');
    await applyOk(lab, doc);
    const first = (await inLab(lab, 'r1', ['iptables-save', '-t', 'nat'])).stdout.replace(/^#.*\n/gm, '');
    const again = await lab.converge(doc, { dryRun: false });
    expect(again.plan.steps).toEqual([]);
    expect(again.report).toBeNull();
    expect((await inLab(lab, 'r1', ['iptables-save', '-t', 'nat'])).stdout.replace(/^#.*\n/gm, '')).toBe(
      first,
    );
  });
});

describe('a DROP rule on ICMP', () => {
  it('makes the ping fail and its counter rise; removed, the ping works again', async () => {
    const lab = await newLab('drop');
    const doc = loadExample('firewall-drop.json');
    await applyOk(lab, doc);
    expect((await ping(lab, 'ns0', '10.0.1.2')).exitCode).not.toBe(0);
    expect(await ruleCounter(lab, 'ns1', 'filter', 'DROP')).toBeGreaterThan(0);
    const plan = await applyOk(
      lab,
      withNamespace(doc, 'ns1', () => ({ firewall: { rules: [] } })),
    );
    expect(plan.steps.map((s) => s.argv.join(' '))).toEqual([
      'ip netns exec ns1 iptables -D INPUT -p icmp -m comment --comment netcanvas -j DROP',
    ]);
    expect((await ping(lab, 'ns0', '10.0.1.2')).exitCode).toBe(0);
  });
});

describe('rules made by hand', () => {
  it("show up as unmanaged and survive apply and the removal of the lab's own rules", async () => {
    const lab = await newLab('handrule');
    const doc = loadExample('router-nat.json');
    await applyOk(lab, doc);
    const hand = await inLab(lab, 'r1', [
      'iptables',
      '-A',
      'INPUT',
      '-p',
      'tcp',
      '--dport',
      '22',
      '-j',
      'ACCEPT',
    ]);
    expect(hand.exitCode).toBe(0);
    const seen = findNamespace(await lab.observe(), 'r1')?.firewall?.rules;
    expect(seen).toContainEqual(
      expect.objectContaining({
        chain: 'INPUT',
        managed: false,
        args: ['-p', 'tcp', '-m', 'tcp', '--dport', '22', '-j', 'ACCEPT'],
      }),
    );
    expect(seen).toContainEqual(expect.objectContaining({ chain: 'POSTROUTING', managed: true }));
    await applyOk(
      lab,
      withNamespace(doc, 'r1', () => ({ firewall: { rules: [] } })),
    );
    const after = (await inLab(lab, 'r1', ['iptables-save'])).stdout;
    expect(after).toContain('--dport 22 -j ACCEPT');
    expect(after).not.toContain('MASQUERADE');
  });
});

describe('routes', () => {
  it("are added with the lab's protocol, and only those are removed", async () => {
    const lab = await newLab('routes');
    const doc = loadExample('router-nat.json');
    await applyOk(lab, doc);
    await inLab(lab, 'h1', ['ip', 'route', 'add', '192.0.2.0/24', 'via', '10.1.0.12']);
    const plan = await applyOk(
      lab,
      withNamespace(doc, 'h1', () => ({ routes: [] })),
    );
    expect(plan.steps.map((s) => s.argv.join(' '))).toEqual([
      'ip -n h1 route del default via 10.1.0.1 dev eth0 proto 203',
    ]);
    const routes = findNamespace(await lab.observe(), 'h1')?.routes ?? [];
    expect(routes.map((r) => r.to)).toContain('192.0.2.0/24');
    expect(routes.map((r) => r.to)).not.toContain('default');
  });
});
