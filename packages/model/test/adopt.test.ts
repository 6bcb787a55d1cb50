import { describe, expect, it } from 'vitest';
import {
  Edit,
  adoptOffer,
  applyEdits,
  describeEdit,
  issuesFromZod,
  emptyTopology,
  expandAdopt,
  recoverTopology,
  stateAfterMarks,
  validateTopology,
  type AdoptPlan,
  type ObservedState,
  type Topology,
  type TopologyInput,
} from '../src';
import { handIface, handLab, handNamespace, handRule, loopback, observedState, peers } from './hand-lab';

const doc = (input: TopologyInput = { schemaVersion: 1 }): Topology => {
  const v = validateTopology(input);
  if (!v.ok) throw new Error(JSON.stringify(v.issues));
  return v.value;
};

const adopted = (
  d: Topology,
  observed: ObservedState,
  edit: object,
): { plan: AdoptPlan; after: Topology } => {
  const plan = expandAdopt(d, observed, { type: 'adopt', ...edit });
  if (!plan.ok) throw new Error(JSON.stringify(plan.issues));
  const after = applyEdits(d, plan.value.edits);
  if (!after.ok) throw new Error(JSON.stringify(after.issues));
  return { plan: plan.value, after: after.value };
};

const refusal = (d: Topology, observed: ObservedState, edit: object) => {
  const plan = expandAdopt(d, observed, { type: 'adopt', ...edit });
  if (plan.ok) throw new Error(`adopted: ${JSON.stringify(plan.value.edits)}`);
  return plan.issues[0];
};

/** The tutorial's bridge, by hand: br0 in the root, h0 plugged in with eth0 ↔ veth0. */
function bridgeByHand(): ObservedState {
  const br0 = handIface('br0', {
    kind: 'bridge',
    stp: false,
    mac: '02:00:00:00:00:b0',
    addresses: ['10.0.2.1/24'],
  });
  const port = handIface('veth0', { master: 'br0', mac: '02:00:00:00:00:01', mtu: 1400 });
  const eth0 = handIface('eth0', {
    mac: '02:00:00:00:00:02',
    mtu: 1400,
    addresses: ['10.0.2.10/24', 'fe80::2/64'],
  });
  peers('root', port, 'h0', eth0);
  return observedState([
    handNamespace('root', { managed: true, interfaces: [loopback(true), br0, port] }),
    handNamespace('h0', {
      interfaces: [loopback(true), eth0],
      forwarding: true,
      routes: [
        { to: '10.0.2.0/24', via: null, dev: 'eth0', protocol: 'kernel', metric: null, managed: false },
        { to: 'default', via: '10.0.2.1', dev: 'eth0', protocol: 'boot', metric: null, managed: false },
      ],
    }),
  ]);
}

describe('adopt: what a thing takes along', () => {
  it('adopting a bridge port before its bridge brings the bridge and the namespace at the other end, in order', () => {
    const observed = bridgeByHand();
    const { plan, after } = adopted(doc(), observed, { namespace: 'root', ifname: 'veth0' });
    expect(plan.edits.map((e) => e.type)).toEqual(['addNamespace', 'addBridge', 'connect']);
    expect(after.bridges).toEqual([
      { name: 'br0', up: true, stp: false, mac: '02:00:00:00:00:b0', addresses: ['10.0.2.1/24'] },
    ]);
    // MACs and MTUs as they are; the port carries no address; h0 forwards as it does.
    expect(after.links).toEqual([
      {
        a: {
          node: 'h0',
          ifname: 'eth0',
          addresses: ['10.0.2.10/24'],
          up: true,
          mtu: 1400,
          mac: '02:00:00:00:00:02',
        },
        b: { node: 'br0', ifname: 'veth0', addresses: [], up: true, mtu: 1400, mac: '02:00:00:00:00:01' },
      },
    ]);
    expect(after.namespaces).toMatchObject([{ name: 'h0', forwarding: true, loUp: true, routes: [] }]);
    expect(plan.namespaces).toEqual(['h0']);
    expect(plan.interfaces.map((i) => `${i.context}:${i.ifname}`).sort()).toEqual([
      'h0:eth0',
      'root:br0',
      'root:veth0',
    ]);
    expect(plan.routes).toEqual([]);
    expect(adoptOffer(doc(), observed, { namespace: 'root', ifname: 'veth0' }).label).toBe(
      'adopt namespace h0, br0 and this veth',
    );
  });

  it("a namespace's routes bring the devices they go through, and the device's peer", () => {
    const observed = bridgeByHand();
    const { plan, after } = adopted(doc(), observed, { namespace: 'h0', routes: true });
    expect(after.namespaces[0]?.routes).toEqual([{ to: 'default', via: '10.0.2.1' }]);
    expect(after.bridges.map((b) => b.name)).toEqual(['br0']);
    expect(plan.routes).toEqual([
      { context: 'h0', route: expect.objectContaining({ to: 'default', via: '10.0.2.1', dev: 'eth0' }) },
    ]);
    const offer = adoptOffer(doc(), observed, { namespace: 'h0', routes: true });
    expect(offer.label).toBe('adopt namespace h0, br0, eth0 and these routes');
  });

  it('adopts blackhole and unreachable routes typed by hand, with their type (no via, no dev)', () => {
    // ip -n ns1 route add blackhole 10.9.0.0/16; ip -n ns1 route add unreachable 10.8.0.0/16 metric 5
    const typed = (type: 'blackhole' | 'unreachable', to: string, metric: number | null) => ({
      type,
      to,
      via: null,
      dev: null,
      protocol: 'boot',
      metric,
      managed: false,
    });
    const observed = observedState([
      handNamespace('root', { managed: true, interfaces: [loopback(true)] }),
      handNamespace('ns1', {
        interfaces: [loopback(true)],
        routes: [typed('blackhole', '10.9.0.0/16', null), typed('unreachable', '10.8.0.0/16', 5)],
      }),
    ]);
    const { plan, after } = adopted(doc(), observed, { all: true });
    expect(after.namespaces[0]?.routes).toEqual([
      { type: 'blackhole', to: '10.9.0.0/16' },
      { type: 'unreachable', to: '10.8.0.0/16', metric: 5 },
    ]);
    expect(plan.routes.map((r) => r.route.type)).toEqual(['blackhole', 'unreachable']);
    expect(plan.left).toEqual([]);
  });

  it('adopts a veth whose two ends are in one namespace, as a pair on that node', () => {
    const foo = handIface('vethfoo', { mac: '02:00:00:00:0f:01' });
    const bar = handIface('vethbar', { mac: '02:00:00:00:0f:02', up: false });
    peers('root', foo, 'root', bar);
    const observed = observedState([
      handNamespace('root', { managed: true, interfaces: [loopback(true), foo, bar] }),
    ]);
    const { plan, after } = adopted(doc(), observed, { namespace: 'root', ifname: 'vethbar' });
    expect(after.links).toEqual([
      {
        a: { node: 'root', ifname: 'vethfoo', addresses: [], up: true, mac: '02:00:00:00:0f:01' },
        b: { node: 'root', ifname: 'vethbar', addresses: [], up: false, mac: '02:00:00:00:0f:02' },
      },
    ]);
    expect(plan.interfaces).toHaveLength(2);
    expect(adoptOffer(doc(), observed, { namespace: 'root', ifname: 'vethfoo' }).label).toBe('adopt');
  });

  it("takes an fe80 address typed by hand, and leaves the kernel's own link-local one out", () => {
    // As the reader tells them (packages/kernel parse.ts): fe80::…:f01 is the EUI-64 of the MAC.
    const kernels = 'fe80::ff:fe00:f01/64';
    const foo = handIface('vethfoo', {
      mac: '02:00:00:00:0f:01',
      addresses: ['fe80::5/64', kernels],
      kernelLinkLocal: [kernels],
    });
    const bar = handIface('vethbar', { mac: '02:00:00:00:0f:02' });
    peers('root', foo, 'root', bar);
    const observed = observedState([
      handNamespace('root', { managed: true, interfaces: [loopback(true), foo, bar] }),
    ]);
    const { after } = adopted(doc(), observed, { namespace: 'root', ifname: 'vethfoo' });
    expect(after.links[0]?.a).toMatchObject({ ifname: 'vethfoo', addresses: ['fe80::5/64'] });
  });

  it('says, field by field, why something cannot be adopted, and changes nothing', () => {
    const dummy = handIface('dummy0', { kind: 'dummy' });
    const lost = handIface('veth9', { peer: { namespace: null, ifindex: 3, ifname: null } });
    const observed = observedState([
      handNamespace('root', { managed: true, interfaces: [loopback(true), dummy, lost] }),
    ]);
    expect(refusal(doc(), observed, { namespace: 'root', ifname: 'dummy0' })).toEqual({
      path: 'edit.ifname',
      message: `"dummy0" in the lab's root is a dummy; netcanvas adopts veths and bridges`,
    });
    expect(refusal(doc(), observed, { namespace: 'root', ifname: 'veth9' })?.message).toBe(
      `"veth9" in the lab's root: its peer is in a namespace this lab cannot see`,
    );
    expect(refusal(doc(), observed, { namespace: 'root' })?.message).toBe(
      "the lab's root is always the lab's",
    );
    expect(refusal(doc(), observed, { namespace: 'nope' })).toEqual({
      path: 'edit.namespace',
      message: 'the lab has no namespace "nope"',
    });
    expect(refusal(doc(), observed, { namespace: 'root', ifname: 'veth9', routes: true })?.path).toBe(
      'edit.routes',
    );
    expect(refusal(doc(), observed, { all: true, namespace: 'root' })?.path).toBe('edit.namespace');
  });

  it('never half-adopts: an address the document refuses keeps the whole interface out', () => {
    const a = handIface('v0', { addresses: ['0.0.0.1/8'] });
    const b = handIface('v1');
    peers('x', a, 'root', b);
    const observed = observedState([
      handNamespace('root', { managed: true, interfaces: [loopback(true), b] }),
      handNamespace('x', { interfaces: [loopback(true), a] }),
    ]);
    const issue = refusal(doc(), observed, { namespace: 'root', ifname: 'v1' });
    expect(issue?.message).toMatch(/address 0\.0\.0\.1\/8 on "v0" in namespace "x"/);
    const all = expandAdopt(doc(), observed, { type: 'adopt', all: true });
    if (!all.ok) throw new Error(JSON.stringify(all.issues));
    expect(all.value.edits).toEqual([expect.objectContaining({ type: 'addNamespace', name: 'x' })]);
    expect(all.value.interfaces).toEqual([]);
    expect(all.value.left.join('\n')).toMatch(/0\.0\.0\.1\/8/);
  });
});

/**
 * The lab's h1 (eth0 10.1.0.2/24, to r1) after, by hand, `ip -n h1 addr add 2001:db8:a::2/64 dev
 * eth0` and `ip -n h1 -6 route add 2001:db8:b::/64 via 2001:db8:a::1`, and an IPv4 route as well:
 * the topology has no IPv6 subnet on eth0, the kernel has.
 */
const handV6Input: TopologyInput = {
  schemaVersion: 1,
  namespaces: [{ name: 'h1' }, { name: 'r1' }],
  links: [
    {
      a: { node: 'h1', ifname: 'eth0', addresses: ['10.1.0.2/24'], mac: '02:00:00:00:01:02' },
      b: { node: 'r1', ifname: 'eth0', addresses: ['10.1.0.1/24'], mac: '02:00:00:00:01:01' },
    },
  ],
};

function handV6Lab(extra: ObservedState['namespaces'][number]['routes'] = []): ObservedState {
  const observed = handLab(handV6Input);
  for (const ns of observed.namespaces) {
    ns.managed = true;
    for (const i of ns.interfaces) if (i.kind !== 'loopback') i.managed = true;
  }
  const h1 = observed.namespaces.find((n) => n.name === 'h1')!;
  const eth0 = h1.interfaces.find((i) => i.ifname === 'eth0')!;
  eth0.addresses = [...eth0.addresses, '2001:db8:a::2/64', 'fe80::2/64'];
  const hand = { protocol: 'boot', managed: false, dev: 'eth0' } as const;
  h1.routes = [
    ...(h1.routes ?? []),
    { to: '2001:db8:a::/64', via: null, dev: 'eth0', protocol: 'kernel', metric: 256, managed: false },
    { ...hand, to: '2001:db8:b::/64', via: '2001:db8:a::1', metric: 1024 },
    { ...hand, to: '10.9.0.0/16', via: '10.1.0.1', metric: null },
    ...extra,
  ];
  return observed;
}

describe('adopt: routes through an address made by hand', () => {
  it('takes the address the gateway needs along; the marked kernel then reads as the document', () => {
    const observed = handV6Lab();
    const { plan, after } = adopted(doc(handV6Input), observed, { namespace: 'h1', routes: true });
    expect(after.links[0]?.a).toMatchObject({
      node: 'h1',
      ifname: 'eth0',
      addresses: ['10.1.0.2/24', '2001:db8:a::2/64'],
    });
    expect(after.namespaces.find((n) => n.name === 'h1')?.routes).toEqual([
      { to: '2001:db8:b::/64', via: '2001:db8:a::1' },
      { to: '10.9.0.0/16', via: '10.1.0.1' },
    ]);
    // Both routes are re-made in place as the lab's; nothing else is marked, nothing is left.
    expect(plan.routes.map((r) => r.route.to)).toEqual(['2001:db8:b::/64', '10.9.0.0/16']);
    expect(plan.namespaces.length + plan.interfaces.length + plan.rules.length).toBe(0);
    expect(plan.left).toEqual([]);
    // What the kernel holds once marked is what the document says: the next plan changes nothing.
    expect(normal(recoverTopology(stateAfterMarks(observed, plan)).document)).toEqual(normal(after));

    const offer = adoptOffer(doc(handV6Input), observed, { namespace: 'h1', routes: true });
    expect(offer).toMatchObject({ ok: true, addresses: ['2001:db8:a::2/64 on eth0'], left: [] });
    expect(offer.counts.routes).toBe(2);
  });

  it('adopts what it can and says, by route, what it cannot and why', () => {
    // ip -n h1 route add 10.8.0.0/16 via 192.168.7.1 dev eth0 onlink: no address reaches it.
    const onlink = {
      to: '10.8.0.0/16',
      via: '192.168.7.1',
      dev: 'eth0',
      protocol: 'boot',
      metric: null,
      managed: false,
    };
    const observed = handV6Lab([onlink]);
    const { plan, after } = adopted(doc(handV6Input), observed, { namespace: 'h1', routes: true });
    const why =
      'route "10.8.0.0/16 via 192.168.7.1 dev eth0" in namespace "h1": 192.168.7.1 is not inside a subnet of "eth0", in the topology or in the kernel';
    expect(plan.left).toEqual([why]);
    expect(after.namespaces.find((n) => n.name === 'h1')?.routes.map((r) => r.to)).toEqual([
      '2001:db8:b::/64',
      '10.9.0.0/16',
    ]);
    expect(adoptOffer(doc(handV6Input), observed, { namespace: 'h1', routes: true }).left).toEqual([why]);

    // Only that one: refused, with the reason by route, and no address is taken for nothing.
    const alone = handV6Lab();
    const h1 = alone.namespaces.find((n) => n.name === 'h1')!;
    h1.routes = (h1.routes ?? []).filter((r) => r.protocol === 'kernel').concat([onlink]);
    expect(refusal(doc(handV6Input), alone, { namespace: 'h1', routes: true })).toEqual({
      path: 'edit.routes',
      message: why,
    });
  });
});

describe('adopt: firewall rules made by hand', () => {
  const fwLab = () => {
    const managed = {
      table: 'filter',
      chain: 'INPUT',
      args: ['-p', 'udp', '-m', 'comment', '--comment', 'netcanvas', '-j', 'ACCEPT'],
      managed: true,
      packets: 0,
      bytes: 0,
    };
    return observedState([
      handNamespace('root', { managed: true }),
      handNamespace('ns1', {
        managed: true,
        firewall: {
          chains: [
            ...(handNamespace('x').firewall?.chains ?? []).map((c) =>
              c.table === 'filter' && c.name === 'FORWARD' ? { ...c, policy: 'DROP' } : c,
            ),
            { table: 'filter', name: 'audit', policy: null, packets: 0, bytes: 0 },
          ],
          rules: [
            handRule('filter', 'INPUT', ['-p', 'icmp', '-j', 'ACCEPT']),
            managed,
            handRule('filter', 'INPUT', ['-p', 'tcp', '-m', 'tcp', '--dport', '22', '-j', 'DROP']),
            handRule('filter', 'INPUT', ['-m', 'weird', '--thing', '-j', 'ACCEPT']),
            handRule('filter', 'FORWARD', ['-j', 'audit']),
            handRule('filter', 'audit', ['-j', 'RETURN']),
          ],
        },
      }),
    ]);
  };
  const fwDoc = () =>
    doc({
      schemaVersion: 1,
      namespaces: [
        { name: 'ns1', firewall: { rules: [{ chain: 'INPUT', protocol: 'udp', target: 'ACCEPT' }] } },
      ],
    });

  it('adopts one rule in place: replaced at its position, and listed in the document where the kernel has it', () => {
    const { plan, after } = adopted(fwDoc(), fwLab(), {
      namespace: 'ns1',
      firewall: {
        table: 'filter',
        chain: 'INPUT',
        args: ['-p', 'tcp', '-m', 'tcp', '--dport', '22', '-j', 'DROP'],
      },
    });
    expect(plan.rules).toEqual([
      expect.objectContaining({
        context: 'ns1',
        table: 'filter',
        chain: 'INPUT',
        position: 3,
        replacement: [
          '-p',
          'tcp',
          '-m',
          'tcp',
          '--dport',
          '22',
          '-m',
          'comment',
          '--comment',
          'netcanvas',
          '-j',
          'DROP',
        ],
        packets: 3,
      }),
    ]);
    expect(after.namespaces[0]?.firewall.rules).toEqual([
      expect.objectContaining({ chain: 'INPUT', protocol: 'udp' }),
      expect.objectContaining({ chain: 'INPUT', protocol: 'tcp', destinationPort: 22, target: 'DROP' }),
    ]);
    // The first rule, before the lab's, goes before it.
    const first = adopted(fwDoc(), fwLab(), {
      namespace: 'ns1',
      firewall: { table: 'filter', chain: 'INPUT', args: ['-p', 'icmp', '-j', 'ACCEPT'] },
    });
    expect(first.after.namespaces[0]?.firewall.rules.map((r) => r.protocol)).toEqual(['icmp', 'udp']);
    expect(first.plan.rules[0]?.position).toBe(1);
  });

  it('a rule it cannot say is refused with its words, and a chain is adopted without it', () => {
    expect(
      refusal(fwDoc(), fwLab(), {
        namespace: 'ns1',
        firewall: { table: 'filter', chain: 'INPUT', args: ['-m', 'weird', '--thing', '-j', 'ACCEPT'] },
      })?.message,
    ).toBe('netcanvas cannot express this rule yet: -A INPUT -m weird --thing -j ACCEPT');
    const { plan } = adopted(fwDoc(), fwLab(), {
      namespace: 'ns1',
      firewall: { table: 'filter', chain: 'INPUT' },
    });
    expect(plan.rules.map((r) => r.position)).toEqual([1, 3]);
    expect(plan.left).toEqual([
      'netcanvas cannot express this rule yet: -A INPUT -m weird --thing -j ACCEPT',
    ]);
    expect(
      refusal(fwDoc(), fwLab(), {
        namespace: 'ns1',
        firewall: { table: 'filter', chain: 'INPUT', args: ['-j', 'NOPE'] },
      }),
    ).toEqual({ path: 'edit.firewall.args', message: 'that rule is no longer there: -A INPUT -j NOPE' });
  });

  it("a jump to a user chain brings the chain's declaration; a chain brings its policy", () => {
    const { after } = adopted(fwDoc(), fwLab(), {
      namespace: 'ns1',
      firewall: { table: 'filter', chain: 'FORWARD' },
    });
    const fw = after.namespaces[0]?.firewall;
    expect(fw?.chains).toEqual([{ table: 'filter', name: 'audit' }]);
    expect(fw?.policies).toEqual([expect.objectContaining({ chain: 'FORWARD', policy: 'DROP' })]);
    expect(fw?.rules.map((r) => `${r.chain} ${r.target}`)).toEqual(['INPUT ACCEPT', 'FORWARD audit']);
    const whole = adopted(fwDoc(), fwLab(), { namespace: 'ns1', firewall: {} });
    expect(whole.after.namespaces[0]?.firewall.rules.map((r) => `${r.chain} ${r.target}`)).toEqual([
      'INPUT ACCEPT',
      'INPUT ACCEPT',
      'INPUT DROP',
      'FORWARD audit',
      'audit RETURN',
    ]);
  });

  it("refuses rules in a chain whose lab's rules the kernel has not caught up with", () => {
    const drifted = doc({
      schemaVersion: 1,
      namespaces: [
        { name: 'ns1', firewall: { rules: [{ chain: 'INPUT', protocol: 'tcp', target: 'ACCEPT' }] } },
      ],
    });
    expect(
      refusal(drifted, fwLab(), {
        namespace: 'ns1',
        firewall: { table: 'filter', chain: 'INPUT', args: ['-p', 'icmp', '-j', 'ACCEPT'] },
      })?.message,
    ).toMatch(/the lab's own rules of filter INPUT there differ from the topology; apply it first/);
  });
});

describe('adopt all', () => {
  it('takes everything in dependency order, and lists what it cannot take', () => {
    const observed = bridgeByHand();
    const root = observed.namespaces[0] as (typeof observed.namespaces)[number];
    root.interfaces.push(handIface('dummy0', { kind: 'dummy' }));
    const { plan, after } = adopted(emptyTopology(), observed, { all: true });
    expect(plan.edits.map((e) => e.type)).toEqual(['addNamespace', 'addBridge', 'connect']);
    expect(after.namespaces[0]?.routes).toEqual([{ to: 'default', via: '10.0.2.1' }]);
    expect(plan.left).toEqual([`"dummy0" in the lab's root is a dummy; netcanvas adopts veths and bridges`]);
    expect(plan.counts).toEqual({ namespaces: 1, bridges: 1, veths: 1, routes: 1, rules: 0 });
    expect(adoptOffer(emptyTopology(), observed, { all: true })).toMatchObject({
      ok: true,
      label: 'Adopt all (4)',
    });
  });

  it('refuses when nothing is made by hand, and on the host', () => {
    const empty = observedState([handNamespace('root', { managed: true })]);
    expect(refusal(emptyTopology(), empty, { all: true })?.message).toBe(
      'nothing made by hand here can be adopted',
    );
    expect(
      refusal(emptyTopology(), { ...bridgeByHand(), target: { kind: 'host', lab: 'host' } }, { all: true })
        ?.path,
    ).toBe('edit.all');
  });

  it('reproduces a lab typed by hand: the document it makes is the one that describes the lab', () => {
    const input: TopologyInput = {
      schemaVersion: 1,
      namespaces: [
        {
          name: 'ns0',
          forwarding: true,
          firewall: {
            rules: [
              {
                table: 'nat',
                chain: 'POSTROUTING',
                source: '10.0.2.0/24',
                outInterface: 'veth0',
                target: 'MASQUERADE',
              },
            ],
          },
        },
        { name: 'ns1', routes: [{ to: '10.0.9.0/24', via: '10.0.1.1' }] },
      ],
      bridges: [{ name: 'br0', mac: '02:00:00:00:00:b0', addresses: ['10.0.2.1/24'] }],
      links: [
        {
          a: { node: 'ns0', ifname: 'veth0', addresses: ['10.0.1.1/24'], mac: '02:00:00:00:00:01' },
          b: { node: 'ns1', ifname: 'veth1', addresses: ['10.0.1.2/24'], mac: '02:00:00:00:00:02' },
        },
        {
          a: { node: 'root', ifname: 'vethfoo', mac: '02:00:00:00:00:03' },
          b: { node: 'root', ifname: 'vethbar', mac: '02:00:00:00:00:04' },
        },
        {
          a: { node: 'ns0', ifname: 'eth0', addresses: ['10.0.2.10/24'], mac: '02:00:00:00:00:05' },
          b: { node: 'br0', ifname: 'p0', mac: '02:00:00:00:00:06' },
        },
      ],
    };
    const { plan, after } = adopted(emptyTopology(), handLab(input), { all: true });
    expect(plan.left).toEqual([]);
    expect(normal(after)).toEqual(normal(doc(input)));
  });
});

/** A document compared without positions, or the order of links and rules across chains. */
export const normal = (d: Topology) => ({
  namespaces: [...d.namespaces]
    .map(({ position: _p, ...ns }) => ({
      ...ns,
      firewall: {
        ...ns.firewall,
        rules: [...ns.firewall.rules].sort((x, y) =>
          `${x.table} ${x.chain}`.localeCompare(`${y.table} ${y.chain}`),
        ),
      },
    }))
    .sort((x, y) => x.name.localeCompare(y.name)),
  bridges: d.bridges.map(({ position: _p, ...br }) => br).sort((x, y) => x.name.localeCompare(y.name)),
  links: d.links
    .map((l) => [l.a, l.b].sort((x, y) => (x.node + x.ifname).localeCompare(y.node + y.ifname)))
    .map((ends) => JSON.stringify(ends))
    .sort(),
  root: d.root,
});

describe('the adopt and removeHandRule edits', () => {
  const issue = (edit: object) => {
    const r = Edit.safeParse(edit);
    return r.success ? null : issuesFromZod(r.error, ['edit'])[0];
  };
  it('refuse what does not say one thing, naming the field', () => {
    expect(issue({ type: 'adopt' })?.path).toBe('edit.namespace');
    expect(issue({ type: 'adopt', all: true, ifname: 'eth0' })).toEqual({
      path: 'edit.ifname',
      message: 'adopt all takes everything: name nothing else',
    });
    expect(issue({ type: 'adopt', namespace: 'ns1', ifname: 'eth0', firewall: {} })?.path).toBe(
      'edit.firewall',
    );
    expect(issue({ type: 'adopt', namespace: 'ns1', firewall: { chain: 'INPUT' } })?.path).toBe(
      'edit.firewall.table',
    );
    expect(
      issue({ type: 'adopt', namespace: 'ns1', firewall: { table: 'filter', args: ['-j', 'ACCEPT'] } })?.path,
    ).toBe('edit.firewall.chain');
    expect(issue({ type: 'adopt', namespace: 'ns 1' })?.path).toBe('edit.namespace');
    expect(
      issue({ type: 'removeHandRule', namespace: 'root', table: 'filter', chain: 'INPUT', args: [] }),
    ).toEqual({
      path: 'edit.args',
      message: 'the rule has no words',
    });
    expect(
      issue({
        type: 'removeHandRule',
        namespace: 'root',
        table: 'filter',
        chain: '-F',
        args: ['-j', 'ACCEPT'],
      })?.path,
    ).toBe('edit.chain');
    expect(
      issue({
        type: 'removeHandRule',
        namespace: 'root',
        table: 'filter',
        chain: 'INPUT',
        args: ['-j', 'A\nB'],
      })?.path,
    ).toBe('edit.args[1]');
  });

  it('change no document by themselves, and say what they do', () => {
    const remove = {
      type: 'removeHandRule',
      namespace: 'root',
      table: 'nat',
      chain: 'POSTROUTING',
      args: ['-o', 'x0', '-j', 'MASQUERADE'],
    };
    const applied = applyEdits(emptyTopology(), [remove]);
    expect(applied).toEqual({ ok: true, value: emptyTopology() });
    const words = (edit: object) => describeEdit(Edit.parse(edit));
    expect(words(remove)).toBe("remove rule -t nat -A POSTROUTING -o x0 -j MASQUERADE in the lab's root");
    expect(words({ type: 'adopt', all: true })).toBe('adopt everything made by hand');
    expect(words({ type: 'adopt', namespace: 'ns1', firewall: { table: 'filter', chain: 'INPUT' } })).toBe(
      'adopt chain filter INPUT in ns1',
    );
    expect(
      words({
        type: 'adopt',
        namespace: 'ns1',
        firewall: { table: 'filter', chain: 'FORWARD', args: ['-j', 'LOG', '--log-prefix', 'a b'] },
      }),
    ).toBe("adopt rule -A FORWARD -j LOG --log-prefix 'a b' in ns1");
    expect(words({ type: 'adopt', namespace: 'h0', routes: true })).toBe('adopt the routes of h0');
    expect(words({ type: 'adopt', namespace: 'root', ifname: 'br0' })).toBe('adopt root:br0');
  });
});
