import { ROOT } from '@netcanvas/model';

/** Node ids are the document's node names (`ROOT` for the lab's root); edges are named by their a end. */
/** @deprecated The lab's root is `ROOT` (from @netcanvas/model); kept while graph.ts is being split. */
export const ROOT_ID = ROOT;
export const vethEdgeId = (node: string, ifname: string): string => `veth:${node}:${ifname}`;
export const foreignEdgeId = (context: string, ifname: string): string => `foreign:${context}:${ifname}`;
