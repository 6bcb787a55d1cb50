import { ROOT } from './names';
import type { EndpointSpec, Topology } from './topology';
import { isChecked } from './validate-edited';

/**
 * Raw → resolved (as containerlab does it): the document names nodes; the kernel has interfaces
 * in network namespaces. Resolving says, for every interface the document wants, which network
 * namespace (its "context": a namespace name, or "root") it lives in and what it must look like.
 */

export type Context = string;

export interface DesiredVethEnd {
  kind: 'veth';
  context: Context;
  ifname: string;
  addresses: string[];
  up: boolean;
  mtu?: number | undefined;
  mac?: string | undefined;
  /** The bridge this end is a port of (a bridge in the same context). */
  master?: string | undefined;
  peer: { context: Context; ifname: string };
  /** Where it came from in the document, for error messages. */
  path: string;
}

export interface DesiredBridge {
  kind: 'bridge';
  context: Context;
  ifname: string;
  addresses: string[];
  up: boolean;
  mtu?: number | undefined;
  mac?: string | undefined;
  stp: boolean;
  path: string;
}

export type DesiredInterface = DesiredVethEnd | DesiredBridge;

export interface ResolvedTopology {
  namespaces: { name: string; loUp: boolean }[];
  bridges: DesiredBridge[];
  /** Veth pairs, each as its two ends (a first). */
  veths: [DesiredVethEnd, DesiredVethEnd][];
}

/** The context an endpoint's interface lives in, and its bridge if the node is one. */
export function endpointPlacement(
  doc: Topology,
  node: string,
): { context: Context; master?: string } | undefined {
  if (node === ROOT) return { context: ROOT };
  return placementsOf(doc).get(node);
}

type Placement = { context: Context; master?: string };
/**
 * Each node's placement, made once per document (its lists, as they are): validating a document
 * asks for every link's two ends, which at 1,000 namespaces searched the lists 4,000 times.
 */
const placementCache = new WeakMap<
  Topology,
  { namespaces: unknown[]; bridges: unknown[]; sizes: string; map: Map<string, Placement> }
>();
function placementsOf(doc: Topology): Map<string, Placement> {
  const sizes = `${doc.namespaces.length}/${doc.bridges.length}`;
  const cached = placementCache.get(doc);
  if (
    cached &&
    cached.namespaces === doc.namespaces &&
    cached.bridges === doc.bridges &&
    cached.sizes === sizes
  )
    return cached.map;
  const map = new Map<string, Placement>();
  // A namespace wins over a bridge of the same name (a document with both is refused anyway).
  for (const br of doc.bridges)
    if (!map.has(br.name)) map.set(br.name, { context: br.namespace ?? ROOT, master: br.name });
  for (const ns of doc.namespaces) map.set(ns.name, { context: ns.name });
  placementCache.set(doc, { namespaces: doc.namespaces, bridges: doc.bridges, sizes, map });
  return map;
}

/**
 * Each document's resolution, kept for documents checked (validate-edited.ts: those are never
 * changed in place). An edit's check resolves the new document, and its plan asks again: at 1,000
 * namespaces each resolution is ~3 ms of objects made for 2,000 ends. Frozen, as it is shared.
 */
const resolvedOf = new WeakMap<Topology, ResolvedTopology>();

/** Resolves a document that has passed validation (unknown nodes are skipped). */
export function resolveTopology(doc: Topology): ResolvedTopology {
  const kept = resolvedOf.get(doc);
  // A document not (yet) checked may have changed since: resolve it again (the check's own call).
  if (kept && isChecked(doc)) return kept;
  const resolved = resolveWhole(doc);
  resolvedOf.set(doc, resolved);
  return resolved;
}

function resolveWhole(doc: Topology): ResolvedTopology {
  const bridges: DesiredBridge[] = doc.bridges.map((br, i) => ({
    kind: 'bridge',
    context: br.namespace ?? ROOT,
    ifname: br.name,
    addresses: br.addresses,
    up: br.up,
    mtu: br.mtu,
    mac: br.mac,
    stp: br.stp,
    path: `bridges[${i}]`,
  }));
  const veths: [DesiredVethEnd, DesiredVethEnd][] = [];
  doc.links.forEach((link, i) => {
    const pa = endpointPlacement(doc, link.a.node);
    const pb = endpointPlacement(doc, link.b.node);
    if (!pa || !pb) return;
    const end = (
      ep: EndpointSpec,
      place: { context: Context; master?: string },
      peer: EndpointSpec,
      peerPlace: { context: Context },
      side: 'a' | 'b',
    ): DesiredVethEnd => ({
      kind: 'veth',
      context: place.context,
      ifname: ep.ifname,
      addresses: ep.addresses,
      up: ep.up,
      mtu: ep.mtu,
      mac: ep.mac,
      master: place.master,
      peer: { context: peerPlace.context, ifname: peer.ifname },
      path: `links[${i}].${side}`,
    });
    veths.push([end(link.a, pa, link.b, pb, 'a'), end(link.b, pb, link.a, pa, 'b')]);
  });
  const namespaces = doc.namespaces.map((ns) => ({ name: ns.name, loUp: ns.loUp }));
  return Object.freeze({
    namespaces: Object.freeze(namespaces) as ResolvedTopology['namespaces'],
    bridges: Object.freeze(bridges) as DesiredBridge[],
    veths: Object.freeze(veths) as ResolvedTopology['veths'],
  });
}
