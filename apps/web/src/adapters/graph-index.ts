import {
  ROOT,
  endpointPlacement,
  handRenamesAt,
  type EndpointSpec,
  type HandRename,
  type ObservedInterface,
  type ObservedNamespace,
  type ObservedState,
  type Topology,
} from '@netcanvas/model';

/** One veth end the document wants, with its peer and the namespace it lives in. */
export interface DesiredEnd {
  spec: EndpointSpec;
  peer: EndpointSpec;
  context: string;
}

/** Where each interface is drawn: which node, and whether as a card row or a bridge port. */
export type Anchor = { nodeId: string; kind: 'row' | 'port' };
export const anchorKey = (context: string, ifname: string) => `${context}\u0000${ifname}`;

/**
 * The lookups every part of the graph shares, made once per build: the observed namespaces by
 * name, the document's veth ends by the node they are drawn on, and which interfaces the document
 * names (so what is left over is "made by hand").
 */
export interface GraphIndex {
  doc: Topology;
  observedNs: Map<string, ObservedNamespace>;
  placementOf: (node: string) => ReturnType<typeof endpointPlacement>;
  find: (context: string, ifname: string) => ObservedInterface | undefined;
  /** Desired veth ends, grouped by the node they are drawn on. */
  ends: Map<string, DesiredEnd[]>;
  /** anchorKey of every desired veth end. */
  desiredIn: Set<string>;
  /** anchorKey of every bridge of the document. */
  docBridges: Set<string>;
  /**
   * The lab's veth ends renamed or moved by hand (model `handRenameOf`, as the inspector says it),
   * by the anchorKey of the document's end and of the kernel's: drawn as the lab's link that
   * drifted, never as one made outside netcanvas.
   */
  renamedFrom: Map<string, HandRename>;
  renamedTo: Map<string, HandRename>;
}

/**
 * `endpointPlacement` for every endpoint of one document, without its linear scan of the
 * namespaces per call (quadratic over a lab's links: ~170 ms of the first render at 2,000).
 */
function placements(doc: Topology): GraphIndex['placementOf'] {
  const namespaces = new Set(doc.namespaces.map((ns) => ns.name));
  return (node) => (node !== ROOT && namespaces.has(node) ? { context: node } : endpointPlacement(doc, node));
}

function desiredEnds(doc: Topology, placementOf: GraphIndex['placementOf']) {
  const ends = new Map<string, DesiredEnd[]>();
  const desiredIn = new Set<string>();
  for (const link of doc.links)
    for (const [spec, peer] of [
      [link.a, link.b],
      [link.b, link.a],
    ] as const) {
      const place = placementOf(spec.node);
      if (!place) continue;
      const list = ends.get(spec.node) ?? [];
      list.push({ spec, peer, context: place.context });
      ends.set(spec.node, list);
      desiredIn.add(anchorKey(place.context, spec.ifname));
    }
  return { ends, desiredIn };
}

/**
 * The renames by hand among the kernel's marked veths: only one whose peer is a document end can
 * be one, so the model (which resolves the document) is asked about those few, not every veth.
 */
function handRenames(doc: Topology, observed: ObservedState | null, desiredIn: ReadonlySet<string>) {
  const candidates: { context: string; ifname: string }[] = [];
  for (const ns of observed?.namespaces ?? [])
    for (const o of ns.interfaces) {
      const peer = o.peer;
      if (!o.managed || o.kind !== 'veth' || !peer?.namespace || !peer.ifname) continue;
      if (desiredIn.has(anchorKey(ns.name, o.ifname))) continue;
      if (desiredIn.has(anchorKey(peer.namespace, peer.ifname)))
        candidates.push({ context: ns.name, ifname: o.ifname });
    }
  const renamedFrom = new Map<string, HandRename>();
  const renamedTo = new Map<string, HandRename>();
  if (observed)
    for (const r of handRenamesAt(doc, observed, candidates)) {
      renamedFrom.set(anchorKey(r.from.context, r.from.ifname), r);
      renamedTo.set(anchorKey(r.to.context, r.to.ifname), r);
    }
  return { renamedFrom, renamedTo };
}

export function indexGraph(doc: Topology, observed: ObservedState | null): GraphIndex {
  const placementOf = placements(doc);
  const observedNs = new Map<string, ObservedNamespace>((observed?.namespaces ?? []).map((n) => [n.name, n]));
  const ends = desiredEnds(doc, placementOf);
  return {
    doc,
    observedNs,
    placementOf,
    find: (context, ifname) => observedNs.get(context)?.interfaces.find((i) => i.ifname === ifname),
    ...ends,
    docBridges: new Set(doc.bridges.map((b) => anchorKey(b.namespace ?? ROOT, b.name))),
    ...handRenames(doc, observed, ends.desiredIn),
  };
}
