import {
  ROOT_CONTEXT,
  type ObservedFdbEntry,
  type ObservedNamespace,
  type ObservedPeer,
  type ObservedState,
} from '@netcanvas/model';
import { parseFdb, parseLinks, parseNetnsList, splitJsonLines, type ParsedInterface } from './parse';
import { mapLimit, run } from './process';
import { describeTarget, inTarget, type Target } from './target';

/** How many namespaces are read at once: the machine has two cores and the rtnl lock is shared. */
const CONCURRENCY = 4;

export interface RawNamespace {
  name: string;
  interfaces: ParsedInterface[];
  /** name → id, as this namespace numbers the others. */
  ids: Map<string, number>;
  fdb: ObservedFdbEntry[];
}

/** One `ip -j -d -s -batch` per namespace: links with details and counters, addresses, and nsids. */
async function readNamespace(target: Target, name: string): Promise<RawNamespace | null> {
  const ns = name === ROOT_CONTEXT ? [] : ['-n', name];
  const result = await run(inTarget(target, ['ip', ...ns, '-j', '-d', '-s', '-batch', '-']), {
    input: 'addr show\nnetns list\n',
  });
  // A namespace deleted between listing and reading is simply gone.
  if (result.exitCode !== 0 && name !== ROOT_CONTEXT) return null;
  if (result.exitCode !== 0) throw new Error(`ip addr show failed: ${result.stderr.trim()}`);
  const [links, netns] = splitJsonLines(result.stdout);
  const ids = new Map<string, number>();
  for (const entry of netns === undefined ? [] : parseNetnsList(netns))
    if (entry.id !== null) ids.set(entry.name, entry.id);
  return { name, interfaces: parseLinks(links ?? []), ids, fdb: [] };
}

async function readFdb(target: Target, name: string): Promise<ObservedFdbEntry[]> {
  const ns = name === ROOT_CONTEXT ? [] : ['-n', name];
  const result = await run(inTarget(target, ['bridge', ...ns, '-j', '-s', 'fdb', 'show']));
  if (result.exitCode !== 0) return [];
  const [json] = splitJsonLines(result.stdout);
  return json === undefined ? [] : parseFdb(json);
}

/** Lists the named namespaces the target can see (all of them on the host). */
async function listNamespaces(target: Target): Promise<string[]> {
  const result = await run(inTarget(target, ['ip', '-j', 'netns', 'list']));
  if (result.exitCode !== 0) throw new Error(`ip netns list failed: ${result.stderr.trim()}`);
  const [json] = splitJsonLines(result.stdout);
  return json === undefined ? [] : parseNetnsList(json).map((e) => e.name);
}

/**
 * The whole observed state of a lab: its root and every named namespace in it, each interface
 * with its addresses, counters, bridge and veth peer (namespace + interface, the way
 * `ethtool -S` → peer_ifindex and `link-netnsid` tell it), and each bridge's forwarding table.
 */
export async function observe(target: Target, owned: ReadonlySet<string>): Promise<ObservedState> {
  const rootAndNames = [ROOT_CONTEXT, ...(await listNamespaces(target))];
  const raws = (await mapLimit(rootAndNames, CONCURRENCY, (name) => readNamespace(target, name))).filter(
    (r): r is RawNamespace => r !== null,
  );
  const withBridges = raws.filter((r) => r.interfaces.some((i) => i.kind === 'bridge'));
  await mapLimit(withBridges, CONCURRENCY, async (r) => {
    r.fdb = await readFdb(target, r.name);
  });
  return {
    target: describeTarget(target),
    takenAt: new Date().toISOString(),
    namespaces: resolvePeers(raws, owned, target.kind === 'sandbox'),
  };
}

/**
 * Turns each veth's (nsid, ifindex) into (namespace name, interface name). An nsid is local to the
 * namespace that reports it, so each namespace's own `netns list` is the dictionary. The lab's
 * root has no name in /run/netns; a peer there is recognised by the root's veth pointing back.
 */
export function resolvePeers(
  raws: RawNamespace[],
  owned: ReadonlySet<string>,
  rootIsLabs: boolean,
): ObservedNamespace[] {
  const byName = new Map(raws.map((r) => [r.name, r]));
  const root = byName.get(ROOT_CONTEXT);
  const peerOf = (ns: RawNamespace, iface: ParsedInterface): ObservedPeer | null => {
    const ref = iface.peerRef;
    if (ref === null) return null;
    let peerNs: string | null = null;
    if (ref.sameNamespace) peerNs = ns.name;
    else {
      for (const [name, id] of ns.ids) if (id === ref.nsid && name !== ns.name) peerNs = name;
      if (peerNs === null && root && ns.name !== ROOT_CONTEXT) {
        const rootIdOfNs = root.ids.get(ns.name);
        const back = root.interfaces.find((i) => i.ifindex === ref.ifindex && i.peerRef !== null);
        if (
          back?.peerRef &&
          !back.peerRef.sameNamespace &&
          back.peerRef.nsid === rootIdOfNs &&
          back.peerRef.ifindex === iface.ifindex
        )
          peerNs = ROOT_CONTEXT;
      }
    }
    const peerIface =
      peerNs === null ? undefined : byName.get(peerNs)?.interfaces.find((i) => i.ifindex === ref.ifindex);
    return { namespace: peerIface ? peerNs : null, ifindex: ref.ifindex, ifname: peerIface?.ifname ?? null };
  };
  return raws.map((ns) => ({
    name: ns.name,
    // The root is the lab's own in a sandbox; on the host it is the machine's.
    managed: ns.name === ROOT_CONTEXT ? rootIsLabs : owned.has(ns.name),
    interfaces: ns.interfaces.map((iface) => {
      const { peerRef: _ref, ...rest } = iface;
      return { ...rest, peer: peerOf(ns, iface) };
    }),
    fdb: ns.fdb,
  }));
}
