import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  brctlText,
  stepText,
  validateTopology,
  type EndpointSpec,
  type ObservedInterface,
  type ObservedNamespace,
  type ObservedState,
  type Plan,
  type Step,
  type Topology,
  type TopologyInput,
} from '@netcanvas/model';
import { plan } from '../src/plan';

/** A step as the command log shows it: where, the command, why. */
const shown = (steps: readonly Step[]) =>
  steps.map(({ context, argv, reason }) => ({ context, argv, reason }));

// --- documents --------------------------------------------------------------------------------

const topology = (input: TopologyInput): Topology => {
  const result = validateTopology(input);
  if (!result.ok) throw new Error(`invalid test topology: ${JSON.stringify(result.issues)}`);
  return result.value;
};

type EndInput = z.input<typeof EndpointSpec>;

/** The tutorial's first lab: ns0 and ns1 joined by veth0/veth1, 10.0.1.0/24. */
const tutorial = (
  more: { a?: Partial<EndInput>; b?: Partial<EndInput>; namespaces?: TopologyInput['namespaces'] } = {},
): Topology =>
  topology({
    schemaVersion: 1,
    namespaces: more.namespaces ?? [{ name: 'ns0' }, { name: 'ns1' }],
    links: [
      {
        a: { node: 'ns0', ifname: 'veth0', addresses: ['10.0.1.1/24'], ...more.a },
        b: { node: 'ns1', ifname: 'veth1', addresses: ['10.0.1.2/24'], ...more.b },
      },
    ],
  });

/** The bridge example: br0 in the lab's root, one port per namespace ns1..ns3. */
const bridgeExample = (bridge: Partial<NonNullable<TopologyInput['bridges']>[number]> = {}): Topology =>
  topology({
    schemaVersion: 1,
    namespaces: [{ name: 'ns1' }, { name: 'ns2' }, { name: 'ns3' }],
    bridges: [{ name: 'br0', ...bridge }],
    links: [1, 2, 3].map((i) => ({
      a: { node: 'br0', ifname: `veth-ns${i}` },
      b: { node: `ns${i}`, ifname: 'eth0', addresses: [`10.0.2.${i}/24`] },
    })),
  });

// --- observed state -----------------------------------------------------------------------------

/** An interface as the observer reports it; by default an owned veth, up, MTU 1500. */
const iface = (
  ifname: string,
  ifindex: number,
  over: Partial<ObservedInterface> = {},
): ObservedInterface => ({
  ifindex,
  ifname,
  kind: 'veth',
  up: true,
  operstate: 'UP',
  flags: ['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP'],
  mtu: 1500,
  mac: `02:00:00:00:00:${ifindex.toString(16).padStart(2, '0')}`,
  master: null,
  managed: true,
  group: '28259',
  alias: null,
  addresses: [],
  peer: null,
  stp: null,
  stats: null,
  ...over,
});

const lo = (up = true): ObservedInterface =>
  iface('lo', 1, {
    kind: 'loopback',
    up,
    operstate: up ? 'UNKNOWN' : 'DOWN',
    mtu: 65536,
    mac: null,
    managed: false,
    group: 'default',
    addresses: up ? ['127.0.0.1/8', '::1/128'] : [],
  });

/** An unowned (hand-made) interface. */
const foreign = (ifname: string, ifindex: number, over: Partial<ObservedInterface> = {}) =>
  iface(ifname, ifindex, { managed: false, group: 'default', ...over });

/** Two veth ends that point at each other. */
const vethPair = (
  a: { context: string; ifname: string; ifindex: number } & Partial<ObservedInterface>,
  b: { context: string; ifname: string; ifindex: number } & Partial<ObservedInterface>,
): [ObservedInterface, ObservedInterface] => {
  const end = (x: typeof a, y: typeof b) => {
    const { context: _context, ifname, ifindex, ...over } = x;
    return iface(ifname, ifindex, {
      peer: { namespace: y.context, ifindex: y.ifindex, ifname: y.ifname },
      ...over,
    });
  };
  return [end(a, b), end(b, a)];
};

const namespace = (name: string, interfaces: ObservedInterface[], managed = true): ObservedNamespace => ({
  name,
  managed,
  interfaces,
  fdb: [],
});

/** A sandbox's state: its root (with lo, plus `rootInterfaces`) first, then the namespaces. */
const observed = (
  rootInterfaces: ObservedInterface[],
  ...namespaces: ObservedNamespace[]
): ObservedState => ({
  target: { kind: 'sandbox', lab: 'test', pid: 4242 },
  takenAt: '2026-01-01T00:00:00.000Z',
  namespaces: [namespace('root', [lo(), ...rootInterfaces]), ...namespaces],
});

const emptyLab = () => observed([]);

const LINK_LOCAL_0 = 'fe80::ff:fe00:2/64';
const LINK_LOCAL_1 = 'fe80::ff:fe00:3/64';

/** The kernel after the tutorial lab was applied (the kernel added the link-local addresses). */
const tutorialApplied = (
  over: { veth0?: Partial<ObservedInterface>; veth1?: Partial<ObservedInterface> } = {},
  ns0Extra: ObservedInterface[] = [],
) => {
  const [veth0, veth1] = vethPair(
    {
      context: 'ns0',
      ifname: 'veth0',
      ifindex: 2,
      addresses: ['10.0.1.1/24', LINK_LOCAL_0],
      kernelLinkLocal: [LINK_LOCAL_0],
      ...over.veth0,
    },
    {
      context: 'ns1',
      ifname: 'veth1',
      ifindex: 3,
      addresses: ['10.0.1.2/24', LINK_LOCAL_1],
      kernelLinkLocal: [LINK_LOCAL_1],
      ...over.veth1,
    },
  );
  return { ns0: namespace('ns0', [lo(), veth0, ...ns0Extra]), ns1: namespace('ns1', [lo(), veth1]) };
};

// --- assertions ---------------------------------------------------------------------------------

/** Plans, checks that every step runs where its argv says, and returns the plan. */
const planFor = (desired: Topology, state: ObservedState): Plan => {
  const result = plan(desired, state);
  for (const step of result.steps)
    expect(step.context, step.argv.join(' ')).toBe(step.argv[1] === '-n' ? step.argv[2] : 'root');
  return result;
};

const argvs = (p: Plan) => p.steps.map((s) => s.argv);

const G = '28259';

// --- tests --------------------------------------------------------------------------------------

describe('plan from an empty lab', () => {
  it('builds the tutorial veth pair: namespaces, the pair, then each namespace lo-first', () => {
    const p = planFor(tutorial(), emptyLab());
    expect(argvs(p)).toEqual([
      ['ip', 'netns', 'add', 'ns0'],
      ['ip', 'netns', 'set', 'ns0', 'auto'],
      ['ip', 'netns', 'add', 'ns1'],
      ['ip', 'netns', 'set', 'ns1', 'auto'],
      // One request makes both ends, each in its namespace, each marked.
      ['ip', 'link', 'add', 'name', 'veth0', 'netns', 'ns0', 'group', G, 'type', 'veth'].concat([
        'peer',
        'name',
        'veth1',
        'netns',
        'ns1',
        'group',
        G,
      ]),
      ['ip', '-n', 'ns0', 'link', 'set', 'dev', 'lo', 'up'],
      ['ip', '-n', 'ns0', 'addr', 'add', '10.0.1.1/24', 'dev', 'veth0'],
      ['ip', '-n', 'ns0', 'link', 'set', 'dev', 'veth0', 'up'],
      ['ip', '-n', 'ns1', 'link', 'set', 'dev', 'lo', 'up'],
      ['ip', '-n', 'ns1', 'addr', 'add', '10.0.1.2/24', 'dev', 'veth1'],
      ['ip', '-n', 'ns1', 'link', 'set', 'dev', 'veth1', 'up'],
    ]);
    expect(p.conflicts).toEqual([]);
    expect(p.notes).toEqual([]);
  });

  it('configures namespaces in the order the document lists them, whatever their names', () => {
    const p = planFor(tutorial({ namespaces: [{ name: 'ns1' }, { name: 'ns0' }] }), emptyLab());
    expect(p.steps.map((s) => s.context)).toEqual(
      ['root', 'root', 'root', 'root', 'root'].concat(['ns1', 'ns1', 'ns1', 'ns0', 'ns0', 'ns0']),
    );
    expect(argvs(p)[0]).toEqual(['ip', 'netns', 'add', 'ns1']);
  });

  it('builds the bridge example: the bridge, each port with its master, then the far ends', () => {
    const p = planFor(bridgeExample(), emptyLab());
    const port = (i: number) => [
      ['ip', 'link', 'add', 'name', `veth-ns${i}`, 'group', G, 'type', 'veth'].concat([
        'peer',
        'name',
        'eth0',
        'netns',
        `ns${i}`,
        'group',
        G,
      ]),
      ['ip', 'link', 'set', 'dev', `veth-ns${i}`, 'master', 'br0'],
      ['ip', 'link', 'set', 'dev', `veth-ns${i}`, 'up'],
    ];
    const farEnd = (i: number) => [
      ['ip', '-n', `ns${i}`, 'link', 'set', 'dev', 'lo', 'up'],
      ['ip', '-n', `ns${i}`, 'addr', 'add', `10.0.2.${i}/24`, 'dev', 'eth0'],
      ['ip', '-n', `ns${i}`, 'link', 'set', 'dev', 'eth0', 'up'],
    ];
    expect(argvs(p)).toEqual([
      ['ip', 'netns', 'add', 'ns1'],
      ['ip', 'netns', 'set', 'ns1', 'auto'],
      ['ip', 'netns', 'add', 'ns2'],
      ['ip', 'netns', 'set', 'ns2', 'auto'],
      ['ip', 'netns', 'add', 'ns3'],
      ['ip', 'netns', 'set', 'ns3', 'auto'],
      ['ip', 'link', 'add', 'name', 'br0', 'group', G, 'type', 'bridge', 'stp_state', '0'],
      ['ip', 'link', 'set', 'dev', 'br0', 'up'],
      ...port(1),
      ...port(2),
      ...port(3),
      ...farEnd(1),
      ...farEnd(2),
      ...farEnd(3),
    ]);
    expect(p.conflicts).toEqual([]);
  });

  it('creates a bridge with its STP in the add command, then sets its MTU (a port joining would change an MTU given at creation)', () => {
    const p = planFor(bridgeExample({ mtu: 1400, stp: true }), emptyLab());
    const all = argvs(p);
    const add = all.findIndex(
      (a) => a.join(' ') === `ip link add name br0 group ${G} type bridge stp_state 1`,
    );
    const mtu = all.findIndex((a) => a.join(' ') === 'ip link set dev br0 mtu 1400');
    const firstPort = all.findIndex((a) => a.includes('master'));
    expect(add).toBeGreaterThanOrEqual(0);
    expect(mtu).toBeGreaterThan(add);
    expect(firstPort).toBeGreaterThan(mtu);
    expect(all.filter((a) => a.includes('stp_state') || a.includes('mtu'))).toHaveLength(2);
  });

  it('gives a new veth its MTU and MAC at creation, not as drift afterwards', () => {
    const p = planFor(tutorial({ a: { mtu: 9000, mac: '02:00:00:00:00:AA' } }), emptyLab());
    expect(argvs(p).filter((a) => a.includes('veth0'))).toEqual([
      ['ip', 'link', 'add', 'name', 'veth0', 'netns', 'ns0', 'group', G, 'mtu', '9000'].concat([
        'address',
        '02:00:00:00:00:aa',
        'type',
        'veth',
        'peer',
        'name',
        'veth1',
        'netns',
        'ns1',
        'group',
        G,
      ]),
      ['ip', '-n', 'ns0', 'addr', 'add', '10.0.1.1/24', 'dev', 'veth0'],
      ['ip', '-n', 'ns0', 'link', 'set', 'dev', 'veth0', 'up'],
    ]);
  });
});

describe('plan when the kernel already has the lab', () => {
  it('plans nothing when the kernel already matches', () => {
    const { ns0, ns1 } = tutorialApplied();
    const p = planFor(tutorial(), observed([], ns0, ns1));
    expect(p).toEqual({ steps: [], conflicts: [], notes: [] });
  });

  it('plans nothing for the IPv6 link-local addresses the kernel adds to every interface', () => {
    // tutorialApplied() carries fe80:: addresses on both ends; only a global one is drift.
    const { ns0, ns1 } = tutorialApplied({
      veth1: { addresses: ['10.0.1.2/24', LINK_LOCAL_1, '2001:db8::9/64'] },
    });
    const p = planFor(tutorial(), observed([], ns0, ns1));
    expect(argvs(p)).toEqual([['ip', '-n', 'ns1', 'addr', 'del', '2001:db8::9/64', 'dev', 'veth1']]);
  });

  // Known bug (reported): link-local addresses are filtered out of what the kernel has, so one the
  // document asks for is added again on every plan (and `ip addr add` then fails with "File exists").
  it('plans nothing for a link-local address the topology itself asks for, once it is there', () => {
    const { ns0, ns1 } = tutorialApplied({ veth0: { addresses: ['fe80::1/64', LINK_LOCAL_0] } });
    const p = planFor(tutorial({ a: { addresses: ['fe80::1/64'] } }), observed([], ns0, ns1));
    expect(p.steps).toEqual([]);
  });

  it('removes an fe80 address that left the document, and keeps the kernel’s own', () => {
    // The document had fe80::10/64 on veth0 (added with nodad, so not the kernel's), then lost it.
    const { ns0, ns1 } = tutorialApplied({
      veth0: { addresses: ['10.0.1.1/24', 'fe80::10/64', LINK_LOCAL_0] },
    });
    const p = planFor(tutorial(), observed([], ns0, ns1));
    expect(argvs(p)).toEqual([['ip', '-n', 'ns0', 'addr', 'del', 'fe80::10/64', 'dev', 'veth0']]);
  });

  it('takes every fe80 address for the kernel’s when the state does not say which is (written before it did)', () => {
    const { ns0, ns1 } = tutorialApplied({
      veth0: { addresses: ['10.0.1.1/24', 'fe80::10/64', LINK_LOCAL_0], kernelLinkLocal: undefined },
    });
    expect(planFor(tutorial(), observed([], ns0, ns1)).steps).toEqual([]);
  });

  it('replaces only a changed address: addr del of the old, addr add of the new', () => {
    const { ns0, ns1 } = tutorialApplied();
    const p = planFor(tutorial({ a: { addresses: ['10.0.1.5/24'] } }), observed([], ns0, ns1));
    expect(shown(p.steps)).toEqual([
      {
        context: 'ns0',
        argv: ['ip', '-n', 'ns0', 'addr', 'del', '10.0.1.1/24', 'dev', 'veth0'],
        reason: 'address not in the topology',
      },
      {
        context: 'ns0',
        argv: ['ip', '-n', 'ns0', 'addr', 'add', '10.0.1.5/24', 'dev', 'veth0'],
        reason: 'address missing',
      },
    ]);
  });

  it('compares IPv6 addresses in their canonical form', () => {
    const { ns0, ns1 } = tutorialApplied({ veth0: { addresses: ['10.0.1.1/24', '2001:db8::1/64'] } });
    const p = planFor(
      tutorial({ a: { addresses: ['10.0.1.1/24', '2001:DB8:0:0::1/64'] } }),
      observed([], ns0, ns1),
    );
    expect(p.steps).toEqual([]);
  });

  it('deletes a removed link with one link del (its peer goes with it)', () => {
    const { ns0, ns1 } = tutorialApplied();
    const p = planFor(
      topology({ schemaVersion: 1, namespaces: [{ name: 'ns0' }, { name: 'ns1' }] }),
      observed([], ns0, ns1),
    );
    expect(shown(p.steps)).toEqual([
      {
        context: 'ns0',
        argv: ['ip', '-n', 'ns0', 'link', 'del', 'dev', 'veth0'],
        reason: 'owned, not in the topology as it is',
      },
    ]);
  });

  it('adds a new namespace with netns add, set auto and its lo up, and nothing else', () => {
    const { ns0, ns1 } = tutorialApplied();
    const p = planFor(
      tutorial({ namespaces: [{ name: 'ns0' }, { name: 'ns1' }, { name: 'ns2' }] }),
      observed([], ns0, ns1),
    );
    expect(argvs(p)).toEqual([
      ['ip', 'netns', 'add', 'ns2'],
      ['ip', 'netns', 'set', 'ns2', 'auto'],
      ['ip', '-n', 'ns2', 'link', 'set', 'dev', 'lo', 'up'],
    ]);
  });

  it('leaves a new namespace’s lo down when the topology says so', () => {
    const { ns0, ns1 } = tutorialApplied();
    const p = planFor(
      tutorial({ namespaces: [{ name: 'ns0' }, { name: 'ns1' }, { name: 'ns2', loUp: false }] }),
      observed([], ns0, ns1),
    );
    expect(argvs(p)).toEqual([
      ['ip', 'netns', 'add', 'ns2'],
      ['ip', 'netns', 'set', 'ns2', 'auto'],
    ]);
  });

  it('deletes and recreates an owned veth whose peer is not the one the topology pairs it with', () => {
    // veth0 is ours but paired with "old1"; veth1 does not exist.
    const [veth0, old1] = vethPair(
      { context: 'ns0', ifname: 'veth0', ifindex: 2, addresses: ['10.0.1.1/24'] },
      { context: 'ns1', ifname: 'old1', ifindex: 7 },
    );
    const p = planFor(
      tutorial(),
      observed([], namespace('ns0', [lo(), veth0]), namespace('ns1', [lo(), old1])),
    );
    expect(argvs(p)).toEqual([
      // In-namespace deletions come first; old1 goes with veth0, so it is not deleted on its own.
      ['ip', '-n', 'ns0', 'link', 'del', 'dev', 'veth0'],
      ['ip', 'link', 'add', 'name', 'veth0', 'netns', 'ns0', 'group', G, 'type', 'veth'].concat([
        'peer',
        'name',
        'veth1',
        'netns',
        'ns1',
        'group',
        G,
      ]),
      ['ip', '-n', 'ns0', 'addr', 'add', '10.0.1.1/24', 'dev', 'veth0'],
      ['ip', '-n', 'ns0', 'link', 'set', 'dev', 'veth0', 'up'],
      ['ip', '-n', 'ns1', 'addr', 'add', '10.0.1.2/24', 'dev', 'veth1'],
      ['ip', '-n', 'ns1', 'link', 'set', 'dev', 'veth1', 'up'],
    ]);
    expect(p.conflicts).toEqual([]);
  });

  it('recreates a pair whose two names exist but are cross-wired, deleting each wire once', () => {
    const [veth0, other1] = vethPair(
      { context: 'ns0', ifname: 'veth0', ifindex: 2 },
      { context: 'ns1', ifname: 'other1', ifindex: 3 },
    );
    const [other0, veth1] = vethPair(
      { context: 'ns0', ifname: 'other0', ifindex: 4 },
      { context: 'ns1', ifname: 'veth1', ifindex: 5 },
    );
    const p = planFor(
      tutorial(),
      observed([], namespace('ns0', [lo(), veth0, other0]), namespace('ns1', [lo(), other1, veth1])),
    );
    expect(argvs(p).filter((a) => a.includes('del'))).toEqual([
      ['ip', '-n', 'ns0', 'link', 'del', 'dev', 'veth0'],
      ['ip', '-n', 'ns0', 'link', 'del', 'dev', 'other0'],
    ]);
    expect(argvs(p).filter((a) => a[2] === 'add' && a[1] === 'link')).toHaveLength(1);
  });
});

describe('plan repairs drift', () => {
  it('brings a link that was set down back up', () => {
    const { ns0, ns1 } = tutorialApplied({ veth1: { up: false, operstate: 'DOWN' } });
    const p = planFor(tutorial(), observed([], ns0, ns1));
    expect(shown(p.steps)).toEqual([
      { context: 'ns1', argv: ['ip', '-n', 'ns1', 'link', 'set', 'dev', 'veth1', 'up'], reason: 'is down' },
    ]);
  });

  it('sets a link down when the topology wants it down', () => {
    const { ns0, ns1 } = tutorialApplied();
    const p = planFor(tutorial({ b: { up: false } }), observed([], ns0, ns1));
    expect(argvs(p)).toEqual([['ip', '-n', 'ns1', 'link', 'set', 'dev', 'veth1', 'down']]);
  });

  it('brings lo back up in a namespace', () => {
    const { ns0, ns1 } = tutorialApplied();
    ns0.interfaces[0] = lo(false);
    const p = planFor(tutorial(), observed([], ns0, ns1));
    expect(argvs(p)).toEqual([['ip', '-n', 'ns0', 'link', 'set', 'dev', 'lo', 'up']]);
  });

  it('sets the MTU of a veth end that differs', () => {
    const { ns0, ns1 } = tutorialApplied();
    const p = planFor(tutorial({ a: { mtu: 9000 } }), observed([], ns0, ns1));
    expect(shown(p.steps)).toEqual([
      {
        context: 'ns0',
        argv: ['ip', '-n', 'ns0', 'link', 'set', 'dev', 'veth0', 'mtu', '9000'],
        reason: 'MTU drift',
      },
    ]);
  });

  it('leaves the MTU alone when the topology does not set one', () => {
    const { ns0, ns1 } = tutorialApplied({ veth0: { mtu: 1280 } });
    expect(planFor(tutorial(), observed([], ns0, ns1)).steps).toEqual([]);
  });

  it('sets the MAC of a veth end that differs, comparing MACs in lower case', () => {
    const { ns0, ns1 } = tutorialApplied({ veth0: { mac: '02:00:00:00:00:aa' } });
    expect(planFor(tutorial({ a: { mac: '02:00:00:00:00:AA' } }), observed([], ns0, ns1)).steps).toEqual([]);
    expect(argvs(planFor(tutorial({ a: { mac: '02:00:00:00:00:bb' } }), observed([], ns0, ns1)))).toEqual([
      ['ip', '-n', 'ns0', 'link', 'set', 'dev', 'veth0', 'address', '02:00:00:00:00:bb'],
    ]);
  });

  const bridgeApplied = (br: Partial<ObservedInterface> = {}, portMaster: string | null = 'br0') => {
    const root: ObservedInterface[] = [
      iface('br0', 2, { kind: 'bridge', stp: false, addresses: ['fe80::ff:fe00:2/64'], ...br }),
    ];
    const namespaces: ObservedNamespace[] = [];
    for (const i of [1, 2, 3]) {
      const [port, eth0] = vethPair(
        { context: 'root', ifname: `veth-ns${i}`, ifindex: 2 + i, master: portMaster },
        { context: `ns${i}`, ifname: 'eth0', ifindex: 2, addresses: [`10.0.2.${i}/24`] },
      );
      root.push(port);
      namespaces.push(namespace(`ns${i}`, [lo(), eth0]));
    }
    return observed(root, ...namespaces);
  };

  it('plans nothing for the bridge example once it is built', () => {
    expect(planFor(bridgeExample(), bridgeApplied())).toEqual({ steps: [], conflicts: [], notes: [] });
  });

  it('turns STP on with one bridgeSetStp when it drifted off', () => {
    const p = planFor(bridgeExample({ stp: true }), bridgeApplied());
    expect(shown(p.steps)).toEqual([
      {
        context: 'root',
        argv: ['ip', 'link', 'set', 'dev', 'br0', 'type', 'bridge', 'stp_state', '1'],
        reason: 'STP drift',
      },
    ]);
    expect(brctlText(p.steps[0]!)).toBe('brctl stp br0 on');
  });

  it('sets the MTU of a bridge that differs', () => {
    const p = planFor(bridgeExample({ mtu: 1400 }), bridgeApplied());
    expect(argvs(p)).toEqual([['ip', 'link', 'set', 'dev', 'br0', 'mtu', '1400']]);
  });

  it('puts a port back on its bridge', () => {
    const p = planFor(bridgeExample(), bridgeApplied({}, null));
    expect(p.steps.map((s) => [s.argv, s.reason])).toEqual(
      [1, 2, 3].map((i) => [
        ['ip', 'link', 'set', 'dev', `veth-ns${i}`, 'master', 'br0'],
        'not a port of its bridge',
      ]),
    );
  });

  it('takes a veth end off a bridge the topology does not put it on', () => {
    const { ns0, ns1 } = tutorialApplied({ veth0: { master: 'brx' } });
    const p = planFor(tutorial(), observed([], ns0, ns1));
    expect(argvs(p)).toEqual([['ip', '-n', 'ns0', 'link', 'set', 'dev', 'veth0', 'nomaster']]);
  });
});

describe('plan never touches what netcanvas did not make', () => {
  it('reports an unmanaged interface in the way of a desired one as a conflict, with no step for it', () => {
    const p = planFor(
      tutorial(),
      observed(
        [],
        namespace('ns0', [lo(), foreign('veth0', 2, { kind: 'dummy' })]),
        namespace('ns1', [lo()]),
      ),
    );
    expect(p.conflicts).toEqual([
      {
        path: 'links[0].a.ifname',
        message:
          'interface "veth0" in namespace "ns0" exists and netcanvas did not make it; rename it or adopt it',
      },
    ]);
    expect(p.steps).toEqual([]);
  });

  it('does not adopt a hand-made veth pair that already has the desired names and peering', () => {
    const { ns0, ns1 } = tutorialApplied({
      veth0: { managed: false, group: 'default' },
      veth1: { managed: false, group: 'default' },
    });
    const p = planFor(tutorial(), observed([], ns0, ns1));
    expect(p.conflicts.map((c) => c.path)).toEqual(['links[0].a.ifname', 'links[0].b.ifname']);
    expect(p.steps).toEqual([]);
  });

  it('names the lab root in the conflict when the interface in the way is there', () => {
    const doc = topology({
      schemaVersion: 1,
      namespaces: [{ name: 'ns0' }],
      links: [{ a: { node: 'root', ifname: 'eth0' }, b: { node: 'ns0', ifname: 'eth0' } }],
    });
    const p = planFor(doc, observed([foreign('eth0', 2)], namespace('ns0', [lo()])));
    expect(p.conflicts).toEqual([
      {
        path: 'links[0].a.ifname',
        message:
          'interface "eth0" in the lab\'s root exists and netcanvas did not make it; rename it or adopt it',
      },
    ]);
    expect(argvs(p).flat()).not.toContain('eth0');
  });

  it('reports a bridge of that name made by hand as a conflict, and builds no port on it', () => {
    const p = planFor(bridgeExample(), observed([foreign('br0', 2, { kind: 'bridge', stp: false })]));
    expect(p.conflicts).toEqual([
      {
        path: expect.stringMatching(/^bridges\[0\]/),
        message:
          'interface "br0" in the lab\'s root exists and netcanvas did not make it; rename it or adopt it',
      },
    ]);
    expect(argvs(p).filter((a) => a[1] === 'link' && a[2] === 'add' && a.includes('br0'))).toEqual([]);
  });

  // Known bug (reported): the ports are still created and `ip link set dev veth-nsN master br0`
  // enslaves them to the hand-made bridge. Flip to `it` once plan skips ports of a blocked bridge.
  it('plans no port on a bridge that is in conflict', () => {
    const p = planFor(bridgeExample(), observed([foreign('br0', 2, { kind: 'bridge', stp: false })]));
    expect(argvs(p).filter((a) => a.includes('master'))).toEqual([]);
  });

  it('reports a desired namespace that exists but is not owned as a conflict, and plans nothing in it', () => {
    const p = planFor(
      tutorial(),
      observed([], namespace('ns0', [lo(false)], false), namespace('ns1', [lo()])),
    );
    expect(p.conflicts).toEqual([
      {
        path: 'namespaces[0]',
        message: 'namespace "ns0" exists and netcanvas did not make it; rename yours or adopt it',
      },
    ]);
    expect(p.steps.filter((s) => s.context === 'ns0' || s.argv.includes('ns0'))).toEqual([]);
  });

  it('never deletes an unmanaged namespace, and deletes a managed one not in the topology', () => {
    const [x0, x1] = vethPair(
      { context: 'mine', ifname: 'x0', ifindex: 2 },
      { context: 'mine', ifname: 'x1', ifindex: 3 },
    );
    const p = planFor(
      topology({ schemaVersion: 1 }),
      observed([], namespace('theirs', [lo()], false), namespace('mine', [lo(), x0, x1], true)),
    );
    // The namespace takes its own interfaces with it: no link del for x0/x1.
    expect(shown(p.steps)).toEqual([
      { context: 'root', argv: ['ip', 'netns', 'del', 'mine'], reason: 'owned, not in the topology' },
    ]);
    expect(p.conflicts).toEqual([]);
  });

  it('keeps an owned namespace that holds a hand-made interface, with a note, deleting only what it owns', () => {
    const p = planFor(
      topology({ schemaVersion: 1 }),
      observed(
        [],
        namespace('old', [
          lo(),
          foreign('hand1', 2, { peer: { namespace: 'root', ifindex: 9, ifname: 'hand0' } }),
          iface('x0', 3, { kind: 'dummy' }),
        ]),
      ),
    );
    expect(argvs(p)).toEqual([['ip', '-n', 'old', 'link', 'del', 'dev', 'x0']]);
    expect(p.notes).toEqual(['kept namespace "old": it holds interfaces netcanvas did not make (hand1)']);
  });

  it('never deletes a hand-made veth in a managed namespace', () => {
    const [hand0, hand1] = vethPair(
      { context: 'root', ifname: 'hand0', ifindex: 9, managed: false, group: 'default' },
      { context: 'ns0', ifname: 'hand1', ifindex: 4, managed: false, group: 'default' },
    );
    const { ns0, ns1 } = tutorialApplied({}, [hand1]);
    expect(planFor(tutorial(), observed([hand0], ns0, ns1))).toEqual({ steps: [], conflicts: [], notes: [] });
  });

  it('deletes an owned leftover interface in the lab root', () => {
    const p = planFor(
      tutorial(),
      observed([iface('brold', 2, { kind: 'bridge', stp: false })], ...Object.values(tutorialApplied())),
    );
    expect(shown(p.steps)).toEqual([
      {
        context: 'root',
        argv: ['ip', 'link', 'del', 'dev', 'brold'],
        reason: 'owned, not in the topology as it is',
      },
    ]);
  });
});

describe('plan gives each bridge step its brctl form (brctl ≡ ip)', () => {
  const brctlOf = (p: Plan) => p.steps.map((s) => [stepText(s), brctlText(s)]);

  it('builds the bridge example with brctl addbr, then brctl addif for each port', () => {
    const withBrctl = brctlOf(planFor(bridgeExample(), emptyLab())).filter(([, b]) => b !== null);
    expect(withBrctl).toEqual([
      [`ip link add name br0 group ${G} type bridge stp_state 0`, 'brctl addbr br0'],
      ...[1, 2, 3].map((i) => [`ip link set dev veth-ns${i} master br0`, `brctl addif br0 veth-ns${i}`]),
    ]);
  });

  it('takes a port off the bridge it is on with brctl delif, naming that bridge', () => {
    const { ns0, ns1 } = tutorialApplied({ veth0: { master: 'brx' } });
    expect(brctlOf(planFor(tutorial(), observed([], ns0, ns1)))).toEqual([
      ['ip -n ns0 link set dev veth0 nomaster', 'ip netns exec ns0 brctl delif brx veth0'],
    ]);
  });

  it('deletes an owned bridge with brctl delbr, and a veth with no brctl form', () => {
    const [gone0, gone1] = vethPair(
      { context: 'root', ifname: 'old0', ifindex: 7 },
      { context: 'root', ifname: 'old1', ifindex: 8 },
    );
    const p = planFor(
      tutorial(),
      observed(
        [iface('brold', 2, { kind: 'bridge', stp: false }), gone0, gone1],
        ...Object.values(tutorialApplied()),
      ),
    );
    expect(brctlOf(p)).toEqual([
      ['ip link del dev brold', 'brctl delbr brold'],
      ['ip link del dev old0', null],
    ]);
  });

  it('makes a bridge with STP on as brctl addbr, then brctl stp on', () => {
    const withBrctl = brctlOf(planFor(bridgeExample({ stp: true }), emptyLab())).filter(([, b]) => b);
    expect(withBrctl[0]).toEqual([
      `ip link add name br0 group ${G} type bridge stp_state 1`,
      'brctl addbr br0 && brctl stp br0 on',
    ]);
  });
});
