import { ROOT_NODE } from '@netcanvas/model';

/** Node ids are the document's node names ("root" for the lab's root); edges are named by their a end. */
export const ROOT_ID = ROOT_NODE;
export const vethEdgeId = (node: string, ifname: string): string => `veth:${node}:${ifname}`;
export const foreignEdgeId = (context: string, ifname: string): string => `foreign:${context}:${ifname}`;
