/** Node ids are the document's node names (`ROOT` for the lab's root); edges are named by their a end. */
export const vethEdgeId = (node: string, ifname: string): string => `veth:${node}:${ifname}`;
export const foreignEdgeId = (context: string, ifname: string): string => `foreign:${context}:${ifname}`;
