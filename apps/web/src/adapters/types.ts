import type { Edge, Node } from '@xyflow/react';
import type { LinkState } from './status';

/** One interface as a card row shows it: live state, addresses, MTU, and how it differs from the document. */
export interface RowModel {
  ifname: string;
  /** The kernel's kind (veth, loopback, bridge, ...), or "veth" for one not made yet. */
  kind: string;
  state: LinkState;
  /** Addresses to show: the kernel's (without link-local), or the desired ones while missing. */
  addresses: string[];
  mtu: number | null;
  drift: string[];
  /** In the kernel, not in the document: drawn dotted, with "adopt". */
  unmanaged: boolean;
  /** "ns1:veth1", when known. */
  peer: string | null;
}

export type CardKind = 'namespace' | 'root' | 'foreign';

/** What a card's header says about routing and the firewall (structure only; counters live apart). */
export interface NetfilterSummary {
  /** IPv4 forwarding: the kernel's, or the document's until read. */
  forwarding: boolean;
  /** Firewall rules in the kernel (managed or not), or the document's until read. */
  rules: number;
  /** Routes other than the connected ones: the kernel's, or the document's until read. */
  routes: number;
}

export type CardData = {
  kind: CardKind;
  name: string;
  /** The network namespace the rows live in ("root" for the lab's root). */
  context: string;
  rows: RowModel[];
  /** Drift of the namespace itself (e.g. not in the kernel), its routing and its firewall. */
  drift: string[];
  editable: boolean;
  netfilter: NetfilterSummary | null;
};

export type PortModel = RowModel;

export type BridgeData = {
  name: string;
  context: string;
  state: LinkState;
  stp: boolean | null;
  drift: string[];
  ports: PortModel[];
  editable: boolean;
  /** Made outside netcanvas (graph-bridges.ts): drawn dashed, with an offer to adopt it. */
  handMade?: boolean;
};

export interface EndRef {
  node: string;
  ifname: string;
  context: string;
}

export type EdgeState = 'up' | 'down' | 'drift' | 'unmanaged';

export type VethData = {
  a: EndRef;
  b: EndRef;
  state: EdgeState;
  reasons: string[];
  /** The same address twice on this veth's segment (lib/duplicates.ts): shown on the link. */
  warnings?: { message: string; short: string }[];
  /**
   * Set by the canvas, not the adapter (canvas/use-edge-routes.ts): the line's corners around the
   * cards, handle to handle, and its label's centre (null: no room, shown on hover or selection).
   */
  route?: { points: { x: number; y: number }[]; clear: boolean; label: { x: number; y: number } | null };
};

export type CardNode = Node<CardData, 'card'>;
export type BridgeNode = Node<BridgeData, 'bridge'>;
export type CanvasNode = CardNode | BridgeNode;
export type VethEdge = Edge<VethData, 'veth'>;

/** A node's place and size, known without making its node object (graph.ts). */
export interface NodeBox {
  id: string;
  type: 'card' | 'bridge';
  position: { x: number; y: number };
  width: number;
  height: number;
}

/** An edge's two nodes, known without making its edge object. */
export interface EdgeEnds {
  id: string;
  source: string;
  target: string;
}

/**
 * Every node's box and every edge's ends, and each node and edge object made when first asked for
 * (the same object `nodes` and `edges` then hold): what a large lab's first frame is chosen from
 * and built of without making the 2,000 others (canvas/use-staged.ts, docs/benchmarks.md).
 */
export interface GraphSkeleton {
  boxes: readonly NodeBox[];
  links: readonly EdgeEnds[];
  node: (id: string) => CanvasNode | undefined;
  edge: (id: string) => VethEdge | undefined;
}

export interface Graph {
  nodes: CanvasNode[];
  edges: VethEdge[];
  /** The adapter's graph has one (not enumerable: equality and JSON see nodes and edges); see skeletonOf. */
  skeleton?: GraphSkeleton;
}
