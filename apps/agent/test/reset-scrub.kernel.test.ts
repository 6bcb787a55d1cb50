import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ObservedState, Topology } from '@netcanvas/model';
import { startHarness, type AgentHarness } from './agent-fixture';
import { topology } from '../../../packages/kernel/test/lab-fixture';

// The class's reset of a student's lab to its start (`removeHandMade`) on a real agent and a real
// sandbox: what `adopt all` cannot take (kinds, names, routes, rules and firewall words the model
// has none for) must go too, so the lab is exactly its start afterwards.

const start: Topology = topology({
  schemaVersion: 1,
  namespaces: [
    {
      name: 'ns0',
      routes: [{ to: '10.9.0.0/16', via: '10.0.1.2' }],
      firewall: { rules: [{ chain: 'INPUT', protocol: 'icmp', target: 'ACCEPT' }] },
    },
    { name: 'ns1' },
  ],
  links: [
    {
      a: { node: 'ns0', ifname: 'veth0', addresses: ['10.0.1.1/24'] },
      b: { node: 'ns1', ifname: 'veth1', addresses: ['10.0.1.2/24'] },
    },
  ],
  root: { firewall: { rules: [{ chain: 'FORWARD', protocol: 'icmp', target: 'ACCEPT' }] } },
});

/** Hand changes the model has no words for (or that adopt refuses), per namespace. */
const byHand: [string, string][] = [
  // The lab's root: interfaces of kinds the model lacks, addresses on lo, another table's routes,
  // a main-table route of a kind the observer leaves out, policy rules, firewall words the model
  // cannot parse, a hand chain and policy, ip6tables and a table of nft's own.
  ['root', 'ip link add d0 type ifb && ip addr add 10.66.0.1/24 dev d0 && ip link set d0 up'],
  ['root', 'ip link add hbr type bridge && ip link add mv0 link hbr type macvlan mode bridge'],
  ['root', 'ip link add vx0 type vxlan id 42 dstport 4789 dev d0'],
  ['root', 'ip tuntap add dev tap0 mode tap'],
  ['root', 'ip addr add 10.55.0.1/32 dev lo && ip addr add 2001:db8:55::1/128 dev lo'],
  ['root', 'ip route add 10.77.0.0/16 dev d0 table 100 && ip route add throw 10.88.0.0/16'],
  ['root', 'ip rule add from 10.66.0.0/24 lookup 100 pref 1000 && ip -6 rule add lookup 100 pref 1001'],
  ['root', 'iptables -A INPUT -m statistic --mode random --probability 0.5 -j DROP'],
  ['root', 'iptables -N HANDCHAIN && iptables -A FORWARD -p udp -m length --length 100:200 -j HANDCHAIN'],
  ['root', 'ip6tables -A FORWARD -s 2001:db8::/32 -j DROP && nft add table inet handnft'],
  // A namespace of the lab: an interface, a route in another table and a rule for it, firewall words.
  ['ns0', 'ip link add d1 type ifb && ip route add 10.99.0.0/16 via 10.0.1.2 table 200'],
  ['ns0', 'ip rule add pref 500 lookup 200 && ip addr add 10.56.0.1/32 dev lo'],
  [
    'ns0',
    'iptables -I INPUT 1 -m statistic --mode nth --every 3 --packet 0 -j DROP && iptables -P FORWARD DROP',
  ],
  // Namespaces made by hand: one whose name the model refuses, one holding a kind it lacks.
  ['root', 'ip netns add hand+ns && ip netns add handmade && ip -n handmade link add d2 type ifb'],
];

let harness: AgentHarness;

beforeAll(async () => {
  harness = await startHarness('reset-scrub');
}, 60_000);
afterAll(async () => harness?.stop());

const sh = async (ns: string, command: string) => {
  const ran = await harness.sh(ns, ['sh', '-c', command]);
  expect(ran, command).toMatchObject({ exitCode: 0, stderr: '' });
  return ran.stdout;
};

/** Whatever in the kernel is neither the lab's nor the kernel's own, said per namespace. */
async function leftOver(observed: ObservedState): Promise<string[]> {
  const out: string[] = [];
  for (const ns of observed.namespaces) {
    if (ns.name !== 'root' && !ns.managed) {
      out.push(`namespace ${ns.name}`);
      continue;
    }
    for (const i of ns.interfaces)
      if (!i.managed && i.ifname !== 'lo') out.push(`${ns.name}: link ${i.ifname}`);
    const lo = ns.interfaces.find((i) => i.ifname === 'lo');
    for (const a of lo?.addresses ?? [])
      if (a !== '127.0.0.1/8' && a !== '::1/128') out.push(`${ns.name}: lo ${a}`);
    for (const r of ns.routes ?? [])
      if (!r.managed && r.protocol !== 'kernel') out.push(`${ns.name}: route ${r.to}`);
    for (const r of ns.firewall?.rules ?? [])
      if (!r.managed) out.push(`${ns.name}: rule ${r.table} ${r.chain} ${r.args.join(' ')}`);
    for (const c of ns.firewall?.chains ?? []) {
      if (c.policy === null) out.push(`${ns.name}: chain ${c.table} ${c.name}`);
      else if (c.policy !== 'ACCEPT') out.push(`${ns.name}: policy ${c.table} ${c.name} ${c.policy}`);
    }
    // What the observer does not read: every table's routes, policy rules, ip6tables, nft.
    const raw = await sh(
      ns.name,
      'ip route show table all | grep -v "proto kernel" | grep -v "proto 203" || true; ' +
        'ip rule show; ip -6 rule show; ip6tables -S | grep -v "^-P .* ACCEPT$" || true; nft list tables',
    );
    const normal = [
      '0:\tfrom all lookup local',
      '32766:\tfrom all lookup main',
      '32767:\tfrom all lookup default',
      'table ip filter',
      'table ip nat',
      'table ip mangle',
      'table ip raw',
    ];
    for (const line of raw.split('\n').map((l) => l.trim()))
      if (line !== '' && !normal.includes(line) && !/^ff00::\/8 dev \S+ table local/.test(line))
        out.push(`${ns.name}: ${line}`);
  }
  return out;
}

describe("a class's reset of a student's lab to its start", () => {
  it('removes everything made by hand, what adopt cannot take included, and the lab converges', async () => {
    const first = await harness.agent.reset({ document: start }, 'trainer', { removeHandMade: true });
    expect(first).toMatchObject({ type: 'accepted', outcome: { ok: true } });
    expect(await leftOver(await harness.agent.lab.observe())).toEqual([]);

    for (const [ns, command] of byHand) await sh(ns, command);
    expect((await leftOver(await harness.agent.lab.observe())).length).toBeGreaterThan(20);

    const reply = await harness.agent.reset({ document: start }, 'trainer', { removeHandMade: true });
    expect(reply).toMatchObject({ type: 'accepted', outcome: { ok: true } });

    const observed = await harness.agent.lab.observe();
    expect(await leftOver(observed)).toEqual([]);
    expect(observed.namespaces.map((ns) => ns.name).sort()).toEqual(['ns0', 'ns1', 'root']);
    // The lab's own are still there, and nothing is left to do.
    expect(harness.agent.lab.plan(start, observed)).toMatchObject({ steps: [], conflicts: [] });
    const ns0 = observed.namespaces.find((ns) => ns.name === 'ns0');
    expect(ns0?.routes?.filter((r) => r.managed).map((r) => r.to)).toEqual(['10.9.0.0/16']);
    expect(ns0?.firewall?.rules.filter((r) => r.managed)).toHaveLength(1);

    if (reply.type !== 'accepted') return;
    // Every removal is a command in the reply (the command log's), by the trainer, and said.
    const commands = reply.outcome.commands.map((c) => c.argv.join(' '));
    for (const said of [
      'ip netns del hand+ns',
      'ip link del dev d0',
      'ip -n ns0 link del dev d1',
      'ip addr del 10.55.0.1/32 dev lo',
      'ip rule del pref 1000',
      'iptables -X HANDCHAIN',
      'ip netns exec ns0 iptables -P FORWARD ACCEPT',
      'nft delete table inet handnft',
    ])
      expect(
        commands.some((c) => c.startsWith(said)),
        said,
      ).toBe(true);
    expect(reply.outcome.commands.every((c) => c.by === 'trainer' && c.exitCode === 0)).toBe(true);
    expect(reply.outcome.notes?.join('\n')).toMatch(
      /removed what the lab did not make: .*namespace hand\+ns/,
    );
    // And the lab converges: the reconcile of an agent started again on it runs nothing.
    await harness.stopAgent();
    await harness.startAgain();
    expect(harness.agent.reconciled).toMatchObject({ records: [], conflicts: [], kept: [] });
  }, 120_000);
});
