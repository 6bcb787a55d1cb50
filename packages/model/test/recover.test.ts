import { describe, expect, it } from 'vitest';
import {
  FirewallRule,
  networkOf,
  parseCidr,
  recoverTopology,
  ruleArgs,
  validateTopology,
  type FirewallRuleInput,
  type ObservedInterface,
  type ObservedNamespace,
  type ObservedRule,
  type ObservedState,
  type Topology,
  type TopologyInput,
} from '../src';
import { observedVeth } from './fixtures';
import { builtinChains, observedState, peers as pair } from './hand-lab';

// --- hand-built kernel readings ------------------------------------------------------------

let nextIndex = 100;
/** An observed veth of the lab's, each with an ifindex of its own. */
const iface = (ifname: string, extra: Partial<ObservedInterface> = {}): ObservedInterface =>
  observedVeth(ifname, { ifindex: nextIndex++, ...extra });
const lo = (up: boolean) =>
  iface('lo', { kind: 'loopback', up, managed: false, group: 'default', mac: null, addresses: [] });
const ns = (name: string, interfaces: ObservedInterface[], extra: Partial<ObservedNamespace> = {}) =>
  ({ name, managed: true, interfaces, fdb: [], ...extra }) as ObservedNamespace;
const state = observedState;
const observedRule = (rule: FirewallRuleInput, managed = true): ObservedRule => {
  const parsed = FirewallRule.parse(rule);
  return { table: parsed.table, chain: parsed.chain, args: ruleArgs(parsed), managed, packets: 0, bytes: 0 };
};
// --- a simulated kernel: what netcanvas leaves behind for a document --------------------------

/** The reading the kernel would give after applying `input`, with some foreign objects beside it. */
function kernelOf(input: TopologyInput): ObservedState {
  const checked = validateTopology(input);
  if (!checked.ok) throw new Error(JSON.stringify(checked.issues));
  const doc = checked.value;
  let mac = 0x10;
  const contexts = new Map<string, ObservedNamespace>();
  contexts.set(
    'root',
    ns('root', [lo(true), iface('eth0', { kind: 'device', managed: false, group: 'default' })]),
  );
  for (const spec of doc.namespaces)
    contexts.set(
      spec.name,
      ns(spec.name, [lo(spec.loUp)], {
        forwarding: spec.forwarding,
        routes: [
          { to: '10.99.0.0/16', via: null, dev: 'eth9', protocol: 'boot', metric: null, managed: false },
        ],
        firewall: {
          chains: [
            ...builtinChains(
              Object.fromEntries(spec.firewall.policies.map((p) => [`${p.table} ${p.chain}`, p.policy])),
            ),
            ...spec.firewall.chains.map((c) => ({ ...c, policy: null, packets: 0, bytes: 0 })),
          ],
          rules: [
            observedRule({ chain: 'INPUT', protocol: 'tcp', destinationPort: 22, target: 'ACCEPT' }, false),
            ...spec.firewall.rules.map((r) => observedRule(r)),
          ],
        },
      }),
    );
  const at = (context: string) => contexts.get(context) as ObservedNamespace;
  const linkLocal = () => `fe80::${(mac++).toString(16)}/64`;
  for (const br of doc.bridges)
    at(br.namespace ?? 'root').interfaces.push(
      iface(br.name, {
        kind: 'bridge',
        up: br.up,
        stp: br.stp,
        mtu: br.mtu ?? 1500,
        mac: br.mac ?? `02:00:00:00:ff:${(mac++).toString(16)}`,
        addresses: [...br.addresses, linkLocal()],
      }),
    );
  const placeOf = (node: string) => {
    const br = doc.bridges.find((b) => b.name === node);
    return br ? { context: br.namespace ?? 'root', master: br.name } : { context: node, master: null };
  };
  for (const link of doc.links) {
    const [a, b] = [link.a, link.b].map((end) => {
      const place = placeOf(end.node);
      const made = iface(end.ifname, {
        up: end.up,
        mtu: end.mtu ?? 1500,
        mac: end.mac ?? `02:00:00:00:00:${(mac++).toString(16)}`,
        master: place.master,
        addresses: [...end.addresses, linkLocal()],
      });
      at(place.context).interfaces.push(made);
      return { context: place.context, made };
    }) as [{ context: string; made: ObservedInterface }, { context: string; made: ObservedInterface }];
    pair(a.context, a.made, b.context, b.made);
  }
  for (const spec of doc.namespaces) {
    const here = at(spec.name);
    for (const route of spec.routes) {
      const dev =
        route.dev ??
        here.interfaces.find((i) =>
          i.addresses.some((text) => {
            const p = parseCidr(text);
            return p.ok && route.via !== undefined && p.value.family === 4 && inNet(route.via, p.value);
          }),
        )?.ifname ??
        null;
      here.routes?.push({
        to: route.to,
        via: route.via ?? null,
        dev,
        protocol: '203',
        metric: route.metric ?? null,
        managed: true,
      });
    }
  }
  // Foreign: a namespace netcanvas did not make, with a veth into the root that is not the lab's.
  const foreignEnd = iface('vf0', { managed: false, group: 'default' });
  const rootEnd = iface('vf1', { managed: false, group: 'default' });
  pair('other', foreignEnd, 'root', rootEnd);
  at('root').interfaces.push(rootEnd);
  return state([
    ...contexts.values(),
    ns('other', [lo(true), foreignEnd, iface('br9', { kind: 'bridge', stp: false })], { managed: false }),
  ]);
}

const inNet = (ip: string, net: { ip: string; prefix: number }) =>
  networkOf(ip, net.prefix, 4) === networkOf(net.ip, net.prefix, 4);

/** A document compared without positions, link order or the side each end is written on. */
const normal = (doc: Topology) => {
  const { rootPosition: _r, ...rest } = doc;
  return {
    ...rest,
    namespaces: doc.namespaces.map(({ position: _p, ...ns }) => ns),
    bridges: doc.bridges.map(({ position: _p, ...br }) => br).sort((x, y) => x.name.localeCompare(y.name)),
    links: doc.links
      .map((l) => [l.a, l.b].sort((x, y) => (x.node + x.ifname).localeCompare(y.node + y.ifname)))
      .map(([a, b]) => JSON.stringify({ a, b }))
      .sort(),
  };
};

// --- the tests ----------------------------------------------------------------------------------

describe('recoverTopology', () => {
  it('reads back namespaces with lo and forwarding, a bridge and veths of every kind of end', () => {
    const a0 = iface('eth0', { addresses: ['10.0.1.1/24', 'fe80::1/64'], mac: '02:00:00:00:00:0a' });
    const b0 = iface('eth0', { addresses: ['10.0.1.2/24'], mac: '02:00:00:00:00:0b', mtu: 9000 });
    const a1 = iface('up0', { addresses: ['10.0.9.2/30'], up: false, mac: '02:00:00:00:00:0c' });
    const r1 = iface('h-a', { addresses: ['10.0.9.1/30'], mac: '02:00:00:00:00:0d' });
    const b1 = iface('eth1', { addresses: ['10.0.0.12/24'], mac: '02:00:00:00:00:0e' });
    const port = iface('vb', { master: 'br0', addresses: ['fe80::2/64'], mac: '02:00:00:00:00:0f' });
    const br0 = iface('br0', { kind: 'bridge', stp: true, addresses: ['10.0.0.1/24', 'fe80::3/64'] });
    pair('a', a0, 'b', b0);
    pair('a', a1, 'root', r1);
    pair('b', b1, 'root', port);
    const observed = state([
      ns('root', [lo(true), r1, br0, port]),
      ns('a', [lo(true), a0, a1], { forwarding: true, routes: [], firewall: { chains: [], rules: [] } }),
      ns('b', [lo(false), b0, b1], { forwarding: false, routes: [], firewall: { chains: [], rules: [] } }),
    ]);
    const { document, unrecovered, counts } = recoverTopology(observed);
    expect(unrecovered).toEqual([]);
    expect(counts).toEqual({ namespaces: 2, bridges: 1, links: 3, routes: 0, rules: 0 });
    expect(document.namespaces.map(({ name, loUp, forwarding }) => ({ name, loUp, forwarding }))).toEqual([
      { name: 'a', loUp: true, forwarding: true },
      { name: 'b', loUp: false, forwarding: false },
    ]);
    expect(document.bridges).toEqual([
      { name: 'br0', up: true, stp: true, mac: '02:00:00:00:00:01', addresses: ['10.0.0.1/24'] },
    ]);
    expect(document.links).toEqual([
      {
        a: { node: 'a', ifname: 'eth0', addresses: ['10.0.1.1/24'], up: true, mac: '02:00:00:00:00:0a' },
        b: {
          node: 'b',
          ifname: 'eth0',
          addresses: ['10.0.1.2/24'],
          up: true,
          mtu: 9000,
          mac: '02:00:00:00:00:0b',
        },
      },
      {
        a: { node: 'a', ifname: 'up0', addresses: ['10.0.9.2/30'], up: false, mac: '02:00:00:00:00:0c' },
        b: { node: 'root', ifname: 'h-a', addresses: ['10.0.9.1/30'], up: true, mac: '02:00:00:00:00:0d' },
      },
      {
        a: { node: 'b', ifname: 'eth1', addresses: ['10.0.0.12/24'], up: true, mac: '02:00:00:00:00:0e' },
        b: { node: 'br0', ifname: 'vb', addresses: [], up: true, mac: '02:00:00:00:00:0f' },
      },
    ]);
    expect(validateTopology(document).ok).toBe(true);
    expect(document.namespaces.every((n) => n.position === undefined)).toBe(true);
  });

  it("holds a bridge's MAC only where the kernel could not have chosen it (set by hand)", () => {
    // The kernel gives a bridge its lowest port's MAC, and one without ports a random one, until
    // a MAC is set by hand: holding those would plan "MAC drift" when the next port joins.
    const lowPort = iface('p1', { master: 'auto', mac: '02:00:00:00:00:02' });
    const highPort = iface('p2', { master: 'auto', mac: '02:00:00:00:00:09' });
    const pinnedPort = iface('p3', { master: 'pinned', mac: '02:00:00:00:00:03' });
    const bridge = (name: string, mac: string) => iface(name, { kind: 'bridge', stp: false, mac });
    const observed = state([
      ns('root', [
        lo(true),
        bridge('auto', '02:00:00:00:00:02'),
        lowPort,
        highPort,
        bridge('pinned', '02:aa:00:00:00:01'),
        pinnedPort,
        bridge('bare', '6e:1f:00:00:00:07'),
      ]),
    ]);
    const macs = Object.fromEntries(recoverTopology(observed).document.bridges.map((b) => [b.name, b.mac]));
    expect(macs).toEqual({ auto: undefined, pinned: '02:aa:00:00:00:01', bare: undefined });
  });

  it('ignores what netcanvas did not make', () => {
    const mine = iface('x0', { managed: false, group: 'default' });
    const theirs = iface('x1', { managed: false, group: 'default' });
    pair('a', mine, 'foreign', theirs);
    const observed = state([
      ns('root', [lo(true), iface('docker0', { kind: 'bridge', managed: false, group: 'default' })]),
      ns('a', [lo(true), mine], {
        forwarding: false,
        routes: [
          { to: '10.5.0.0/16', via: null, dev: 'x0', protocol: 'static', metric: null, managed: false },
        ],
        firewall: {
          chains: [
            ...builtinChains(),
            { table: 'filter', name: 'DOCKER', policy: null, packets: 0, bytes: 0 },
          ],
          rules: [
            { table: 'filter', chain: 'INPUT', args: ['-j', 'DOCKER'], managed: false, packets: 0, bytes: 0 },
          ],
        },
      }),
      // Not the lab's: even an interface in the lab's group inside it is left alone.
      ns('foreign', [lo(true), theirs, iface('br7', { kind: 'bridge' })], { managed: false }),
    ]);
    const { document, unrecovered, counts } = recoverTopology(observed);
    expect(unrecovered).toEqual([]);
    expect(counts).toEqual({ namespaces: 1, bridges: 0, links: 0, routes: 0, rules: 0 });
    expect(document.namespaces[0]?.firewall).toEqual({ chains: [], policies: [], rules: [] });
  });

  it('recovers managed routes, leaving out the device the kernel chose for a gateway and IPv6’s own metric', () => {
    const e = iface('eth0', { addresses: ['10.0.1.254/24', '2001:db8:1::fe/64'] });
    const peer = iface('eth0', { addresses: ['10.0.1.1/24', '2001:db8:1::1/64'] });
    pair('r1', e, 'h1', peer);
    const route = (to: string, via: string | null, dev: string | null, metric: number | null = null) => ({
      to,
      via,
      dev,
      metric,
      protocol: '203',
      managed: true,
    });
    const observed = state([
      ns('root', [lo(true)]),
      ns('r1', [lo(true), e], {
        forwarding: true,
        routes: [
          { ...route('10.0.1.0/24', null, 'eth0'), protocol: 'kernel', managed: false },
          route('default', '10.0.1.1', 'eth0'),
          route('10.7.0.0/16', null, 'eth0', 20),
          route('10.8.0.5/32', '10.0.1.1', 'eth0', 5),
          // IPv6 gives a route written without a metric 1024.
          route('::/0', '2001:db8:1::1', 'eth0', 1024),
        ],
        firewall: { chains: [], rules: [] },
      }),
      ns('h1', [lo(true), peer], { forwarding: false, routes: [], firewall: { chains: [], rules: [] } }),
    ]);
    const { document, unrecovered, counts } = recoverTopology(observed);
    expect(unrecovered).toEqual([]);
    expect(counts.routes).toBe(4);
    expect(document.namespaces[0]?.routes).toEqual([
      { to: 'default', via: '10.0.1.1' },
      { to: '10.7.0.0/16', dev: 'eth0', metric: 20 },
      { to: '10.8.0.5/32', via: '10.0.1.1', metric: 5 },
      { to: '::/0', via: '2001:db8:1::1' },
    ]);
  });

  it('recovers managed firewall rules, their user chains and a DROP policy', () => {
    const rules: FirewallRuleInput[] = [
      { chain: 'INPUT', protocol: 'icmp', target: 'icmp-in' },
      { chain: 'icmp-in', source: '10.0.1.0/24', target: 'ACCEPT' },
      {
        chain: 'FORWARD',
        inInterface: 'eth0',
        outInterface: 'eth1',
        state: ['ESTABLISHED', 'RELATED'],
        target: 'ACCEPT',
      },
      { chain: 'FORWARD', protocol: 'tcp', destinationPort: '8000:8080', sourcePort: 1024, target: 'REJECT' },
      { chain: 'FORWARD', target: 'LOG', logPrefix: 'fwd-drop:' },
      {
        table: 'nat',
        chain: 'POSTROUTING',
        source: '10.0.1.0/24',
        outInterface: 'eth1',
        target: 'MASQUERADE',
      },
      {
        table: 'nat',
        chain: 'PREROUTING',
        protocol: 'tcp',
        destinationPort: 80,
        inInterface: 'eth1',
        target: 'DNAT',
        toDestination: '10.0.1.1',
        toPort: 8080,
      },
      {
        table: 'nat',
        chain: 'POSTROUTING',
        destination: '192.0.2.0/24',
        target: 'SNAT',
        toSource: '10.0.2.1',
      },
      {
        table: 'mangle',
        chain: 'PREROUTING',
        protocol: 'udp',
        destinationPort: 53,
        target: 'MARK',
        setMark: 255,
      },
      { table: 'raw', chain: 'PREROUTING', target: 'CT' },
    ];
    const doc: TopologyInput = {
      schemaVersion: 1,
      namespaces: [
        {
          name: 'r1',
          forwarding: true,
          firewall: {
            chains: [{ name: 'icmp-in' }],
            policies: [
              { chain: 'FORWARD', policy: 'DROP' },
              { table: 'mangle', chain: 'FORWARD', policy: 'DROP' },
            ],
            rules,
          },
        },
        { name: 'h1' },
        { name: 'h2' },
      ],
      links: [
        {
          a: { node: 'r1', ifname: 'eth0', addresses: ['10.0.1.254/24'], mac: '02:00:00:00:01:01' },
          b: { node: 'h1', ifname: 'eth0', addresses: ['10.0.1.1/24'], mac: '02:00:00:00:01:02' },
        },
        {
          a: { node: 'r1', ifname: 'eth1', addresses: ['10.0.2.254/24'], mac: '02:00:00:00:01:03' },
          b: { node: 'h2', ifname: 'eth0', addresses: ['10.0.2.1/24'], mac: '02:00:00:00:01:04' },
        },
      ],
    };
    const { document, unrecovered, counts } = recoverTopology(kernelOf(doc));
    expect(unrecovered).toEqual([]);
    expect(counts.rules).toBe(rules.length);
    const r1 = document.namespaces[0];
    expect(r1?.firewall.chains).toEqual([{ table: 'filter', name: 'icmp-in' }]);
    expect(r1?.firewall.policies).toEqual([
      { table: 'mangle', chain: 'FORWARD', policy: 'DROP' },
      { table: 'filter', chain: 'FORWARD', policy: 'DROP' },
    ]);
    expect(r1?.firewall.rules.map(normalRule)).toEqual(rules.map(normalRule));
  });

  it('says what it could not recover, and leaves a chain with a broken rule out whole', () => {
    const good = observedRule({ chain: 'FORWARD', protocol: 'tcp', destinationPort: 22, target: 'ACCEPT' });
    const broken: ObservedRule = {
      ...good,
      args: [
        '-p',
        'tcp',
        '-m',
        'tcp',
        '--dport',
        '22',
        '--tcp-flags',
        'SYN',
        'SYN',
        '-m',
        'comment',
        '--comment',
        'netcanvas',
        '-j',
        'ACCEPT',
      ],
    };
    const other = observedRule({ chain: 'INPUT', target: 'DROP' });
    const noPeer = iface('lost0', { peer: { namespace: null, ifindex: 9, ifname: null } });
    const toForeign = iface('tf0');
    const foreignEnd = iface('tf1', { managed: false, group: 'default' });
    pair('r1', toForeign, 'r1', foreignEnd);
    const dummy = iface('d0', { kind: 'dummy' });
    const out = iface('o0');
    const outPeer = iface('o1');
    pair('r1', out, 'theirs', outPeer);
    const observed = state([
      ns('root', [lo(true)], {
        routes: [{ to: '10.3.0.0/16', via: null, dev: 'x', protocol: '203', metric: null, managed: true }],
      }),
      ns('r1', [lo(true), noPeer, toForeign, foreignEnd, dummy, out], {
        forwarding: true,
        routes: [],
        firewall: {
          chains: builtinChains({ 'nat POSTROUTING': 'DROP', 'filter INPUT': 'DROP' }),
          rules: [good, broken, other],
        },
      }),
      ns('quiet', [lo(false)]),
      ns('theirs', [lo(true), outPeer], { managed: false }),
    ]);
    const { document, unrecovered } = recoverTopology(observed);
    expect(validateTopology(document).ok).toBe(true);
    expect(document.namespaces[0]?.firewall).toEqual({
      chains: [],
      policies: [{ table: 'filter', chain: 'INPUT', policy: 'DROP' }],
      rules: [FirewallRule.parse({ chain: 'INPUT', target: 'DROP' })],
    });
    expect(document.namespaces[1]).toMatchObject({ name: 'quiet', loUp: false, forwarding: false });
    expect(unrecovered).toEqual([
      `route "10.3.0.0/16 dev x" in the lab's root: the document holds routes of named namespaces only`,
      `firewall rule "-A FORWARD ${good.args.join(' ')}" in namespace "r1": another netcanvas rule of its chain could not be recovered, and a chain is recovered whole`,
      `firewall rule "-A FORWARD ${broken.args.join(' ')}" in namespace "r1": not in the form netcanvas writes`,
      `policy DROP of nat POSTROUTING in namespace "r1": the document sets ACCEPT or DROP on the built-in chains of raw, mangle and filter only`,
      'forwarding of namespace "quiet": not read; the document says off, and nothing is changed until it is read',
      'the firewall of namespace "quiet": not read, so its rules and policies are not recovered',
      'veth "lost0" in namespace "r1": its peer is in a namespace the lab cannot see',
      'veth "tf0" in namespace "r1": its peer "tf1" in namespace "r1" is not a veth netcanvas made',
      'interface "d0" in namespace "r1": a dummy; the document holds veth pairs and bridges',
      'veth "o0" in namespace "r1": its peer "o1" in namespace "theirs" lives in a namespace netcanvas did not make',
    ]);
  });

  it('leaves a chain out whole when the document refuses one of its rules, or has no room for it', () => {
    const masquerade = observedRule({
      table: 'nat',
      chain: 'POSTROUTING',
      outInterface: 'eth1',
      target: 'MASQUERADE',
    });
    // Rendered by hand: the schema parses it, but DROP does not belong in the nat table.
    const drop = { ...masquerade, args: ['-m', 'comment', '--comment', 'netcanvas', '-j', 'DROP'] };
    const many = (chain: string, n: number) =>
      Array.from({ length: n }, (_, i) =>
        observedRule({ chain, protocol: 'tcp', destinationPort: i + 1, target: 'ACCEPT' }),
      );
    const observed = state([
      ns('root', [lo(true)]),
      ns('r1', [lo(true)], {
        forwarding: false,
        routes: [],
        firewall: {
          chains: builtinChains(),
          rules: [masquerade, drop, ...many('INPUT', 600), ...many('OUTPUT', 500)],
        },
      }),
    ]);
    const { document, unrecovered, counts } = recoverTopology(observed);
    expect(validateTopology(document).ok).toBe(true);
    expect(counts.rules).toBe(600);
    expect(new Set(document.namespaces[0]?.firewall.rules.map((r) => `${r.table} ${r.chain}`))).toEqual(
      new Set(['filter INPUT']),
    );
    expect(unrecovered).toHaveLength(502);
    expect(unrecovered.slice(-2)).toEqual([
      `firewall rule "-t nat -A POSTROUTING -m comment --comment netcanvas -j DROP" in namespace "r1": DROP does not belong in nat POSTROUTING (not in the nat table)`,
      `firewall rule "-t nat -A POSTROUTING ${masquerade.args.join(' ')}" in namespace "r1": another netcanvas rule of its chain could not be recovered, and a chain is recovered whole`,
    ]);
    expect(unrecovered[0]).toMatch(/^firewall rule "-A OUTPUT .* at most 1000 rules/);
  });

  it('leaves out what the document refuses, and what depends on it, and stays valid', () => {
    const a = iface('eth0', { addresses: ['10.0.1.1/24', '10.0.1.9/24', '10.0.7.1/24'] });
    const b = iface('eth0', { addresses: ['10.0.1.2/24'] });
    const c = iface('eth1', { addresses: ['10.0.1.1/24'] }); // the same address twice in "a"
    const d = iface('eth0', { addresses: ['10.0.5.2/24'] });
    pair('a', a, 'b', b);
    pair('a', c, 'c', d);
    const port = iface('p0', { master: 'a', addresses: ['10.0.8.1/24'] }); // a port of a bridge named like a namespace
    const hostEnd = iface('h0', { addresses: ['10.0.8.2/24'] });
    pair('root', port, 'b', hostEnd);
    const plain = iface('q0', { master: 'br1', addresses: ['10.0.6.1/24'] });
    const plainPeer = iface('q1');
    pair('root', plain, 'c', plainPeer);
    const observed = state([
      ns('root', [
        lo(true),
        iface('a', { kind: 'bridge', stp: false }),
        port,
        iface('br1', { kind: 'bridge', stp: false }),
        plain,
      ]),
      ns('a', [lo(true), a, c], {
        forwarding: false,
        routes: [
          { to: '10.0.9.0/24', via: '10.0.1.2', dev: 'eth0', protocol: '203', metric: null, managed: true },
        ],
        firewall: { chains: builtinChains(), rules: [] },
      }),
      ns('b', [lo(true), b, hostEnd], { forwarding: false, routes: [], firewall: { chains: [], rules: [] } }),
      ns('c', [lo(true), d, plainPeer], {
        forwarding: false,
        routes: [],
        firewall: { chains: [], rules: [] },
      }),
    ]);
    const { document, unrecovered } = recoverTopology(observed);
    expect(validateTopology(document).ok).toBe(true);
    expect(document.bridges.map((br) => br.name)).toEqual(['br1']);
    // The second 10.0.1.1 goes, and the link keeps its other addresses.
    expect(document.links.map((l) => [l.a.ifname, l.a.addresses, l.b.node, l.b.addresses])).toEqual([
      ['eth0', ['10.0.1.1/24', '10.0.1.9/24', '10.0.7.1/24'], 'b', ['10.0.1.2/24']],
      ['eth1', [], 'c', ['10.0.5.2/24']],
      ['q1', [], 'br1', []],
    ]);
    expect(document.namespaces[0]?.routes).toEqual([{ to: '10.0.9.0/24', via: '10.0.1.2' }]);
    expect(unrecovered).toEqual([
      `bridge "a" in the lab's root: the document names nodes once, and "a" is already taken`,
      `veth pair "h0" in namespace "b" – "p0" in the lab's root: "p0" is a port of bridge "a", which is not in the document`,
      `address 10.0.6.1/24 on "q0" in the lab's root: a port of bridge "br1" carries no addresses in the document`,
      `address 10.0.1.1/24 on "eth1" in namespace "a": 10.0.1.1 is already on "eth0" in namespace "a"`,
    ]);
  });

  it('gives back the document netcanvas applied (less positions)', () => {
    const doc: TopologyInput = {
      schemaVersion: 1,
      rootPosition: { x: 0, y: 0 },
      namespaces: [
        {
          name: 'r1',
          forwarding: true,
          position: { x: 10, y: 20 },
          routes: [
            { to: '10.0.9.0/24', via: '10.0.2.1' },
            { to: '10.0.10.0/24', dev: 'eth0', metric: 7 },
          ],
          firewall: {
            chains: [{ name: 'from-lan' }, { table: 'nat', name: 'pub' }],
            policies: [{ chain: 'INPUT', policy: 'DROP' }],
            rules: [
              { chain: 'FORWARD', inInterface: 'eth0', target: 'from-lan' },
              { chain: 'from-lan', protocol: 'tcp', destinationPort: 443, target: 'ACCEPT' },
              { chain: 'from-lan', target: 'DROP' },
              { table: 'nat', chain: 'POSTROUTING', outInterface: 'eth1', target: 'MASQUERADE' },
              { table: 'nat', chain: 'PREROUTING', target: 'pub' },
              {
                table: 'nat',
                chain: 'pub',
                protocol: 'udp',
                destinationPort: 53,
                target: 'DNAT',
                toDestination: '10.0.0.10',
              },
            ],
          },
        },
        { name: 'h1', loUp: false },
        { name: 'h2' },
        { name: 'sw', position: { x: 1, y: 1 } },
      ],
      bridges: [
        {
          name: 'br0',
          addresses: ['10.0.0.1/24'],
          stp: true,
          mac: '02:00:00:00:03:01',
          position: { x: 5, y: 5 },
        },
        { name: 'br-in', namespace: 'sw', up: false, mtu: 9000, mac: '02:00:00:00:03:02' },
      ],
      links: [
        {
          a: {
            node: 'r1',
            ifname: 'eth0',
            addresses: ['10.0.0.254/24', '2001:db8::1/64'],
            mac: '02:00:00:00:02:01',
          },
          b: { node: 'br0', ifname: 'v-r1', mac: '02:00:00:00:02:02' },
        },
        {
          a: { node: 'h1', ifname: 'eth0', addresses: ['10.0.0.11/24'], mtu: 1400, mac: '02:00:00:00:02:03' },
          b: { node: 'br0', ifname: 'v-h1', up: false, mac: '02:00:00:00:02:04' },
        },
        {
          a: { node: 'r1', ifname: 'eth1', addresses: ['10.0.2.254/24'], mac: '02:00:00:00:02:05' },
          b: { node: 'root', ifname: 'r1-up', addresses: ['10.0.2.1/24'], mac: '02:00:00:00:02:06' },
        },
        {
          a: { node: 'h2', ifname: 'eth0', addresses: ['10.0.3.2/24'], mac: '02:00:00:00:02:07', mtu: 9000 },
          b: { node: 'br-in', ifname: 'p-h2', mac: '02:00:00:00:02:08', mtu: 9000 },
        },
      ],
    };
    const applied = validateTopology(doc);
    if (!applied.ok) throw new Error(JSON.stringify(applied.issues));
    const recovered = recoverTopology(kernelOf(doc));
    expect(recovered.unrecovered).toEqual([]);
    expect(recovered.counts).toEqual({ namespaces: 4, bridges: 2, links: 4, routes: 2, rules: 6 });
    expect(normal(recovered.document)).toEqual(normal(applied.value));
    // The recovered document, applied and read back, is recovered the same.
    expect(normal(recoverTopology(kernelOf(recovered.document)).document)).toEqual(normal(applied.value));
  });

  it('recovers nothing from a lab that holds nothing of netcanvas', () => {
    const { document, unrecovered, counts } = recoverTopology(
      state([ns('root', [lo(true)], { managed: false })]),
    );
    expect(document).toEqual({ schemaVersion: 1, namespaces: [], bridges: [], links: [] });
    expect(unrecovered).toEqual([]);
    expect(counts).toEqual({ namespaces: 0, bridges: 0, links: 0, routes: 0, rules: 0 });
  });
});

/** A rule as iptables keeps it: networks without host bits, no "all", states in iptables' order. */
const normalRule = (input: FirewallRuleInput) => {
  const rule = { ...FirewallRule.parse(input) } as Record<string, unknown>;
  for (const field of ['source', 'destination'] as const) {
    const p = typeof rule[field] === 'string' ? parseCidr(rule[field]) : null;
    if (p?.ok) rule[field] = `${networkOf(p.value.ip, p.value.prefix, 4)}/${p.value.prefix}`;
  }
  if (rule.protocol === 'all') delete rule.protocol;
  if (rule.state)
    rule.state = ['NEW', 'ESTABLISHED', 'RELATED', 'INVALID'].filter((s) =>
      (rule.state as string[]).includes(s),
    );
  for (const key of Object.keys(rule)) if (rule[key] === undefined) delete rule[key];
  return rule;
};

describe("recoverTopology: the lab's root's firewall", () => {
  const bridgeAccept: FirewallRuleInput = {
    chain: 'FORWARD',
    inInterface: 'br0',
    outInterface: 'br0',
    target: 'ACCEPT',
  };
  const masquerade: FirewallRuleInput = {
    table: 'nat',
    chain: 'POSTROUTING',
    source: '10.0.0.0/24',
    outInterface: 'up0',
    target: 'MASQUERADE',
  };
  const toLab: FirewallRuleInput = { chain: 'FORWARD', inInterface: 'up0', target: 'from-up' };
  const inLab: FirewallRuleInput = { chain: 'from-up', state: ['ESTABLISHED'], target: 'ACCEPT' };
  const handRule = observedRule({ chain: 'FORWARD', protocol: 'icmp', target: 'ACCEPT' }, false);
  const rootWith = (firewall: ObservedNamespace['firewall'], managed = true) =>
    ns('root', [lo(true)], { managed, ...(firewall ? { firewall } : {}) });

  it('recovers the root’s rules, the chains they jump to and a DROP policy; hand rules stay out', () => {
    const observed = state([
      rootWith({
        chains: [
          ...builtinChains({ 'filter FORWARD': 'DROP' }),
          { table: 'filter', name: 'from-up', policy: null, packets: 0, bytes: 0 },
        ],
        rules: [handRule, ...[bridgeAccept, toLab, inLab, masquerade].map((r) => observedRule(r))],
      }),
    ]);
    const { document, unrecovered, counts } = recoverTopology(observed);
    expect(unrecovered).toEqual([]);
    expect(document.root?.firewall).toEqual({
      chains: [{ table: 'filter', name: 'from-up' }],
      policies: [{ table: 'filter', chain: 'FORWARD', policy: 'DROP' }],
      rules: [bridgeAccept, toLab, inLab, masquerade].map((r) => FirewallRule.parse(r)),
    });
    expect(counts.rules).toBe(4);
    expect(validateTopology(document).ok).toBe(true);
  });

  it('on the host, recovers the lab’s rules but none of the machine’s policies', () => {
    const observed: ObservedState = {
      ...state([
        rootWith(
          {
            chains: builtinChains({ 'filter FORWARD': 'DROP', 'filter INPUT': 'DROP' }),
            rules: [observedRule(bridgeAccept)],
          },
          false,
        ),
      ]),
      target: { kind: 'host', lab: 'host' },
    };
    const { document, unrecovered } = recoverTopology(observed);
    expect(document.root?.firewall).toEqual({
      chains: [],
      policies: [],
      rules: [FirewallRule.parse(bridgeAccept)],
    });
    expect(unrecovered).toEqual([]);
  });

  it('writes no root when it has nothing of the lab’s, and says nothing of a root never read', () => {
    for (const root of [rootWith({ chains: builtinChains(), rules: [handRule] }), rootWith(undefined)]) {
      const { document, unrecovered } = recoverTopology(state([root]));
      expect(document).toEqual({ schemaVersion: 1, namespaces: [], bridges: [], links: [] });
      expect(unrecovered).toEqual([]);
    }
  });

  it('leaves a root chain out whole when one of its rules cannot be read, and says so', () => {
    const odd: ObservedRule = {
      ...observedRule(masquerade),
      args: [
        '-o',
        'up0',
        '-m',
        'statistic',
        '--mode',
        'random',
        '--probability',
        '0.5',
        '-m',
        'comment',
        '--comment',
        'netcanvas',
        '-j',
        'MASQUERADE',
      ],
    };
    const { document, unrecovered } = recoverTopology(
      state([
        rootWith({
          chains: builtinChains(),
          rules: [observedRule(masquerade), odd, observedRule(bridgeAccept)],
        }),
      ]),
    );
    expect(document.root?.firewall.rules).toEqual([FirewallRule.parse(bridgeAccept)]);
    expect(unrecovered).toEqual([
      expect.stringMatching(
        /^firewall rule "-t nat -A POSTROUTING -s 10\.0\.0\.0\/24 .*" in the lab's root: another netcanvas rule of its chain/,
      ),
      expect.stringMatching(
        /^firewall rule "-t nat -A POSTROUTING -o up0 -m statistic .*" in the lab's root: not in the form netcanvas writes$/,
      ),
    ]);
  });

  it('leaves out a root rule the document refuses, with the rest of its chain', () => {
    // A jump to a chain the kernel does not have (deleted by hand): the document refuses the jump.
    const { document, unrecovered } = recoverTopology(
      state([
        rootWith({
          chains: builtinChains(),
          rules: [observedRule(toLab), observedRule(bridgeAccept), observedRule(masquerade)],
        }),
      ]),
    );
    expect(document.root?.firewall.rules).toEqual([FirewallRule.parse(masquerade)]);
    expect(unrecovered).toEqual([
      expect.stringMatching(
        /^firewall rule "-A FORWARD -i up0 .*-j from-up" in the lab's root: "from-up" is neither a target nor a chain/,
      ),
      expect.stringMatching(
        /^firewall rule "-A FORWARD -i br0 -o br0 .*" in the lab's root: another netcanvas rule of its chain/,
      ),
    ]);
  });

  it('gives back the root firewall the document had, with the rest of the lab (round trip)', () => {
    const doc: TopologyInput = {
      schemaVersion: 1,
      namespaces: [{ name: 'ns0' }],
      bridges: [{ name: 'br0', addresses: ['10.0.0.1/24'], mac: '02:00:00:00:03:01' }],
      links: [
        {
          a: { node: 'ns0', ifname: 'eth0', addresses: ['10.0.0.10/24'], mac: '02:00:00:00:02:01' },
          b: { node: 'br0', ifname: 'p0', mac: '02:00:00:00:02:02' },
        },
      ],
      root: {
        firewall: {
          chains: [{ name: 'from-up' }],
          policies: [{ chain: 'FORWARD', policy: 'DROP' }],
          rules: [bridgeAccept, toLab, inLab, masquerade],
        },
      },
    };
    const applied = validateTopology(doc);
    if (!applied.ok) throw new Error(JSON.stringify(applied.issues));
    const kernel = kernelOf(doc);
    const root = kernel.namespaces.find((n) => n.name === 'root') as ObservedNamespace;
    const want = applied.value.root!.firewall;
    root.firewall = {
      chains: [
        ...builtinChains(Object.fromEntries(want.policies.map((p) => [`${p.table} ${p.chain}`, p.policy]))),
        ...want.chains.map((c) => ({ ...c, policy: null, packets: 0, bytes: 0 })),
      ],
      rules: [handRule, ...want.rules.map((r) => observedRule(r))],
    };
    const recovered = recoverTopology(kernel);
    expect(recovered.unrecovered).toEqual([]);
    expect(normal(recovered.document)).toEqual(normal(applied.value));
  });
});
