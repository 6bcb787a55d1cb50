import {
  findNamespace,
  givenAddresses,
  patchedNamespace,
  routeFamily,
  type ObservedInterface,
  type ObservedNamespace,
  type ObservedPatch,
  type ObservedState,
  type PathResult,
} from '@netcanvas/model';

/**
 * The namespace, on the segment an answer ended on without a neighbour (no ARP answer), whose
 * IPv4 addresses the patches changed; undefined when none did. Such an answer depends on more than
 * the namespaces the packet was in: any namespace on the last hop's link may take the address and
 * answer the next ARP request (a bridge's other ports' peers, a direct veth's peer, the bridge's
 * own namespace), though the packet never entered it. Its other changes (routes, rules) answer no
 * ARP, so they leave the answer as it was. The segment is read from the state before and after the
 * patches: a host attached since the trace is on it too.
 */
export function segmentChangedIn(
  result: PathResult,
  patches: readonly ObservedPatch[],
  before: ObservedState | null,
  after: ObservedState | null,
): string | undefined {
  if (result.end.kind !== 'noArp' || !before || !after) return undefined;
  const { namespace, dev } = result.end;
  const segment = new Set([
    ...segmentNamespaces(before, namespace, dev),
    ...segmentNamespaces(after, namespace, dev),
  ]);
  return patches
    .map(patchedNamespace)
    .find((ns) => segment.has(ns) && ipv4Addresses(before, ns) !== ipv4Addresses(after, ns));
}

/**
 * The namespaces a frame leaving `ifname` of `namespace` can reach without a router: across veths
 * (the peer the state names) and bridges (every port of one), as the agent's walk crosses them
 * (kernel path-walk.ts, `crossLinks`), but to every port rather than the one a MAC is learned on.
 */
export function segmentNamespaces(observed: ObservedState, namespace: string, ifname: string): Set<string> {
  const seen = new Set<string>();
  const names = new Set<string>();
  const queue: Array<[string, string]> = [[namespace, ifname]];
  for (let next = queue.pop(); next; next = queue.pop()) {
    const [at, name] = next;
    const key = `${at}\0${name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const ns = findNamespace(observed, at);
    const here = ns?.interfaces.find((i) => i.ifname === name);
    if (!ns || !here) continue;
    names.add(at);
    queue.push(...linkedTo(ns, here));
  }
  return names;
}

/** The interfaces one L2 step from `i`: its veth peer, the bridge it is a port of, a bridge's ports. */
function linkedTo(ns: ObservedNamespace, i: ObservedInterface): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  if (i.kind === 'veth' && i.peer?.namespace && i.peer.ifname) out.push([i.peer.namespace, i.peer.ifname]);
  if (i.master) out.push([ns.name, i.master]);
  if (i.kind === 'bridge')
    for (const port of ns.interfaces) if (port.master === i.ifname) out.push([ns.name, port.ifname]);
  return out;
}

/**
 * A namespace's IPv4 addresses, any interface (Linux answers ARP for any of its addresses on any
 * link, by default), as one text to compare: the path follows IPv4 only, and lo's own and the
 * kernel's link-local addresses answer no ARP request.
 */
const ipv4Addresses = (observed: ObservedState, ns: string): string =>
  (findNamespace(observed, ns)?.interfaces ?? [])
    .flatMap((i) => givenAddresses(i).filter((a) => routeFamily(a) === 4))
    .sort()
    .join(' ');
