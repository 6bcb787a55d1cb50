import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyEdits,
  emptyTopology,
  expandAdopt,
  stateAfterMarks,
  recoverTopology,
  validateTopology,
  type FirewallRuleInput,
  type Topology,
  type TopologyInput,
} from '../src';
import { handLab } from './hand-lab';

/**
 * For random labs typed by hand (namespaces, bridges in the root or in a namespace, veth pairs of
 * every kind of end, routes, firewall rules, a user chain, policies, rules in the lab's root): adopt
 * all takes everything, the document it makes is the one that describes the lab, and recovering the lab once marked
 * gives that document again (what a lost document would come back as).
 */

const RULES: FirewallRuleInput[] = [
  { chain: 'INPUT', protocol: 'icmp', target: 'ACCEPT' },
  { chain: 'INPUT', protocol: 'tcp', destinationPort: 22, target: 'DROP' },
  { chain: 'FORWARD', source: '10.0.0.0/8', target: 'ACCEPT' },
  { chain: 'OUTPUT', protocol: 'udp', sourcePort: '1000:2000', target: 'REJECT' },
  { table: 'nat', chain: 'POSTROUTING', source: '10.1.0.0/16', target: 'MASQUERADE' },
  {
    table: 'nat',
    chain: 'PREROUTING',
    protocol: 'tcp',
    destinationPort: 80,
    target: 'DNAT',
    toDestination: '10.0.0.9',
  },
  { chain: 'INPUT', target: 'audit' },
  { chain: 'audit', protocol: 'tcp', target: 'RETURN' },
];

const labInput = fc
  .record({
    namespaces: fc.array(
      fc.record({
        loUp: fc.boolean(),
        forwarding: fc.boolean(),
        rules: fc.array(fc.constantFrom(...RULES.keys()), { maxLength: 5 }),
        dropForward: fc.boolean(),
        typedRoute: fc.option(fc.constantFrom('blackhole', 'unreachable', 'prohibit'), { nil: undefined }),
      }),
      { minLength: 1, maxLength: 4 },
    ),
    bridges: fc.array(fc.record({ where: fc.nat(4), stp: fc.boolean(), addressed: fc.boolean() }), {
      maxLength: 2,
    }),
    links: fc.array(
      fc.record({
        a: fc.nat(8),
        b: fc.nat(8),
        addressed: fc.boolean(),
        mtu: fc.constantFrom(undefined, 1400, 9000),
        up: fc.boolean(),
      }),
      { maxLength: 5 },
    ),
    routed: fc.boolean(),
    rootRules: fc.array(fc.constantFrom(0, 2, 4), { maxLength: 2 }),
  })
  .map((r): TopologyInput => {
    const ns = r.namespaces.map((n, i) => ({ name: `n${i}`, ...n }));
    const bridges = r.bridges.map((b, i) => {
      const home = b.where < ns.length ? ns[b.where]?.name : undefined;
      return {
        name: `br${i}`,
        ...(home ? { namespace: home } : {}),
        stp: b.stp,
        mac: `02:00:00:00:b0:0${i}`,
        addresses: b.addressed ? [`10.20${i}.0.1/24`] : [],
      };
    });
    const nodes = ['root', ...ns.map((n) => n.name), ...bridges.map((b) => b.name)];
    const links = r.links.flatMap((l, i) => {
      const a = nodes[l.a % nodes.length] as string;
      const b = nodes[l.b % nodes.length] as string;
      const isBridge = (node: string) => bridges.some((x) => x.name === node);
      if (a === b && isBridge(a)) return [];
      const end = (node: string, side: string, host: number) => ({
        node,
        ifname: `e${i}${side}`,
        up: l.up,
        ...(l.mtu !== undefined ? { mtu: l.mtu } : {}),
        mac: `02:00:00:00:0${i}:0${host}`,
        addresses: l.addressed && !isBridge(node) ? [`10.1${i}.0.${host}/24`] : [],
      });
      return [{ a: end(a, 'a', 1), b: end(b, 'b', 2) }];
    });
    // A route in a namespace through an addressed veth, via the peer's address.
    const routed = r.routed
      ? links.find(
          (l) =>
            l.a.addresses.length > 0 &&
            l.a.node !== 'root' &&
            l.b.addresses.length > 0 &&
            l.b.node !== l.a.node,
        )
      : undefined;
    return {
      schemaVersion: 1,
      namespaces: ns.map((n) => {
        // A chain of the user's with a rule of the lab's in or to it: recovery declares only those.
        const picked = [...new Set(n.rules)].map((k) => RULES[k] as FirewallRuleInput);
        const jumps = picked.some((x) => x.target === 'audit');
        const rules = jumps ? picked : picked.filter((x) => x.chain !== 'audit');
        return {
          name: n.name,
          loUp: n.loUp,
          forwarding: n.forwarding,
          routes: [
            ...(routed && routed.a.node === n.name
              ? [{ to: '10.250.0.0/16', via: (routed.b.addresses[0] as string).split('/')[0] }]
              : []),
            // A blackhole, unreachable or prohibit route: adopted with its type, no device.
            ...(n.typedRoute ? [{ type: n.typedRoute, to: '10.251.0.0/16', metric: 7 }] : []),
          ],
          firewall: {
            chains: jumps ? [{ name: 'audit' }] : [],
            policies: n.dropForward ? [{ chain: 'FORWARD', policy: 'DROP' }] : [],
            rules,
          },
        };
      }),
      // A MAC set by hand is held only on a bridge with ports (recover.ts pinnedBridgeMac: without
      // ports the kernel's random MAC and one set by hand look alike, and holding the random one
      // would plan "MAC drift" when a port joins). Its ports' MACs are all lower than its own.
      bridges: bridges.map(({ mac, ...b }) =>
        links.some((l) => l.a.node === b.name || l.b.node === b.name) ? { ...b, mac } : b,
      ),
      links,
      ...(r.rootRules.length > 0
        ? {
            root: {
              firewall: { rules: [...new Set(r.rootRules)].map((k) => RULES[k] as FirewallRuleInput) },
            },
          }
        : {}),
    } as TopologyInput;
  })
  .filter((input) => validateTopology(input).ok);

/** Compared without positions, link sides and order, or the order of chains, policies and rules across chains. */
const normal = (d: Topology) => ({
  namespaces: [...d.namespaces]
    .map(({ position: _p, ...ns }) => ({
      ...ns,
      firewall: {
        chains: [...ns.firewall.chains].sort((x, y) => x.name.localeCompare(y.name)),
        policies: [...ns.firewall.policies].sort((x, y) => x.chain.localeCompare(y.chain)),
        rules: [...ns.firewall.rules].sort((x, y) =>
          `${x.table} ${x.chain}`.localeCompare(`${y.table} ${y.chain}`),
        ),
      },
    }))
    .sort((x, y) => x.name.localeCompare(y.name)),
  bridges: d.bridges.map(({ position: _p, ...br }) => br).sort((x, y) => x.name.localeCompare(y.name)),
  links: d.links
    .map((l) =>
      JSON.stringify([l.a, l.b].sort((x, y) => (x.node + x.ifname).localeCompare(y.node + y.ifname))),
    )
    .sort(),
  root: d.root?.firewall.rules.map((r) => `${r.table} ${r.chain} ${r.target}`).sort(),
});

describe('adopt all, property-based', () => {
  it('takes a random lab typed by hand whole; recovering it once marked gives the same document', () => {
    fc.assert(
      fc.property(labInput, (input) => {
        const observed = handLab(input);
        const plan = expandAdopt(emptyTopology(), observed, { type: 'adopt', all: true });
        if (!plan.ok) throw new Error(JSON.stringify(plan.issues));
        expect(plan.value.left).toEqual([]);
        const after = applyEdits(emptyTopology(), plan.value.edits);
        if (!after.ok) throw new Error(JSON.stringify(after.issues));
        const described = validateTopology(input);
        if (!described.ok) throw new Error('generator made an invalid document');
        expect(normal(after.value)).toEqual(normal(described.value));

        // The kernel once the marks are set, read back as a lost document would be.
        const marked = stateAfterMarks(observed, plan.value);
        // Only the lab's root was the lab's before; every other namespace was adopted.
        expect(marked.namespaces.every((n) => n.managed)).toBe(true);
        expect(normal(recoverTopology(marked).document)).toEqual(normal(after.value));
      }),
      { numRuns: 150 },
    );
  });
});
