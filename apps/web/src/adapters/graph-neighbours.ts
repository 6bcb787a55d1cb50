import { anchorKey, type Anchor, type GraphIndex } from './graph-index';

/**
 * Which nodes each node has a veth to (the document's links, then veths made by hand between
 * interfaces on the canvas), without drawing anything: what placement puts a new node beside.
 */
export function nodeNeighbours(
  index: GraphIndex,
  anchors: ReadonlyMap<string, Anchor>,
): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const join = (a: string | undefined, b: string | undefined) => {
    if (a === undefined || b === undefined || a === b) return;
    for (const [from, to] of [
      [a, b],
      [b, a],
    ] as const) {
      const list = out.get(from) ?? [];
      if (!list.includes(to)) list.push(to);
      out.set(from, list);
    }
  };
  const nodeOf = (context: string | undefined, ifname: string) =>
    context === undefined ? undefined : anchors.get(anchorKey(context, ifname))?.nodeId;
  for (const link of index.doc.links)
    join(
      nodeOf(index.placementOf(link.a.node)?.context, link.a.ifname),
      nodeOf(index.placementOf(link.b.node)?.context, link.b.ifname),
    );
  for (const ns of index.observedNs.values())
    for (const o of ns.interfaces)
      if (o.kind === 'veth' && o.peer?.namespace && o.peer.ifname)
        join(nodeOf(ns.name, o.ifname), nodeOf(o.peer.namespace, o.peer.ifname));
  return out;
}
