import { describe, expect, it } from 'vitest';
import { type Lab } from '@netcanvas/kernel';
import { run } from '@netcanvas/kernel/testing';
import {
  ROOT,
  findNamespace,
  ruleArgs,
  type FirewallRuleInput,
  type ObservedState,
  type Topology,
} from '@netcanvas/model';
import { topology } from './lab-fixture';
import { labsOfEachTest } from './lab-cleanup';

// The lab's root's firewall (issue 9, gap 2) on the real kernel, inside sandboxes: the tutorial's
// bridge with its FORWARD rules in the root, and a MASQUERADE out of a veth to a namespace of the
// lab (never the machine's interface).

const newLab = labsOfEachTest();
const inLab = (lab: Lab, ns: string, argv: string[]) => run(lab.execArgv(ns, argv), { timeoutMs: 10_000 });
const byHand = async (lab: Lab, argv: string[]) => {
  const result = await inLab(lab, ROOT, argv);
  expect(result.stderr).toBe('');
  expect(result.exitCode).toBe(0);
};

const RULES: FirewallRuleInput[] = [
  { chain: 'FORWARD', inInterface: 'br0', outInterface: 'br0', target: 'ACCEPT' },
  { chain: 'FORWARD', inInterface: 'br0', outInterface: 'up0', target: 'ACCEPT' },
  { chain: 'FORWARD', inInterface: 'up0', state: ['ESTABLISHED', 'RELATED'], target: 'ACCEPT' },
  { table: 'nat', chain: 'POSTROUTING', source: '10.0.0.0/24', outInterface: 'up0', target: 'MASQUERADE' },
];

/**
 * br0 in the root (the lab's gateway, 10.0.0.1) with ns0 and ns1 behind it; `wan`, a namespace of
 * the lab standing for the outside, reached from the root through the veth up0 – wanv. `wan` has no
 * route back to 10.0.0.0/24: only a packet whose source the root rewrote is answered.
 */
const lab = (root?: { rules?: FirewallRuleInput[]; policies?: object[] }): Topology =>
  topology({
    schemaVersion: 1,
    namespaces: [
      { name: 'ns0', routes: [{ to: '10.9.0.0/24', via: '10.0.0.1' }] },
      { name: 'ns1' },
      { name: 'wan' },
    ],
    bridges: [{ name: 'br0', addresses: ['10.0.0.1/24'] }],
    links: [
      { a: { node: 'ns0', ifname: 'eth0', addresses: ['10.0.0.10/24'] }, b: { node: 'br0', ifname: 'p0' } },
      { a: { node: 'ns1', ifname: 'eth0', addresses: ['10.0.0.11/24'] }, b: { node: 'br0', ifname: 'p1' } },
      {
        a: { node: ROOT, ifname: 'up0', addresses: ['10.9.0.1/24'] },
        b: { node: 'wan', ifname: 'wanv', addresses: ['10.9.0.2/24'] },
      },
    ],
    ...(root ? { root: { firewall: root } } : {}),
  });

async function applyOk(l: Lab, doc: Topology) {
  const { plan, report } = await l.converge(doc, { dryRun: false });
  expect(plan.conflicts).toEqual([]);
  expect(report?.failed ?? null).toBeNull();
  return plan;
}
const rootRules = (observed: ObservedState) => findNamespace(observed, ROOT)?.firewall?.rules ?? [];
const argsOf = (rule: FirewallRuleInput) =>
  ruleArgs(topology(lab({ rules: [rule] })).root!.firewall.rules[0]!);

describe("the lab's root's firewall", () => {
  it('is applied as plain iptables in the root, observed back as the lab’s, and planned once', async () => {
    const l = await newLab('rootfw');
    const doc = lab({ rules: RULES, policies: [{ chain: 'FORWARD', policy: 'DROP' }] });
    const plan = await applyOk(l, doc);
    const commands = plan.steps.filter((s) => s.argv[0] === 'iptables').map((s) => s.argv.join(' '));
    expect(commands).toEqual([
      'iptables -A FORWARD -i br0 -o br0 -m comment --comment netcanvas -j ACCEPT',
      'iptables -A FORWARD -i br0 -o up0 -m comment --comment netcanvas -j ACCEPT',
      'iptables -A FORWARD -i up0 -m conntrack --ctstate RELATED,ESTABLISHED -m comment --comment netcanvas -j ACCEPT',
      'iptables -t nat -A POSTROUTING -s 10.0.0.0/24 -o up0 -m comment --comment netcanvas -j MASQUERADE',
      'iptables -P FORWARD DROP',
    ]);
    expect(plan.steps.filter((s) => s.argv[0] === 'iptables').every((s) => s.context === ROOT)).toBe(true);

    const observed = await l.observe();
    const root = findNamespace(observed, ROOT)?.firewall;
    expect(root?.chains.find((c) => c.table === 'filter' && c.name === 'FORWARD')?.policy).toBe('DROP');
    expect(
      rootRules(observed).map((r) => ({ table: r.table, chain: r.chain, args: r.args, managed: r.managed })),
    ).toEqual(
      RULES.map((r) => ({ table: r.table ?? 'filter', chain: r.chain, args: argsOf(r), managed: true })),
    );
    // What iptables itself says in the root.
    const save = await inLab(l, ROOT, ['iptables', '-S', 'FORWARD']);
    expect(save.stdout).toContain('-A FORWARD -i br0 -o br0 -m comment --comment netcanvas -j ACCEPT');

    const again = await l.converge(doc, { dryRun: false });
    expect(again.plan.steps).toEqual([]);
    expect(again.plan.conflicts).toEqual([]);
  });

  it('masquerades a lab subnet out of a veth to a namespace of the lab: the counter rises', async () => {
    const l = await newLab('rootnat');
    await applyOk(l, lab({ rules: RULES }));
    // The root forwards as the sandbox has it: on, by hand, as the tutorial does.
    await byHand(l, ['sysctl', '-q', '-w', 'net.ipv4.ip_forward=1']);
    const masquerade = async () =>
      rootRules(await l.observe()).find((r) => r.args.includes('MASQUERADE'))?.packets ?? -1;
    expect(await masquerade()).toBe(0);
    const ping = await inLab(l, 'ns0', ['ping', '-c', '1', '-W', '2', '10.9.0.2']);
    expect(ping.exitCode).toBe(0);
    expect(await masquerade()).toBeGreaterThan(0);
  });

  it('never touches a rule made by hand in the root, through a change and the removal of its own', async () => {
    const l = await newLab('roothand');
    await applyOk(l, lab({ rules: RULES }));
    const hand = ['-i', 'br0', '-o', 'br0', '-p', 'icmp', '-j', 'ACCEPT'];
    await byHand(l, ['iptables', '-I', 'FORWARD', '1', ...hand]);
    await byHand(l, ['iptables', '-t', 'nat', '-A', 'POSTROUTING', '-o', 'up0', '-j', 'RETURN']);

    const seen = rootRules(await l.observe());
    expect(seen.filter((r) => !r.managed).map((r) => [r.table, r.chain, r.args])).toEqual([
      ['filter', 'FORWARD', hand],
      ['nat', 'POSTROUTING', ['-o', 'up0', '-j', 'RETURN']],
    ]);
    expect(seen.filter((r) => r.managed)).toHaveLength(RULES.length);
    // Hand rules ask nothing of the planner.
    expect((await l.converge(lab({ rules: RULES }), { dryRun: true })).plan.steps).toEqual([]);

    // One rule of the lab's less: only the lab's rules of that chain are rewritten.
    const fewer = await applyOk(l, lab({ rules: RULES.slice(1) }));
    expect(fewer.steps.every((s) => s.argv[0] === 'iptables' && s.argv.includes('FORWARD'))).toBe(true);
    const afterFewer = rootRules(await l.observe());
    expect(afterFewer.filter((r) => r.managed)).toHaveLength(RULES.length - 1);
    expect(afterFewer.find((r) => r.chain === 'FORWARD')).toMatchObject({ managed: false, args: hand });

    // No root in the document: every rule of the lab's goes, the hand-made ones stay, in place.
    const none = await applyOk(l, lab());
    expect(none.steps.map((s) => s.argv.slice(0, 4).join(' '))).toEqual([
      'iptables -D FORWARD -i',
      'iptables -D FORWARD -i',
      'iptables -t nat -D',
    ]);
    const left = rootRules(await l.observe());
    expect(left.map((r) => [r.table, r.chain, r.args, r.managed])).toEqual([
      ['filter', 'FORWARD', hand, false],
      ['nat', 'POSTROUTING', ['-o', 'up0', '-j', 'RETURN'], false],
    ]);
    expect((await l.converge(lab(), { dryRun: true })).plan.steps).toEqual([]);
  });

  it('applies and reads back the same through the live sessions (the agent’s way)', async () => {
    const l = await newLab('rootlive', 'live');
    await applyOk(l, lab({ rules: RULES }));
    expect(rootRules(await l.observe()).filter((r) => r.managed)).toHaveLength(RULES.length);
    expect((await l.converge(lab({ rules: RULES }), { dryRun: true })).plan.steps).toEqual([]);
  });

  it('stops at a command the kernel refuses, and says which ran and which did not', async () => {
    const l = await newLab('rootfail');
    await applyOk(l, lab({ rules: RULES.slice(0, 2) }));
    // Planned from a read that is stale by the time it runs: the first rule was taken away by hand.
    const stale = l.plan(lab({ rules: RULES.slice(1, 2) }), await l.observe());
    expect(stale.steps.map((s) => s.argv.slice(0, 3).join(' '))).toEqual([
      'iptables -D FORWARD',
      'iptables -D FORWARD',
      'iptables -A FORWARD',
    ]);
    await byHand(l, ['iptables', '-D', 'FORWARD', ...argsOf(RULES[0]!)]);
    const report = await l.apply(stale);
    expect(report.ok).toBe(false);
    expect(report.done).toEqual([]);
    expect(report.failed?.step).toBe(stale.steps[0]);
    expect(report.failed?.stderr).toMatch(/does a matching rule exist/);
    expect(report.notRun).toEqual(stale.steps.slice(1));
  });

  it('is removed by destroy when the sandbox stays (it holds something made by hand), hand rules kept', async () => {
    const l = await newLab('rootdestroy');
    await applyOk(l, lab({ rules: RULES }));
    await byHand(l, ['ip', 'link', 'add', 'hand0', 'type', 'veth', 'peer', 'name', 'hand1']);
    await byHand(l, ['iptables', '-A', 'INPUT', '-i', 'hand0', '-j', 'DROP']);
    const destroyed = await l.destroy({ force: false });
    expect(destroyed.sandboxRemoved).toBe(false);
    expect(destroyed.apply?.ok).toBe(true);
    const left = rootRules(await l.observe());
    expect(left.map((r) => [r.chain, r.args, r.managed])).toEqual([
      ['INPUT', ['-i', 'hand0', '-j', 'DROP'], false],
    ]);
  });
});
