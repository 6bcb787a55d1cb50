import { ROOT } from './names';
import type { EndpointSpec, Topology } from './topology';

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
  if (doc.namespaces.some((ns) => ns.name === node)) return { context: node };
  const bridge = doc.bridges.find((br) => br.name === node);
  if (bridge) return { context: bridge.namespace ?? ROOT, master: bridge.name };
  return undefined;
}

/** Resolves a document that has passed validation (unknown nodes are skipped). */
export function resolveTopology(doc: Topology): ResolvedTopology {
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
  return { namespaces: doc.namespaces.map((ns) => ({ name: ns.name, loUp: ns.loUp })), bridges, veths };
}
