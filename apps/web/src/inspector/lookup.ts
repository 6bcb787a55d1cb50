import {
  ROOT,
  type EndpointSpec,
  type ObservedInterface,
  type ObservedState,
  type Topology,
} from '@netcanvas/model';

export type NodeKind = 'namespace' | 'bridge' | 'root' | 'foreign';

export function nodeKind(doc: Topology, id: string): NodeKind {
  if (id === ROOT) return 'root';
  if (doc.namespaces.some((n) => n.name === id)) return 'namespace';
  if (doc.bridges.some((b) => b.name === id)) return 'bridge';
  return 'foreign';
}

/** The network namespace a node's interfaces live in. */
export function contextOf(doc: Topology, id: string): string {
  const bridge = doc.bridges.find((b) => b.name === id);
  if (bridge) return bridge.namespace ?? ROOT;
  return id;
}

export interface InterfaceLookup {
  context: string;
  /** The document's veth end, when this interface is one. */
  end: EndpointSpec | null;
  /** The other end in the document. */
  peerEnd: EndpointSpec | null;
  observed: ObservedInterface | undefined;
}

export function lookupInterface(
  doc: Topology,
  observed: ObservedState | null,
  nodeId: string,
  ifname: string,
): InterfaceLookup {
  const context = contextOf(doc, nodeId);
  let end: EndpointSpec | null = null;
  let peerEnd: EndpointSpec | null = null;
  for (const link of doc.links) {
    if (link.a.node === nodeId && link.a.ifname === ifname) [end, peerEnd] = [link.a, link.b];
    else if (link.b.node === nodeId && link.b.ifname === ifname) [end, peerEnd] = [link.b, link.a];
  }
  return {
    context,
    end,
    peerEnd,
    observed: observed?.namespaces
      .find((n) => n.name === context)
      ?.interfaces.find((i) => i.ifname === ifname),
  };
}

/** The first address of the other end, without its prefix: what a person would ping. */
export function peerAddress(
  doc: Topology,
  observed: ObservedState | null,
  nodeId: string,
  ifname: string,
): string {
  const { peerEnd, observed: o } = lookupInterface(doc, observed, nodeId, ifname);
  const fromDoc = peerEnd?.addresses[0];
  if (fromDoc) return fromDoc.split('/')[0] ?? '';
  if (o?.peer?.namespace && o.peer.ifname) {
    const peer = observed?.namespaces
      .find((n) => n.name === o.peer?.namespace)
      ?.interfaces.find((i) => i.ifname === o.peer?.ifname);
    const a = peer?.addresses.find((x) => !/^fe80:/i.test(x));
    if (a) return a.split('/')[0] ?? '';
  }
  return '';
}

/**
 * What a ping from `namespace` would most likely aim at: the address of the first of its veths'
 * other ends that has one (the document's, then the kernel's). Empty when none has.
 */
export function suggestedPingAddress(
  doc: Topology,
  observed: ObservedState | null,
  namespace: string,
): string {
  const mine = doc.links.flatMap((l) => [l.a, l.b].filter((e) => e.node === namespace).map((e) => e.ifname));
  const seen = observed?.namespaces.find((n) => n.name === namespace)?.interfaces.map((i) => i.ifname) ?? [];
  for (const ifname of [...mine, ...seen.filter((i) => !mine.includes(i))]) {
    const address = peerAddress(doc, observed, namespace, ifname);
    if (address) return address;
  }
  return '';
}
