import { describe, expect, it } from 'vitest';
import { ruleArgs, validateTopology, type NamespaceSpec, type ObservedNamespace } from '@netcanvas/model';
import { planNetfilter } from '../src/plan-netfilter';

const spec = (extra: Record<string, unknown>): NamespaceSpec => {
  const doc = validateTopology({
    schemaVersion: 1,
    namespaces: [{ name: 'r1', ...extra }],
    links: [
      { a: { node: 'r1', ifname: 'eth0', addresses: ['10.1.0.1/24'] }, b: { node: 'root', ifname: 'p0' } },
    ],
  });
  if (!doc.ok) throw new Error(JSON.stringify(doc.issues));
  return doc.value.namespaces[0] as NamespaceSpec;
};
const seen = (extra: Partial<ObservedNamespace>): ObservedNamespace => ({
  name: 'r1',
  managed: true,
  interfaces: [],
  fdb: [],
  forwarding: false,
  routes: [],
  firewall: { chains: [], rules: [] },
  ...extra,
});
const argvs = (part: { root: { argv: string[] }[]; inNamespace: { argv: string[] }[] }) => ({
  root: part.root.map((s) => s.argv.join(' ')),
  inNamespace: part.inNamespace.map((s) => s.argv.join(' ')),
});
const drop = { table: 'filter', chain: 'FORWARD', protocol: 'icmp', target: 'DROP' } as const;

describe('planNetfilter', () => {
  it('plans forwarding, a route and a rule for a new namespace', () => {
    const want = spec({
      forwarding: true,
      routes: [{ to: '10.9.0.0/16', via: '10.1.0.254' }],
      firewall: { rules: [drop] },
    });
    expect(argvs(planNetfilter(want, undefined))).toEqual({
      root: [
        'ip netns exec r1 sysctl -q -w net.ipv4.ip_forward=1',
        'ip netns exec r1 iptables -A FORWARD -p icmp -m comment --comment netcanvas -j DROP',
      ],
      inNamespace: ['ip -n r1 route add 10.9.0.0/16 via 10.1.0.254 proto 203'],
    });
  });

  it('plans nothing when the kernel already matches', () => {
    const want = spec({
      forwarding: true,
      routes: [{ to: 'default', via: '10.1.0.254' }],
      firewall: { rules: [drop], policies: [{ chain: 'FORWARD', policy: 'DROP' }] },
    });
    const have = seen({
      forwarding: true,
      routes: [
        { to: 'default', via: '10.1.0.254', dev: 'eth0', protocol: '203', metric: null, managed: true },
      ],
      firewall: {
        chains: [{ table: 'filter', name: 'FORWARD', policy: 'DROP', packets: 0, bytes: 0 }],
        rules: [
          {
            table: 'filter',
            chain: 'FORWARD',
            args: ruleArgs(want.firewall.rules[0]!),
            managed: true,
            packets: 9,
            bytes: 9,
          },
        ],
      },
    });
    expect(argvs(planNetfilter(want, have))).toEqual({ root: [], inNamespace: [] });
  });

  it("replaces the lab's rules of a chain whose order changed, and leaves rules made by hand alone", () => {
    const accept = {
      table: 'filter',
      chain: 'FORWARD',
      protocol: 'tcp',
      destinationPort: 22,
      target: 'ACCEPT',
    } as const;
    const want = spec({ firewall: { rules: [accept, drop] } });
    const handRule = {
      table: 'filter',
      chain: 'FORWARD',
      args: ['-j', 'LOG'],
      managed: false,
      packets: 0,
      bytes: 0,
    };
    const have = seen({
      firewall: {
        chains: [],
        rules: [
          {
            table: 'filter',
            chain: 'FORWARD',
            args: ruleArgs(spec({ firewall: { rules: [drop] } }).firewall.rules[0]!),
            managed: true,
            packets: 0,
            bytes: 0,
          },
          handRule,
          {
            table: 'filter',
            chain: 'FORWARD',
            args: ruleArgs(spec({ firewall: { rules: [accept] } }).firewall.rules[0]!),
            managed: true,
            packets: 0,
            bytes: 0,
          },
        ],
      },
    });
    expect(argvs(planNetfilter(want, have)).root).toEqual([
      'ip netns exec r1 iptables -D FORWARD -p icmp -m comment --comment netcanvas -j DROP',
      'ip netns exec r1 iptables -D FORWARD -p tcp -m tcp --dport 22 -m comment --comment netcanvas -j ACCEPT',
      'ip netns exec r1 iptables -A FORWARD -p tcp -m tcp --dport 22 -m comment --comment netcanvas -j ACCEPT',
      'ip netns exec r1 iptables -A FORWARD -p icmp -m comment --comment netcanvas -j DROP',
    ]);
  });

  it("removes only the lab's routes", () => {
    const have = seen({
      routes: [
        { to: '10.9.0.0/16', via: '10.1.0.254', dev: 'eth0', protocol: '203', metric: null, managed: true },
        {
          to: '192.0.2.0/24',
          via: '10.1.0.254',
          dev: 'eth0',
          protocol: 'boot',
          metric: null,
          managed: false,
        },
      ],
    });
    expect(argvs(planNetfilter(spec({}), have)).inNamespace).toEqual([
      'ip -n r1 route del 10.9.0.0/16 via 10.1.0.254 dev eth0 proto 203',
    ]);
  });

  it('plans nothing for a firewall it has not read', () => {
    const want = spec({ firewall: { rules: [drop] } });
    expect(argvs(planNetfilter(want, seen({ firewall: undefined }))).root).toEqual([]);
  });
});
