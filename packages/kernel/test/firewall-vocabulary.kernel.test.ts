import { describe, expect, it } from 'vitest';
import { type Lab } from '@netcanvas/kernel';
import { run } from '@netcanvas/kernel/testing';
import {
  BUILTIN_CHAINS,
  FirewallRule,
  REJECT_TYPES,
  TABLES,
  findNamespace,
  handRuleFromArgs,
  ruleArgs,
  ruleFromArgs,
  ruleProblem,
  type FirewallRuleInput,
  type Topology,
} from '@netcanvas/model';
import { topology } from './lab-fixture';
import { labsOfEachTest } from './lab-cleanup';

// The firewall vocabulary (issue 9, gap 4) against this machine's iptables, in sandboxes: what
// netcanvas writes is exactly what iptables prints back, what a person types by hand is read back
// as the rule netcanvas would write, and what the model refuses the kernel refuses too.

const newLab = labsOfEachTest();
const iptables = (lab: Lab, argv: string[]) =>
  run(lab.execArgv('fw', ['iptables', ...argv]), { timeoutMs: 10_000 });

/** Every new option, in each of the 14 table/chain pairs. */
const RULES: FirewallRuleInput[] = [
  // raw
  {
    table: 'raw',
    chain: 'PREROUTING',
    source: '10.0.0.0/8',
    not: ['source'],
    protocol: 'udp',
    destinationPorts: [53, '5353:5355'],
    target: 'NOTRACK',
  },
  { table: 'raw', chain: 'PREROUTING', sourceRange: '10.0.1.1-10.0.1.9', target: 'CT' },
  { table: 'raw', chain: 'OUTPUT', protocol: 'icmp', icmpType: 8, not: ['icmpType'], target: 'NOTRACK' },
  { table: 'raw', chain: 'OUTPUT', target: 'MARK', setMark: 1 },
  // mangle: the tutorial's example of mangle is changing the TTL
  { table: 'mangle', chain: 'PREROUTING', inInterface: 'eth0', target: 'TTL', ttlSet: 64 },
  {
    table: 'mangle',
    chain: 'PREROUTING',
    target: 'CONNMARK',
    connmarkAction: 'restore',
    nfMask: 0xff,
    ctMask: 0xff,
  },
  { table: 'mangle', chain: 'PREROUTING', target: 'MARK', setMark: 0x10, setMarkMask: 0xff },
  { table: 'mangle', chain: 'INPUT', mark: { value: 1, mask: 0xff }, target: 'TTL', ttlInc: 1 },
  {
    table: 'mangle',
    chain: 'INPUT',
    target: 'LOG',
    logPrefix: 'mangle in: ',
    logLevel: 6,
    logFlags: ['ip-options', 'uid', 'tcp-sequence'],
  },
  {
    table: 'mangle',
    chain: 'FORWARD',
    inInterface: 'eth0',
    outInterface: 'eth1',
    not: ['inInterface', 'outInterface'],
    target: 'TTL',
    ttlDec: 1,
  },
  {
    table: 'mangle',
    chain: 'FORWARD',
    protocol: 'tcp',
    sourcePorts: ['1:1023'],
    not: ['sourcePorts'],
    target: 'DSCP',
    setDscp: 'EF',
  },
  { table: 'mangle', chain: 'OUTPUT', target: 'TOS', setTos: 0x10, setTosMask: 0x3f },
  { table: 'mangle', chain: 'OUTPUT', target: 'DSCP', setDscp: 10 },
  { table: 'mangle', chain: 'OUTPUT', target: 'CONNMARK', connmarkAction: 'save', ctMask: 0xf0 },
  {
    table: 'mangle',
    chain: 'POSTROUTING',
    connmark: { value: 2, mask: 0xf },
    not: ['connmark'],
    target: 'CONNMARK',
    setMark: 5,
    setMarkMask: 0xff,
  },
  { table: 'mangle', chain: 'POSTROUTING', target: 'TOS', setTos: 0x08 },
  // nat
  {
    table: 'nat',
    chain: 'PREROUTING',
    protocol: 'tcp',
    destination: '10.0.1.0/24',
    not: ['destination'],
    destinationPorts: [80, 443],
    target: 'DNAT',
    toDestination: '10.0.1.2',
    toPort: 8080,
  },
  {
    table: 'nat',
    chain: 'INPUT',
    destinationRange: '10.0.1.1-10.0.1.1',
    target: 'SNAT',
    toSource: '10.0.1.1',
  },
  { table: 'nat', chain: 'INPUT', mark: { value: 3 }, target: 'LOG', logPrefix: 'nat in' },
  {
    table: 'nat',
    chain: 'OUTPUT',
    protocol: 'udp',
    destinationPort: '53:53',
    target: 'DNAT',
    toDestination: '10.0.1.2',
  },
  { table: 'nat', chain: 'OUTPUT', protocol: 'icmp', not: ['protocol'], target: 'RETURN' },
  {
    table: 'nat',
    chain: 'POSTROUTING',
    source: '10.0.1.0/24',
    destination: '10.0.1.0/24',
    not: ['destination'],
    outInterface: 'eth0',
    target: 'MASQUERADE',
  },
  {
    table: 'nat',
    chain: 'POSTROUTING',
    state: ['NEW'],
    not: ['state'],
    target: 'SNAT',
    toSource: '10.0.1.1',
  },
  // filter
  { chain: 'INPUT', protocol: 'tcp', destinationPort: 22, target: 'REJECT', rejectWith: 'tcp-reset' },
  {
    chain: 'INPUT',
    target: 'LOG',
    logPrefix: 'DROP IN: ',
    logLevel: 4,
    logFlags: ['tcp-options', 'macdecode'],
  },
  { chain: 'INPUT', source: '0.0.0.0/0', destination: '0.0.0.0/0', target: 'ACCEPT' },
  {
    chain: 'INPUT',
    state: ['INVALID'],
    not: ['state'],
    protocol: 'tcp',
    sourcePort: '0:1023',
    target: 'ACCEPT',
  },
  // Every answer REJECT has (tcp-reset above, with its protocol).
  ...REJECT_TYPES.filter((t) => t !== 'tcp-reset').map((rejectWith): FirewallRuleInput => ({
    chain: 'FORWARD',
    target: 'REJECT',
    rejectWith,
  })),
  { chain: 'FORWARD', target: 'MARK', setMark: 7 },
  { chain: 'FORWARD', sourceRange: '10.0.0.1-10.0.0.9', not: ['sourceRange'], target: 'checks' },
  { chain: 'checks', target: 'LOG', logPrefix: "it's here", logLevel: 0 },
  {
    chain: 'OUTPUT',
    protocol: 'udp',
    sourcePorts: [53],
    destinationPorts: [53, '1000:2000'],
    target: 'ACCEPT',
  },
  { chain: 'OUTPUT', protocol: 'icmp', icmpType: '3/1', target: 'DROP' },
];

const document = (): Topology =>
  topology({
    schemaVersion: 1,
    namespaces: [
      {
        name: 'fw',
        firewall: {
          chains: [{ name: 'checks' }],
          policies: [
            { table: 'raw', chain: 'PREROUTING', policy: 'DROP' },
            { table: 'raw', chain: 'OUTPUT', policy: 'ACCEPT' },
            { table: 'mangle', chain: 'FORWARD', policy: 'DROP' },
            { table: 'mangle', chain: 'POSTROUTING', policy: 'DROP' },
            { chain: 'FORWARD', policy: 'DROP' },
            { chain: 'INPUT', policy: 'DROP' },
          ],
          rules: RULES,
        },
      },
      { name: 'h1' },
    ],
    links: [
      {
        a: { node: 'fw', ifname: 'eth0', addresses: ['10.0.1.1/24'] },
        b: { node: 'h1', ifname: 'eth0', addresses: ['10.0.1.2/24'] },
      },
    ],
  });

describe('the firewall vocabulary on the real kernel', () => {
  it('applies every new option in all 14 table/chain pairs: the kernel prints exactly the words netcanvas wrote, they read back, and a second plan runs nothing', async () => {
    const doc = document();
    const wanted = doc.namespaces[0]!.firewall;
    const pairs = new Set(wanted.rules.map((r) => `${r.table} ${r.chain}`));
    for (const table of TABLES)
      for (const chain of BUILTIN_CHAINS[table]) expect(pairs).toContain(`${table} ${chain}`);

    const lab = await newLab('fwvocab');
    const { plan, report } = await lab.converge(doc, { dryRun: false });
    expect(plan.conflicts).toEqual([]);
    expect(report?.failed ?? null).toBeNull();

    const firewall = findNamespace(await lab.observe(), 'fw')?.firewall;
    if (!firewall) throw new Error('the firewall of fw was not read');
    for (const key of pairs) {
      const [table, chain] = key.split(' ') as [string, string];
      const want = wanted.rules.filter((r) => r.table === table && r.chain === chain);
      const have = firewall.rules.filter((r) => r.managed && r.table === table && r.chain === chain);
      expect(
        have.map((r) => r.args),
        key,
      ).toEqual(want.map(ruleArgs));
      // Read back (as a lost document is recovered): rules that render the same words again.
      const back = have.map((r) => ruleFromArgs(table, chain, r.args));
      expect(
        back.map((r) => (r ? ruleArgs(r) : null)),
        key,
      ).toEqual(want.map(ruleArgs));
    }
    for (const p of wanted.policies)
      expect(firewall.chains.find((c) => c.table === p.table && c.name === p.chain)?.policy).toBe(p.policy);
    // The log prefix with a space went through `ip -batch` as one word, and iptables-save quoted it.
    const save = await iptables(lab, ['-S', 'INPUT']);
    expect(save.stdout).toContain('--log-prefix "DROP IN: "');

    const again = await lab.converge(doc, { dryRun: false });
    expect(again.plan.steps.map((s) => s.argv.join(' '))).toEqual([]);
  });

  it('reads rules typed by hand, the way iptables is usually typed, as the rules netcanvas would write', async () => {
    const lab = await newLab('fwhand');
    await lab.converge(topology({ schemaVersion: 1, namespaces: [{ name: 'fw' }], links: [] }), {
      dryRun: false,
    });
    const typed: [string[], FirewallRuleInput][] = [
      [
        ['-t', 'mangle', '-A', 'PREROUTING', '-j', 'TTL', '--ttl-set', '64'],
        { table: 'mangle', chain: 'PREROUTING', target: 'TTL', ttlSet: 64 },
      ],
      [
        ['-t', 'mangle', '-A', 'OUTPUT', '-j', 'TOS', '--set-tos', 'Minimize-Delay'],
        { table: 'mangle', chain: 'OUTPUT', target: 'TOS', setTos: 0x10, setTosMask: 0x3f },
      ],
      [
        ['-t', 'mangle', '-A', 'OUTPUT', '-j', 'TOS', '--and-tos', '0x0f'],
        { table: 'mangle', chain: 'OUTPUT', target: 'TOS', setTos: 0, setTosMask: 0xf0 },
      ],
      [
        ['-t', 'mangle', '-A', 'OUTPUT', '-j', 'DSCP', '--set-dscp-class', 'af41'],
        { table: 'mangle', chain: 'OUTPUT', target: 'DSCP', setDscp: 0x22 },
      ],
      [
        ['-t', 'mangle', '-A', 'OUTPUT', '-j', 'MARK', '--set-mark', '1'],
        { table: 'mangle', chain: 'OUTPUT', target: 'MARK', setMark: 1 },
      ],
      [
        ['-t', 'mangle', '-A', 'OUTPUT', '-j', 'MARK', '--or-mark', '0xf'],
        { table: 'mangle', chain: 'OUTPUT', target: 'MARK', setMark: 15, setMarkMask: 15 },
      ],
      [
        ['-t', 'mangle', '-A', 'OUTPUT', '-j', 'CONNMARK', '--save-mark'],
        { table: 'mangle', chain: 'OUTPUT', target: 'CONNMARK', connmarkAction: 'save' },
      ],
      [
        ['-t', 'mangle', '-A', 'OUTPUT', '-j', 'CONNMARK', '--restore-mark', '--mask', '0xff'],
        {
          table: 'mangle',
          chain: 'OUTPUT',
          target: 'CONNMARK',
          connmarkAction: 'restore',
          nfMask: 0xff,
          ctMask: 0xff,
        },
      ],
      [['-A', 'INPUT', '-j', 'REJECT'], { chain: 'INPUT', target: 'REJECT' }],
      [
        ['-A', 'INPUT', '-j', 'REJECT', '--reject-with', 'net-unreach'],
        { chain: 'INPUT', target: 'REJECT', rejectWith: 'icmp-net-unreachable' },
      ],
      [
        ['-A', 'INPUT', '-p', 'tcp', '-j', 'REJECT', '--reject-with', 'tcp-rst'],
        { chain: 'INPUT', protocol: 'tcp', target: 'REJECT', rejectWith: 'tcp-reset' },
      ],
      [
        ['-A', 'INPUT', '-j', 'LOG', '--log-prefix', 'DROP IN: ', '--log-level', 'warning'],
        { chain: 'INPUT', target: 'LOG', logPrefix: 'DROP IN: ' },
      ],
      [
        ['-A', 'INPUT', '-j', 'LOG', '--log-uid', '--log-level', 'debug'],
        { chain: 'INPUT', target: 'LOG', logLevel: 7, logFlags: ['uid'] },
      ],
      [
        ['-A', 'INPUT', '-p', 'tcp', '--dport', '22:22', '-j', 'ACCEPT'],
        { chain: 'INPUT', protocol: 'tcp', destinationPort: 22, target: 'ACCEPT' },
      ],
      [
        ['-A', 'INPUT', '-p', 'tcp', '--sport', ':1023', '-j', 'ACCEPT'],
        { chain: 'INPUT', protocol: 'tcp', sourcePort: '0:1023', target: 'ACCEPT' },
      ],
      [
        ['-A', 'INPUT', '-p', '6', '-s', '0.0.0.0/0', '-d', '10.0.0.5', '-j', 'ACCEPT'],
        { chain: 'INPUT', protocol: 'tcp', destination: '10.0.0.5/32', target: 'ACCEPT' },
      ],
      [
        ['-A', 'INPUT', '-p', 'icmp', '--icmp-type', 'echo-request', '-j', 'ACCEPT'],
        { chain: 'INPUT', protocol: 'icmp', icmpType: 8, target: 'ACCEPT' },
      ],
      [
        ['-A', 'INPUT', '-p', 'tcp', '-m', 'multiport', '--dports', '22,80,8000:8080', '-j', 'ACCEPT'],
        { chain: 'INPUT', protocol: 'tcp', destinationPorts: [22, 80, '8000:8080'], target: 'ACCEPT' },
      ],
      [
        ['-A', 'INPUT', '-m', 'iprange', '!', '--src-range', '10.0.0.1-10.0.0.9', '-j', 'DROP'],
        { chain: 'INPUT', sourceRange: '10.0.0.1-10.0.0.9', not: ['sourceRange'], target: 'DROP' },
      ],
      [
        ['-A', 'INPUT', '!', '-i', 'eth0', '!', '-s', '10.0.0.0/8', '-j', 'DROP'],
        {
          chain: 'INPUT',
          source: '10.0.0.0/8',
          inInterface: 'eth0',
          not: ['source', 'inInterface'],
          target: 'DROP',
        },
      ],
      [
        ['-A', 'INPUT', '-m', 'mark', '--mark', '1', '-j', 'ACCEPT'],
        { chain: 'INPUT', mark: { value: 1 }, target: 'ACCEPT' },
      ],
      [
        ['-A', 'INPUT', '-m', 'connmark', '!', '--mark', '2/0xf', '-j', 'ACCEPT'],
        { chain: 'INPUT', connmark: { value: 2, mask: 15 }, not: ['connmark'], target: 'ACCEPT' },
      ],
      [
        ['-A', 'INPUT', '-m', 'conntrack', '!', '--ctstate', 'ESTABLISHED,NEW', '-j', 'ACCEPT'],
        { chain: 'INPUT', state: ['NEW', 'ESTABLISHED'], not: ['state'], target: 'ACCEPT' },
      ],
      [
        ['-t', 'raw', '-A', 'PREROUTING', '-j', 'CT', '--notrack'],
        { table: 'raw', chain: 'PREROUTING', target: 'CT' },
      ],
      [['-t', 'raw', '-A', 'OUTPUT', '-j', 'NOTRACK'], { table: 'raw', chain: 'OUTPUT', target: 'NOTRACK' }],
    ];
    for (const [argv] of typed) expect((await iptables(lab, argv)).exitCode, argv.join(' ')).toBe(0);
    const firewall = findNamespace(await lab.observe(), 'fw')?.firewall;
    const hand = (firewall?.rules ?? []).filter((r) => !r.managed);
    expect(hand).toHaveLength(typed.length);
    // iptables-save lists tables in its own order: find each typed rule in its table and chain.
    for (const [argv, expected] of typed) {
      const rule = FirewallRule.parse(expected);
      const printed = hand.filter((r) => r.table === rule.table && r.chain === rule.chain);
      const read = printed.map((r) => handRuleFromArgs(r.table, r.chain, r.args));
      expect(read, argv.join(' ')).toContainEqual(rule);
    }
  });

  it('refuses what the kernel refuses, by field, and the kernel refuses it too', async () => {
    const lab = await newLab('fwrefuse');
    await lab.converge(topology({ schemaVersion: 1, namespaces: [{ name: 'fw' }], links: [] }), {
      dryRun: false,
    });
    // Each with the words a person would type for it (ruleArgs leaves a "-p all" out, negated or not).
    const refused: [FirewallRuleInput, string, string[]][] = [
      [
        { table: 'nat', chain: 'POSTROUTING', target: 'DROP' },
        'target',
        ['-t', 'nat', '-A', 'POSTROUTING', '-j', 'DROP'],
      ],
      [
        { chain: 'INPUT', target: 'TTL', ttlSet: 5 },
        'target',
        ['-A', 'INPUT', '-j', 'TTL', '--ttl-set', '5'],
      ],
      [
        { table: 'raw', chain: 'PREROUTING', target: 'TOS', setTos: 1 },
        'target',
        ['-t', 'raw', '-A', 'PREROUTING', '-j', 'TOS', '--set-tos', '1'],
      ],
      [
        { chain: 'INPUT', target: 'DSCP', setDscp: 1 },
        'target',
        ['-A', 'INPUT', '-j', 'DSCP', '--set-dscp', '1'],
      ],
      [
        { table: 'mangle', chain: 'INPUT', target: 'REJECT' },
        'target',
        ['-t', 'mangle', '-A', 'INPUT', '-j', 'REJECT'],
      ],
      [{ chain: 'INPUT', target: 'NOTRACK' }, 'target', ['-A', 'INPUT', '-j', 'NOTRACK']],
      [
        { chain: 'INPUT', target: 'REJECT', rejectWith: 'tcp-reset' },
        'rejectWith',
        ['-A', 'INPUT', '-j', 'REJECT', '--reject-with', 'tcp-reset'],
      ],
      [
        { chain: 'INPUT', source: '0.0.0.0/0', not: ['source'], target: 'ACCEPT' },
        'source',
        ['-A', 'INPUT', '!', '-s', '0.0.0.0/0', '-j', 'ACCEPT'],
      ],
      [
        { chain: 'INPUT', protocol: 'all', not: ['protocol'], target: 'ACCEPT' },
        'protocol',
        ['-A', 'INPUT', '!', '-p', 'all', '-j', 'ACCEPT'],
      ],
      [
        { table: 'mangle', chain: 'INPUT', target: 'TTL', ttlInc: 0 },
        'ttlInc',
        ['-t', 'mangle', '-A', 'INPUT', '-j', 'TTL', '--ttl-inc', '0'],
      ],
    ];
    for (const [input, field, typed] of refused) {
      const parsed = FirewallRule.safeParse(input);
      const problem = parsed.success ? ruleProblem(parsed.data, [])?.field : parsed.error.issues[0]?.path[0];
      expect(problem, JSON.stringify(input)).toBe(field);
      expect((await iptables(lab, typed)).exitCode, typed.join(' ')).not.toBe(0);
    }
    expect((await iptables(lab, ['-t', 'nat', '-P', 'PREROUTING', 'DROP'])).exitCode).not.toBe(0);
    // And what the kernel takes, the model takes: MARK outside mangle.
    const mark = FirewallRule.parse({ chain: 'FORWARD', target: 'MARK', setMark: 1 });
    expect(ruleProblem(mark, [])).toBeNull();
    expect((await iptables(lab, ['-A', 'FORWARD', ...ruleArgs(mark)])).exitCode).toBe(0);
  });
});
