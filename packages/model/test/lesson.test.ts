import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  describeLessonIssue,
  emptyTopology,
  goalSentence,
  judgeGoal,
  parseLesson,
  pingSummary,
  probesOf,
  unwatchedReads,
  type GoalCheck,
  type ObservedNamespace,
  type ObservedState,
  type PathResult,
  type ProbeOutcome,
} from '../src';
import { observedVeth } from './fixtures';

const examples = {
  'veth-pair': {
    schemaVersion: 1,
    namespaces: [{ name: 'ns0' }, { name: 'ns1' }],
    links: [{ a: { node: 'ns0', ifname: 'veth0' }, b: { node: 'ns1', ifname: 'veth1' } }],
  },
};

const TINY = `lesson: tiny
title: A tiny lesson
summary: Two namespaces.
steps:
  - id: namespaces
    title: Network namespaces and lo
    text: |
      Make **ns1**, then bring \`lo\` up.
    start: empty
    highlight: [{ palette: namespace }, { node: ns1 }]
    goals:
      - text: ns1 exists
        namespace: { name: ns1 }
      - interfaceUp: { namespace: ns1, ifname: lo }
  - id: pair
    title: A veth pair
    start: veth-pair
    checkpoint: true
    goals:
      - reach: { from: ns0, to: 10.0.1.2 }
      - reach: { from: ns1, to: 10.0.1.1, expect: fail }
`;

/** Every issue of a file that must be refused, as the CLI prints them. */
function refusal(text: string): string[] {
  const parsed = parseLesson(text, { examples });
  expect(parsed.ok).toBe(false);
  return parsed.ok ? [] : parsed.issues.map(describeLessonIssue);
}

describe('parseLesson', () => {
  test('reads a lesson: steps, starts resolved, goals tagged, sentences made where the file gives none', () => {
    const parsed = parseLesson(TINY, { examples });
    if (!parsed.ok) throw new Error(parsed.issues.map(describeLessonIssue).join('\n'));
    const { lesson } = parsed;
    expect(lesson).toMatchObject({ id: 'tiny', title: 'A tiny lesson', summary: 'Two namespaces.' });
    expect(lesson.steps.map((s) => s.id)).toEqual(['namespaces', 'pair']);
    const [first, second] = lesson.steps;
    expect(first?.text).toBe('Make **ns1**, then bring `lo` up.\n');
    expect(first?.start).toEqual(emptyTopology());
    expect(first?.highlight).toEqual([{ palette: 'namespace' }, { node: 'ns1' }]);
    expect(first?.goals).toEqual([
      { text: 'ns1 exists', check: { kind: 'namespace', name: 'ns1' } },
      { text: 'lo is up in ns1', check: { kind: 'interfaceUp', namespace: 'ns1', ifname: 'lo' } },
    ]);
    expect(second?.start?.namespaces.map((n) => n.name)).toEqual(['ns0', 'ns1']);
    expect(second?.checkpoint).toBe(true);
    expect(second?.goals[1]?.check).toEqual({ kind: 'reach', from: 'ns1', to: '10.0.1.1', expect: 'fail' });
  });

  test('a missing step id is refused with its line and field', () => {
    const text = TINY.replace('  - id: pair\n', '  -\n');
    expect(refusal(text)).toEqual([expect.stringMatching(/^line 16: steps\[1\]\.id: /)]);
  });

  test('an unknown goal kind is refused, naming the kinds there are', () => {
    const text = TINY.replace(
      '      - interfaceUp: { namespace: ns1, ifname: lo }',
      '      - linkUp: { ns: ns1 }',
    );
    expect(refusal(text)).toEqual([
      expect.stringMatching(
        /^line 14: steps\[0\]\.goals\[1\]\.linkUp: unknown goal kind "linkUp" \(one of namespace, /,
      ),
    ]);
  });

  test("a goal naming a namespace the step's lab cannot have is refused, the field named", () => {
    const text = TINY.replace('reach: { from: ns1, to: 10.0.1.1', 'reach: { from: ns9, to: 10.0.1.1');
    expect(refusal(text)).toEqual([
      'line 21: steps[1].goals[1].reach.from: namespace "ns9" is not in this step\'s lab (root, ns0, ns1)',
    ]);
  });

  test('a step after a start knows only that start: ns1 of step 1 is gone in a lab replaced by empty', () => {
    const text = `lesson: x
title: X
steps:
  - id: a
    title: A
    goals: [{ namespace: { name: ns1 } }]
  - id: b
    title: B
    start: empty
    goals: [{ all: [{ namespace: { name: h1 } }, { interfaceUp: { namespace: ns1, ifname: lo } }] }]
`;
    expect(refusal(text)).toEqual([
      'line 10: steps[1].goals[0].all[1].interfaceUp.namespace: namespace "ns1" is not in this step\'s lab (root, h1)',
    ]);
  });

  test('bad YAML is refused with its line', () => {
    expect(refusal('lesson: x\ntitle: [unclosed\nsteps: []\n')).toEqual([
      expect.stringMatching(/^line [23]: \(yaml\): /),
    ]);
    expect(refusal('lesson: x\nlesson: y\n')).toEqual([
      expect.stringMatching(/^line 2: \(yaml\): .*unique/i),
    ]);
  });

  test('wrong values are refused with the line of their field', () => {
    expect(refusal(TINY.replace('to: 10.0.1.2 }', 'to: 10.0.1.300 }'))).toEqual([
      expect.stringMatching(/^line 20: steps\[1\]\.goals\[0\]\.reach\.to: "10.0.1.300" is not/),
    ]);
    expect(refusal(TINY.replace('start: veth-pair', 'start: no-such-lab'))).toEqual([
      'line 17: steps[1].start: no example named "no-such-lab" (veth-pair)',
    ]);
  });

  test('two steps with one id, and a goal with two kinds, are refused', () => {
    const text = TINY.replace('id: pair', 'id: namespaces').replace(
      '      - text: ns1 exists\n        namespace: { name: ns1 }',
      '      - namespace: { name: ns1 }\n        interfaceUp: { namespace: ns1, ifname: lo }',
    );
    expect(refusal(text)).toEqual([
      'line 12: steps[0].goals[0]: a goal has one kind, not namespace and interfaceUp',
    ]);
    expect(refusal(TINY.replace('id: pair', 'id: namespaces'))).toEqual([
      'line 15: steps[1].id: a second step with id "namespaces"',
    ]);
  });
});

// ---- the goal checker ---------------------------------------------------------------------------

const ns = (name: string, extra: Partial<ObservedNamespace> = {}): ObservedNamespace => ({
  name,
  managed: true,
  interfaces: [],
  fdb: [],
  ...extra,
});

/** A lab as the tutorial's step leaves it: ns0 and ns1 joined by veth0/veth1, br0 in the root. */
function lab(): ObservedState {
  return {
    target: { kind: 'sandbox', lab: 't', pid: 1 },
    takenAt: '2026-01-01T00:00:00Z',
    namespaces: [
      ns('root', {
        interfaces: [
          observedVeth('br0', { kind: 'bridge', peer: null }),
          observedVeth('vp0', { master: 'br0' }),
        ],
        fdb: [
          { bridge: 'br0', mac: '02:00:00:00:00:01', port: 'vp0', vlan: null, learned: true, ageSeconds: 1 },
          { bridge: 'br0', mac: '02:00:00:00:00:02', port: 'vp0', vlan: null, learned: true, ageSeconds: 1 },
          {
            bridge: 'br0',
            mac: '02:00:00:00:00:03',
            port: 'br0',
            vlan: null,
            learned: false,
            ageSeconds: null,
          },
        ],
        firewall: {
          chains: [],
          rules: [
            {
              table: 'mangle',
              chain: 'PREROUTING',
              args: ['-j', 'TTL', '--ttl-set', '64'],
              managed: false,
              packets: 0,
              bytes: 0,
            },
          ],
        },
      }),
      ns('ns0', {
        interfaces: [
          observedVeth('lo', { kind: 'loopback', up: false, addresses: [], peer: null }),
          observedVeth('veth0', {
            addresses: ['10.0.1.1/24'],
            peer: { namespace: 'ns1', ifindex: 7, ifname: 'veth1' },
          }),
        ],
        routes: [
          { to: '10.0.1.0/24', via: null, dev: 'veth0', protocol: 'kernel', metric: null, managed: false },
          {
            type: 'blackhole',
            to: '10.9.0.0/16',
            via: null,
            dev: null,
            protocol: 'boot',
            metric: null,
            managed: false,
          },
        ],
        forwarding: false,
      }),
      ns('ns1', {
        interfaces: [
          observedVeth('veth1', { up: false, peer: { namespace: 'ns0', ifindex: 6, ifname: 'veth0' } }),
        ],
      }),
    ],
  };
}

const noProbes = { probe: () => undefined };
const judge = (check: GoalCheck, probe: (p: unknown) => ProbeOutcome | undefined = noProbes.probe) =>
  judgeGoal(check, { document: emptyTopology(), observed: lab(), probe });

describe('judgeGoal: state goals, each met and unmet', () => {
  const cases: [string, GoalCheck, 'met' | 'unmet' | 'checking', RegExp][] = [
    ['namespace', { kind: 'namespace', name: 'ns1' }, 'met', /ns1 exists/],
    ['namespace', { kind: 'namespace', name: 'ns9' }, 'unmet', /no namespace ns9/],
    ['interfaceUp', { kind: 'interfaceUp', namespace: 'ns0', ifname: 'veth0' }, 'met', /veth0 is up/],
    ['interfaceUp', { kind: 'interfaceUp', namespace: 'ns0', ifname: 'lo' }, 'unmet', /lo is down in ns0/],
    ['interfaceUp', { kind: 'interfaceUp', namespace: 'ns1', ifname: 'eth0' }, 'unmet', /ns1 has no eth0/],
    [
      'address',
      { kind: 'address', namespace: 'ns0', ifname: 'veth0', cidr: '10.0.1.1/24' },
      'met',
      /veth0 has 10.0.1.1\/24/,
    ],
    ['address', { kind: 'address', namespace: 'ns0', cidr: '10.0.1.1/24' }, 'met', /veth0/],
    [
      'address',
      { kind: 'address', namespace: 'ns0', cidr: '10.0.1.9/24' },
      'unmet',
      /has 10.0.1.1\/24, not 10.0.1.9\/24/,
    ],
    [
      'vethPeer',
      { kind: 'vethPeer', namespace: 'ns1', ifname: 'veth1', peer: { namespace: 'ns0', ifname: 'veth0' } },
      'met',
      /veth1's peer is veth0 in ns0/,
    ],
    [
      'vethPeer',
      { kind: 'vethPeer', namespace: 'ns1', ifname: 'veth1', peer: { namespace: 'ns2', ifname: 'veth0' } },
      'unmet',
      /in ns0/,
    ],
    [
      'bridgePort',
      { kind: 'bridgePort', namespace: 'root', bridge: 'br0', port: 'vp0' },
      'met',
      /vp0 is a port of br0/,
    ],
    [
      'bridgePort',
      { kind: 'bridgePort', namespace: 'root', bridge: 'br1', port: 'vp0' },
      'unmet',
      /port of br0/,
    ],
    [
      'learnedMacs',
      { kind: 'learnedMacs', namespace: 'root', bridge: 'br0', atLeast: 2 },
      'met',
      /learned 2 MACs/,
    ],
    [
      'learnedMacs',
      { kind: 'learnedMacs', namespace: 'root', bridge: 'br0', atLeast: 3 },
      'unmet',
      /learned 2 MACs/,
    ],
    [
      'route',
      { kind: 'route', namespace: 'ns0', to: '10.0.1.0/24', dev: 'veth0' },
      'met',
      /10.0.1.0\/24 dev veth0/,
    ],
    [
      'route',
      { kind: 'route', namespace: 'ns0', to: 'default', via: '10.0.1.2' },
      'unmet',
      /no route to default/,
    ],
    ['route', { kind: 'route', namespace: 'ns1', to: 'default' }, 'checking', /reading ns1's routes/],
    [
      'route',
      { kind: 'route', namespace: 'ns0', type: 'blackhole', to: '10.9.0.0/16' },
      'met',
      /ns0: blackhole 10.9.0.0\/16/,
    ],
    // A blackhole is not a way there: a goal for a (unicast) route to it is not met.
    [
      'route',
      { kind: 'route', namespace: 'ns0', to: '10.9.0.0/16' },
      'unmet',
      /ns0 has blackhole 10.9.0.0\/16/,
    ],
    ['forwarding', { kind: 'forwarding', namespace: 'ns0', on: false }, 'met', /does not forward/],
    ['forwarding', { kind: 'forwarding', namespace: 'ns0', on: true }, 'unmet', /ip_forward = 0/],
    [
      'rule',
      { kind: 'rule', namespace: 'root', table: 'mangle', target: 'TTL' },
      'met',
      /-A PREROUTING -j TTL --ttl-set 64/,
    ],
    ['rule', { kind: 'rule', namespace: 'root', table: 'mangle', matches: ['--ttl-set 64'] }, 'met', /TTL/],
    [
      'rule',
      { kind: 'rule', namespace: 'root', table: 'mangle', matches: ['--ttl-set', '65'] },
      'unmet',
      /is the one/,
    ],
    [
      'rule',
      { kind: 'rule', namespace: 'root', table: 'filter', target: 'DROP' },
      'unmet',
      /no rule in filter/,
    ],
    ['rule', { kind: 'rule', namespace: 'ns0', table: 'filter' }, 'checking', /firewall/],
  ];
  test.each(cases)('%s: %j is %s', (_, check, state, detail) => {
    const status = judge(check);
    expect(status.state).toBe(state);
    expect(status.detail).toMatch(detail);
  });
});

const pathEnding = (end: PathResult['end'], source = '10.1.0.2'): PathResult => ({
  request: { from: 'ns0', to: '10.2.0.2', protocol: 'icmp', port: null },
  probe: { context: 'ns0', argv: ['ping'], exitCode: 0, stderr: '', durationMs: 1 },
  answered: end.kind === 'delivered',
  hops: [
    {
      namespace: 'ns0',
      inInterface: null,
      outInterface: 'veth0',
      route: null,
      source: '10.1.0.2',
      destination: '10.2.0.2',
      hooks: [],
      neighbour: null,
      bridges: [],
      commands: [],
    },
    {
      namespace: 'ns1',
      inInterface: 'veth1',
      outInterface: null,
      route: 'local',
      source,
      destination: '10.2.0.2',
      hooks: [],
      neighbour: null,
      bridges: [],
      commands: [],
    },
  ],
  end,
  commands: [],
  durationMs: 10,
});

describe('judgeGoal: probe goals read the probe the runner ran', () => {
  const reach: GoalCheck = { kind: 'reach', from: 'ns0', to: '10.0.1.2', expect: 'success' };
  test('reach: checking before the probe answers, then met or unmet by the reply', () => {
    expect(judge(reach).state).toBe('checking');
    const replied: ProbeOutcome = { kind: 'ping', replied: true, summary: 'ns0 → 10.0.1.2: 0% loss' };
    const lost: ProbeOutcome = { kind: 'ping', replied: false, summary: 'ns0 → 10.0.1.2: 100% loss' };
    expect(judge(reach, () => replied)).toEqual({ state: 'met', detail: 'ns0 → 10.0.1.2: 0% loss' });
    expect(judge(reach, () => lost)).toEqual({ state: 'unmet', detail: 'ns0 → 10.0.1.2: 100% loss' });
    expect(judge({ ...reach, expect: 'fail' }, () => lost).state).toBe('met');
    expect(judge({ ...reach, expect: 'fail' }, () => replied).state).toBe('unmet');
    expect(judge(reach, () => ({ kind: 'error', message: 'took too long' }))).toEqual({
      state: 'error',
      detail: 'took too long',
    });
  });

  test('a probe from a namespace that is not there is unmet without a probe, even when it must fail', () => {
    expect(
      judge({ ...reach, from: 'ns9', expect: 'fail' }, () => ({ kind: 'ping', replied: false, summary: '' })),
    ).toEqual({
      state: 'unmet',
      detail: 'there is no namespace ns9',
    });
  });

  test('dropped: met only when the path ends dropped where (and in the chain) the goal says', () => {
    const verdict = {
      hook: 'FORWARD',
      table: 'filter',
      chain: 'FORWARD',
      by: 'rule',
      index: 0,
      text: '-A FORWARD -p icmp -j DROP',
      target: 'DROP',
      packets: 1,
    } as const;
    const dropped = {
      kind: 'path',
      result: pathEnding({ kind: 'dropped', namespace: 'ns1', verdict }),
    } as const;
    const check: GoalCheck = {
      kind: 'dropped',
      from: 'ns0',
      to: '10.2.0.2',
      protocol: 'icmp',
      at: 'ns1',
      chain: 'FORWARD',
    };
    expect(judge(check, () => dropped)).toEqual({
      state: 'met',
      detail: 'dropped here (ns1), by filter FORWARD rule 1: -A FORWARD -p icmp -j DROP',
    });
    expect(judge({ ...check, chain: 'INPUT' }, () => dropped).state).toBe('unmet');
    expect(judge({ ...check, at: 'ns0' }, () => dropped).state).toBe('unmet');
    const delivered = {
      kind: 'path',
      result: pathEnding({ kind: 'delivered', namespace: 'ns1', answered: true }),
    } as const;
    expect(judge(check, () => delivered)).toEqual({ state: 'unmet', detail: 'delivered to ns1' });
  });

  test('sourceSeen: the source the destination saw (after NAT)', () => {
    const check: GoalCheck = {
      kind: 'sourceSeen',
      from: 'ns0',
      to: '10.2.0.2',
      protocol: 'icmp',
      source: '10.2.0.1',
    };
    const natted = {
      kind: 'path',
      result: pathEnding({ kind: 'delivered', namespace: 'ns1', answered: true }, '10.2.0.1'),
    } as const;
    const plain = {
      kind: 'path',
      result: pathEnding({ kind: 'delivered', namespace: 'ns1', answered: true }),
    } as const;
    expect(judge(check, () => natted)).toEqual({
      state: 'met',
      detail: "ns1 sees ns0's packet from 10.2.0.1",
    });
    expect(judge(check, () => plain)).toEqual({
      state: 'unmet',
      detail: "ns1 sees ns0's packet from 10.1.0.2",
    });
    const noRoute = {
      kind: 'path',
      result: pathEnding({ kind: 'noRoute', namespace: 'ns0', message: 'Network is unreachable' }),
    } as const;
    expect(judge(check, () => noRoute).state).toBe('unmet');
  });

  test('probesOf lists one probe per goal; dropped and sourceSeen share a path probe', () => {
    const all: GoalCheck = {
      kind: 'all',
      goals: [
        reach,
        { kind: 'not', goal: { kind: 'dropped', from: 'ns0', to: '10.2.0.2', protocol: 'icmp', at: 'ns1' } },
        { kind: 'namespace', name: 'ns0' },
      ],
    };
    expect(probesOf(all)).toEqual([
      { kind: 'ping', from: 'ns0', to: '10.0.1.2' },
      { kind: 'path', from: 'ns0', to: '10.2.0.2', protocol: 'icmp', port: null },
    ]);
    expect(
      unwatchedReads({
        kind: 'any',
        goals: [
          { kind: 'route', namespace: 'ns0', to: 'default' },
          { kind: 'rule', namespace: 'r1', table: 'nat' },
        ],
      }),
    ).toEqual({
      reread: ['ns0'],
      firewalls: ['r1'],
    });
  });

  test("pingSummary says the loss, or ping's own error", () => {
    expect(
      pingSummary('ns1', '10.0.1.1', ['1 packets transmitted, 0 received, 100% packet loss, time 0ms'], 1),
    ).toBe('ns1 → 10.0.1.1: 100% loss');
    expect(pingSummary('ns1', '10.0.1.1', ['ping: connect: Network is unreachable'], 2)).toBe(
      'ns1 → 10.0.1.1: connect: Network is unreachable',
    );
  });
});

describe('all / any / not', () => {
  const statusOf = (m: 'met' | 'unmet' | 'checking'): GoalCheck =>
    m === 'met'
      ? { kind: 'namespace', name: 'ns0' }
      : m === 'unmet'
        ? { kind: 'namespace', name: 'nsX' }
        : { kind: 'route', namespace: 'ns1', to: 'default' };
  const leaf = fc.constantFrom<'met' | 'unmet' | 'checking'>('met', 'unmet', 'checking');

  test('all is met iff every goal is; any iff one is; not swaps met and unmet and keeps checking', () => {
    fc.assert(
      fc.property(fc.array(leaf, { minLength: 1, maxLength: 6 }), (states) => {
        const goals = states.map(statusOf);
        const all = judge({ kind: 'all', goals }).state;
        const any = judge({ kind: 'any', goals }).state;
        expect(all === 'met').toBe(states.every((s) => s === 'met'));
        expect(any === 'met').toBe(states.some((s) => s === 'met'));
        if (states.includes('unmet')) expect(all).toBe('unmet');
        if (!states.includes('met') && states.includes('checking')) expect(any).toBe('checking');
        const not = judge({ kind: 'not', goal: { kind: 'all', goals } }).state;
        expect(not).toBe(all === 'met' ? 'unmet' : all === 'unmet' ? 'met' : all);
      }),
    );
  });

  test('every goal has a sentence', () => {
    expect(
      goalSentence({ kind: 'not', goal: { kind: 'reach', from: 'ns1', to: '127.0.0.1', expect: 'fail' } }),
    ).toBe('not: ns1 does not reach 127.0.0.1');
  });
});
