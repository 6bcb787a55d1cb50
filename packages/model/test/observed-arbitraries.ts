import fc from 'fast-check';
import type {
  ObservedFdbEntry,
  ObservedFirewall,
  ObservedInterface,
  ObservedNamespace,
  ObservedRoute,
  ObservedState,
} from '../src';

/**
 * Random valid observed states, drawn from small pools of names and values so that two states
 * share namespaces, interfaces and entries often (what successive reads of a lab look like), and
 * a pair (A, B) where B is A with parts kept, changed, dropped, added and reordered.
 */

const NAMESPACES = ['root', 'ns0', 'ns1', 'h2', 'r1'];
const IFNAMES = ['lo', 'eth0', 'eth1', 'veth0', 'br0', 'p1'];
const ADDRESSES = ['10.0.0.1/24', '10.0.0.2/24', 'fe80::1/64', '192.168.1.1/16'];
const MACS = ['02:00:00:00:00:01', '02:00:00:00:00:02', '02:00:00:00:00:03'];
const small = fc.integer({ min: 0, max: 3 });
const counter = fc.integer({ min: 0, max: 1_000_000 });

const stats = fc.record({
  rxBytes: counter,
  rxPackets: counter,
  rxErrors: small,
  rxDropped: small,
  txBytes: counter,
  txPackets: counter,
  txErrors: small,
  txDropped: small,
});

const bridgeInfo = fc.record({
  bridgeId: fc.constantFrom('8000.02:00:00:00:00:01', '1000.02:00:00:00:00:02'),
  rootId: fc.constantFrom('8000.02:00:00:00:00:01', '1000.02:00:00:00:00:02'),
  rootPort: small,
  rootPathCost: fc.constantFrom(0, 100),
  priority: fc.constantFrom(32768, 4096),
  stpState: fc.constantFrom(0, 1),
  forwardDelay: fc.constantFrom(15, 4),
  helloTime: fc.constant(2),
  maxAge: fc.constant(20),
  ageingTime: fc.constantFrom(300, 10),
  vlanFiltering: fc.boolean(),
  topologyChange: fc.boolean(),
});

const portInfo = fc.record({
  state: fc.constantFrom('forwarding', 'blocking', 'disabled'),
  cost: fc.constantFrom(2, 100),
  priority: fc.constantFrom(32, 8),
  portNo: fc.option(small),
  learning: fc.boolean(),
  flood: fc.boolean(),
});

/** An optional field: absent, null or a value (the kernel reports each at times). */
const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(fc.option(arb), { nil: undefined });

const iface = (ifname: string): fc.Arbitrary<ObservedInterface> =>
  fc
    .record({
      ifindex: fc.integer({ min: 1, max: 20 }),
      kind: fc.constantFrom('veth', 'bridge', 'loopback', 'device'),
      up: fc.boolean(),
      operstate: fc.constantFrom('UP', 'DOWN', 'LOWERLAYERDOWN', 'UNKNOWN'),
      flags: fc.subarray(['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP']),
      mtu: fc.constantFrom(1500, 9000),
      mac: fc.option(fc.constantFrom(...MACS)),
      master: fc.option(fc.constantFrom('br0', 'br1')),
      managed: fc.boolean(),
      group: fc.constantFrom('default', '28259'),
      alias: fc.option(fc.constantFrom('uplink')),
      addresses: fc.subarray(ADDRESSES),
      peer: fc.option(
        fc.record({
          namespace: fc.option(fc.constantFrom(...NAMESPACES)),
          ifindex: fc.integer({ min: 1, max: 20 }),
          ifname: fc.option(fc.constantFrom(...IFNAMES)),
        }),
      ),
      stp: fc.option(fc.boolean()),
      stats: fc.option(stats),
      linkNetnsid: optional(small),
      bridgeInfo: optional(bridgeInfo),
      portInfo: optional(portInfo),
      kernelLinkLocal: fc.option(fc.subarray(['fe80::1/64', 'fe80::2/64']), { nil: undefined }),
    })
    .map((r) => {
      const out: Record<string, unknown> = { ifname, ...r };
      for (const k of ['linkNetnsid', 'bridgeInfo', 'portInfo', 'kernelLinkLocal'])
        if (out[k] === undefined) delete out[k];
      return out as ObservedInterface;
    });

const route: fc.Arbitrary<ObservedRoute> = fc.record(
  {
    // Absent for unicast (and in the wire forms from before types): an optional key, not undefined.
    type: fc.constantFrom('blackhole', 'unreachable', 'prohibit'),
    to: fc.constantFrom('default', '10.0.0.0/24', '::/0'),
    via: fc.option(fc.constantFrom('10.0.0.254')),
    dev: fc.option(fc.constantFrom('eth0', 'eth1')),
    protocol: fc.constantFrom('kernel', '203', 'boot'),
    metric: fc.option(fc.constantFrom(100, 1024)),
    managed: fc.boolean(),
  },
  { requiredKeys: ['to', 'via', 'dev', 'protocol', 'metric', 'managed'] },
);

const firewall: fc.Arbitrary<ObservedFirewall> = fc.record({
  chains: fc.uniqueArray(
    fc.record({
      table: fc.constantFrom('filter', 'nat'),
      name: fc.constantFrom('INPUT', 'FORWARD', 'POSTROUTING'),
      policy: fc.option(fc.constantFrom('ACCEPT', 'DROP')),
      packets: counter,
      bytes: counter,
    }),
    { selector: (c) => `${c.table} ${c.name}`, maxLength: 3 },
  ),
  rules: fc.array(
    fc.record({
      table: fc.constantFrom('filter', 'nat'),
      chain: fc.constantFrom('INPUT', 'FORWARD'),
      args: fc.constantFrom(['-p', 'icmp', '-j', 'ACCEPT'], ['-j', 'DROP'], ['-i', 'br0', '-j', 'ACCEPT']),
      managed: fc.boolean(),
      packets: counter,
      bytes: counter,
    }),
    { maxLength: 4 },
  ),
});

const fdbEntry: fc.Arbitrary<ObservedFdbEntry> = fc
  .record({
    bridge: fc.constantFrom('br0', 'br1'),
    mac: fc.constantFrom(...MACS),
    port: fc.constantFrom('p1', 'br0', 'veth0'),
    vlan: fc.option(fc.constantFrom(1, 10)),
    origin: fc.constantFrom('learned', 'local', 'static', undefined),
    ageSeconds: fc.integer({ min: 0, max: 300 }),
  })
  .map(({ origin, ageSeconds, ...e }) => ({
    ...e,
    learned: origin === 'learned' || origin === undefined,
    ageSeconds: origin === 'learned' ? ageSeconds : null,
    ...(origin ? { origin } : {}),
  }));

const namespace = (name: string): fc.Arbitrary<ObservedNamespace> =>
  fc
    .record({
      managed: fc.boolean(),
      forwarding: fc.option(fc.boolean(), { nil: undefined }),
      routes: fc.option(fc.array(route, { maxLength: 3 }), { nil: undefined }),
      firewall: fc.option(firewall, { nil: undefined }),
      ifnames: fc.shuffledSubarray(IFNAMES),
      fdb: fc.array(fdbEntry, { maxLength: 5 }),
    })
    .chain(({ ifnames, ...r }) =>
      fc.tuple(...ifnames.map(iface)).map((interfaces) => {
        const out: Record<string, unknown> = { name, ...r, interfaces };
        for (const k of ['forwarding', 'routes', 'firewall']) if (out[k] === undefined) delete out[k];
        return out as ObservedNamespace;
      }),
    );

export const observedState: fc.Arbitrary<ObservedState> = fc
  .shuffledSubarray(NAMESPACES)
  .chain((names) => fc.tuple(...names.map(namespace)))
  .map((namespaces) => ({
    target: { kind: 'sandbox', lab: 'prop', pid: 1 },
    takenAt: '2026-12-01T00:00:00.000Z',
    namespaces,
  }));

/** Picks, part by part, from A or from another state: kept, changed, dropped, added. */
function mix(a: ObservedNamespace, b: ObservedNamespace, picks: readonly number[]): ObservedNamespace {
  let p = 0;
  const pick = () => picks[p++ % picks.length] ?? 0;
  const names = [...new Set([...a.interfaces, ...b.interfaces].map((i) => i.ifname))];
  const interfaces = names.flatMap((n) => {
    const from = pick() % 3 === 0 ? a : b;
    const i =
      from.interfaces.find((x) => x.ifname === n) ??
      (from === a ? b : a).interfaces.find((x) => x.ifname === n);
    return i && pick() % 5 !== 0 ? [i] : [];
  });
  if (pick() % 2 === 0) interfaces.reverse();
  const part = <K extends keyof ObservedNamespace>(key: K) => (pick() % 2 === 0 ? a[key] : b[key]);
  const out: Record<string, unknown> = {
    name: a.name,
    managed: part('managed'),
    forwarding: part('forwarding'),
    routes: part('routes'),
    firewall: part('firewall'),
    interfaces,
    fdb: part('fdb'),
  };
  for (const k of ['forwarding', 'routes', 'firewall']) if (out[k] === undefined) delete out[k];
  return out as ObservedNamespace;
}

export const observedPair: fc.Arbitrary<[ObservedState, ObservedState]> = fc
  .tuple(observedState, observedState, fc.array(fc.nat(), { minLength: 1, maxLength: 40 }), fc.boolean())
  .map(([a, other, picks, reverse]) => {
    const byName = new Map(other.namespaces.map((ns) => [ns.name, ns]));
    const kept = a.namespaces.flatMap((ns, n) => {
      const o = byName.get(ns.name);
      if ((picks[n % picks.length] ?? 0) % 7 === 0) return [];
      return [o ? mix(ns, o, picks.slice(n)) : ns];
    });
    const added = other.namespaces.filter((ns) => !a.namespaces.some((x) => x.name === ns.name));
    const namespaces = [...kept, ...added];
    if (reverse) namespaces.reverse();
    return [a, { ...other, takenAt: '2026-12-01T00:00:01.000Z', namespaces }];
  });
