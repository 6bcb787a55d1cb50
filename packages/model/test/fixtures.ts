import type { ObservedInterface } from '../src/observed';
import type { TopologyInput } from '../src/topology';

/** An observed veth, up, made by the lab, without a peer or counters: tests override what they need. */
export const observedVeth = (ifname: string, extra: Partial<ObservedInterface> = {}): ObservedInterface => ({
  ifindex: 2,
  ifname,
  kind: 'veth',
  up: true,
  operstate: 'UP',
  flags: ['UP'],
  mtu: 1500,
  mac: '02:00:00:00:00:01',
  master: null,
  managed: true,
  group: '28259',
  alias: null,
  addresses: [],
  peer: null,
  stp: null,
  stats: null,
  ...extra,
});

/** The tutorial's first lab: two namespaces joined by a veth pair, one subnet. */
export const vethPair = (): TopologyInput => ({
  schemaVersion: 1,
  namespaces: [{ name: 'ns0' }, { name: 'ns1' }],
  links: [
    {
      a: { node: 'ns0', ifname: 'veth0', addresses: ['10.0.1.1/24'] },
      b: { node: 'ns1', ifname: 'veth1', addresses: ['10.0.1.2/24'] },
    },
  ],
});

/** The tutorial's bridge lab: br0 in the root namespace, three namespaces plugged into it. */
export const bridgeLab = (): TopologyInput => ({
  schemaVersion: 1,
  namespaces: [{ name: 'ns0' }, { name: 'ns1' }, { name: 'ns2' }],
  bridges: [{ name: 'br0', addresses: ['10.0.0.1/24'] }],
  links: [0, 1, 2].map((i) => ({
    a: { node: `ns${i}`, ifname: 'eth0', addresses: [`10.0.0.${i + 10}/24`] },
    b: { node: 'br0', ifname: `veth${i}` },
  })),
});
