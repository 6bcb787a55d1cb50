import { validateTopology, type Topology } from '@netcanvas/model';
import bridge from '../../../../examples/bridge.json';
import firewallDrop from '../../../../examples/firewall-drop.json';
import routerNat from '../../../../examples/router-nat.json';
import vethPair from '../../../../examples/veth-pair.json';

/** The repository's examples/ files, bundled at build time (the page loads nothing from elsewhere). */
export const EXAMPLES: { id: string; title: string; description: string; raw: unknown }[] = [
  {
    id: 'veth-pair',
    title: 'veth pair',
    description: 'ns0 and ns1 joined by veth0 (10.0.1.1/24) and veth1 (10.0.1.2/24)',
    raw: vethPair,
  },
  {
    id: 'bridge',
    title: 'bridge',
    description: 'br0 in the lab’s root, ns1–ns3 on 10.0.2.0/24, each attached by a veth',
    raw: bridge,
  },
  {
    id: 'router-nat',
    title: 'router with NAT',
    description:
      'h1, h2 on 10.1.0.0/24 behind br-in; r1 forwards to srv on 10.2.0.0/24 (br-out) and masquerades the inside',
    raw: routerNat,
  },
  {
    id: 'firewall-drop',
    title: 'firewall drop',
    description:
      'ns0 and ns1 on a veth pair; ns1 drops ICMP in filter INPUT, so a ping fails and the rule counts',
    raw: firewallDrop,
  },
];

export function exampleTopology(raw: unknown): Topology {
  const result = validateTopology(raw);
  if (!result.ok)
    throw new Error(`example is invalid: ${result.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  return result.value;
}
