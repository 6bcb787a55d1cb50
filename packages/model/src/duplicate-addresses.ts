import type { Topology } from './topology';

/**
 * The same IP address twice on one Ethernet segment: on a veth's two ends, or on two interfaces
 * behind one bridge (its ports' peers, and the bridge itself). The kernel takes both, and then
 * neither answers the other reliably (ARP gets two replies). A warning, not a refusal: a lesson may
 * show exactly this on purpose.
 */
export interface DuplicateAddress {
  /** The address without its prefix, as `ip` prints it. */
  ip: string;
  /** Where it is: `node:ifname` of a veth end, or a bridge's name. */
  holders: string[];
  /** The bridge the segment is, or null for a veth's two ends. */
  bridge: string | null;
  /** The warning in a sentence: "10.0.0.2 is on both ns1:eth0 and ns2:eth0 (one veth)". */
  message: string;
  /** A few words for a line on the canvas: "10.0.0.2 twice behind br0", "10.0.0.2 on both ends". */
  short: string;
}

export function duplicateAddresses(doc: Topology): DuplicateAddress[] {
  const bridges = new Set(doc.bridges.map((b) => b.name));
  // Union-find over segments: a link joins its two ends; a port end is its bridge's segment.
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    while (parent.has(root) && parent.get(root) !== root) root = parent.get(root) as string;
    parent.set(x, root);
    return root;
  };
  const join = (a: string, b: string) => parent.set(find(a), find(b));
  const segmentOf = (end: { node: string; ifname: string }) =>
    bridges.has(end.node) ? `br:${end.node}` : `end:${end.node}:${end.ifname}`;
  for (const link of doc.links) join(segmentOf(link.a), segmentOf(link.b));

  const holders = new Map<string, Map<string, string[]>>();
  const hold = (segment: string, ip: string, holder: string) => {
    const byIp = holders.get(find(segment)) ?? new Map<string, string[]>();
    holders.set(find(segment), byIp);
    byIp.set(ip, [...(byIp.get(ip) ?? []), holder]);
  };
  for (const br of doc.bridges) for (const cidr of br.addresses) hold(`br:${br.name}`, ipOf(cidr), br.name);
  for (const link of doc.links)
    for (const end of [link.a, link.b])
      for (const cidr of end.addresses) hold(segmentOf(end), ipOf(cidr), `${end.node}:${end.ifname}`);

  const found: DuplicateAddress[] = [];
  for (const [segment, byIp] of holders)
    for (const [ip, on] of byIp) {
      if (on.length < 2) continue;
      const bridge = [...bridges].find((b) => find(`br:${b}`) === segment) ?? null;
      const where = bridge ? `behind bridge ${bridge}` : 'the two ends of one veth';
      const list =
        on.length === 2 ? `both ${on[0]} and ${on[1]}` : `${on.slice(0, -1).join(', ')} and ${on.at(-1)}`;
      found.push({
        ip,
        holders: on,
        bridge,
        message: `${ip} is on ${list} (${where}): they will not reach each other reliably`,
        short: bridge ? `${ip} twice behind ${bridge}` : `${ip} on both ends`,
      });
    }
  return found;
}

/** The warnings about one veth end, or one bridge. */
export function duplicatesOf(found: readonly DuplicateAddress[], holder: string): DuplicateAddress[] {
  return found.filter((d) => d.holders.includes(holder));
}

const ipOf = (cidr: string): string => cidr.slice(0, cidr.indexOf('/'));
