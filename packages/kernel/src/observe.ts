import { readdir } from 'node:fs/promises';
import {
  ROOT_CONTEXT,
  type ObservedFdbEntry,
  type ObservedNamespace,
  type ObservedPeer,
  type ObservedState,
} from '@netcanvas/model';
import { parseFdb, parseLinks, parseNetnsList, splitJsonLines, type ParsedInterface } from './parse';
import type { NamespaceIo } from './io';
import { mapLimit, run } from './process';
import { describeTarget, inNamespace, netnsDirOf, type Target } from './target';

/** How many namespaces are read at once: the machine has two cores and the rtnl lock is shared. */
const CONCURRENCY = 4;

export interface RawNamespace {
  name: string;
  interfaces: ParsedInterface[];
  /** name → id, as this namespace numbers the others (only read where a peer needs it). */
  ids: Map<string, number>;
  fdb: ObservedFdbEntry[];
}

function toIds(json: unknown): Map<string, number> {
  const ids = new Map<string, number>();
  for (const entry of json === undefined ? [] : parseNetnsList(json))
    if (entry.id !== null) ids.set(entry.name, entry.id);
  return ids;
}

async function readFdb(target: Target, name: string): Promise<ObservedFdbEntry[]> {
  const result = await run(inNamespace(target, name, ['bridge', '-j', '-s', 'fdb', 'show']));
  if (result.exitCode !== 0) return [];
  const [json] = splitJsonLines(result.stdout);
  return json === undefined ? [] : parseFdb(json);
}

/** The named namespaces the target can see (all of the machine's on the host), without spawning. */
export async function listNamespaceNames(target: Target): Promise<string[]> {
  try {
    return (await readdir(netnsDirOf(target))).sort();
  } catch {
    return [];
  }
}

/**
 * The whole observed state of a lab: its root and every named namespace in it, each interface
 * with its addresses, counters, bridge and veth peer (namespace + interface, the way
 * `ethtool -S` → peer_ifindex and `link-netnsid` tell it), and each bridge's forwarding table.
 * One `addr show` per namespace (see io.ts for how); nsid maps only where a peer needs one
 * (`netns list` costs O(namespaces) inside each namespace, so O(n²) if asked everywhere).
 */
export async function observe(
  target: Target,
  owned: ReadonlySet<string>,
  io: NamespaceIo,
): Promise<ObservedState> {
  const names = await listNamespaceNames(target);
  const contexts = [ROOT_CONTEXT, ...names];
  const dumps = await io.query(contexts, 'addr show');
  // A namespace deleted between listing and reading is simply gone.
  const raws: RawNamespace[] = contexts
    .filter((name) => dumps.has(name))
    .map((name) => ({ name, interfaces: parseLinks(dumps.get(name) ?? []), ids: new Map(), fdb: [] }));
  const root = raws.find((r) => r.name === ROOT_CONTEXT) as RawNamespace;
  if (names.length > 0) root.ids = toIds((await io.query([ROOT_CONTEXT], 'netns list')).get(ROOT_CONTEXT));
  // Peers in another named namespace need that namespace's own numbering of the others.
  const needIds = raws.filter(
    (r) =>
      r.name !== ROOT_CONTEXT &&
      r.interfaces.some((i) => i.peerRef && !i.peerRef.sameNamespace && !pointsBackFromRoot(root, r, i)),
  );
  if (needIds.length > 0) {
    const lists = await io.query(
      needIds.map((r) => r.name),
      'netns list',
    );
    for (const r of needIds) r.ids = toIds(lists.get(r.name));
  }
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

/** True when the root has the veth this interface points at, and it points back here. */
function pointsBackFromRoot(root: RawNamespace, ns: RawNamespace, iface: ParsedInterface): boolean {
  const ref = iface.peerRef;
  if (!ref || ref.sameNamespace) return false;
  const rootIdOfNs = root.ids.get(ns.name);
  const back = root.interfaces.find((i) => i.ifindex === ref.ifindex);
  return (
    back?.peerRef !== null &&
    back?.peerRef !== undefined &&
    !back.peerRef.sameNamespace &&
    back.peerRef.nsid === rootIdOfNs &&
    back.peerRef.ifindex === iface.ifindex
  );
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
    else if (root && ns.name !== ROOT_CONTEXT && pointsBackFromRoot(root, ns, iface)) peerNs = ROOT_CONTEXT;
    else for (const [name, id] of ns.ids) if (id === ref.nsid && name !== ns.name) peerNs = name;
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
