import { validateTopology, type Topology } from '@netcanvas/model';

/**
 * The benchmark's lab: `bridges` bridges in the lab's root, `perBridge` namespaces on each, every
 * namespace joined by a veth (port `p<N>` on the bridge, `eth0` inside, addressed), all up, lo up.
 */
export function bridgedTopology(bridges = 20, perBridge = 10): Topology {
  const namespaces = [];
  const links = [];
  for (let b = 0; b < bridges; b++)
    for (let n = 0; n < perBridge; n++) {
      const name = `h${b}-${n}`;
      namespaces.push({ name });
      links.push({
        a: { node: `br${b}`, ifname: `p${b}-${n}` },
        b: { node: name, ifname: 'eth0', addresses: [`10.${b}.0.${n + 1}/24`] },
      });
    }
  const bridgesList = Array.from({ length: bridges }, (_, b) => ({ name: `br${b}` }));
  const result = validateTopology({ schemaVersion: 1, namespaces, bridges: bridgesList, links });
  if (!result.ok) throw new Error(JSON.stringify(result.issues.slice(0, 3)));
  return result.value;
}
