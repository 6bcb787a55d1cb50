import type { PathResult } from '@netcanvas/model';

/**
 * What the canvas draws of a packet path (pure): each node the packet went through, numbered in
 * order (namespaces and the bridges between them; node ids are their names, adapters/ids.ts), the
 * last one marked with how the path ended, and the interfaces it crossed (a veth is on the path when
 * either of its ends is).
 */
export interface PathSteps {
  nodes: { id: string; n: number }[];
  end: { id: string; kind: 'delivered' | 'stopped' };
  /** `context\0ifname` of every interface the packet left or entered by. */
  ends: ReadonlySet<string>;
}

export const endKey = (context: string, ifname: string): string => `${context}\u0000${ifname}`;

export function pathSteps(result: PathResult): PathSteps {
  const nodes: { id: string; n: number }[] = [];
  const ends = new Set<string>();
  const visit = (id: string) => nodes.push({ id, n: nodes.length + 1 });
  for (const hop of result.hops) {
    visit(hop.namespace);
    if (hop.inInterface) ends.add(endKey(hop.namespace, hop.inInterface));
    if (hop.outInterface) ends.add(endKey(hop.namespace, hop.outInterface));
    for (const b of hop.bridges) {
      visit(b.bridge);
      ends.add(endKey(b.namespace, b.inPort));
      if (b.outPort) ends.add(endKey(b.namespace, b.outPort));
    }
  }
  const last = result.end.namespace;
  return { nodes, end: { id: last, kind: result.end.kind === 'delivered' ? 'delivered' : 'stopped' }, ends };
}
