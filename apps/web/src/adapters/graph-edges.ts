import { handRenameHow, type Topology } from '@netcanvas/model';
import { duplicateWarnings } from '../lib/duplicates';
import type { Layout } from './graph-layout';
import { anchorKey, type Anchor, type GraphIndex } from './graph-index';
import { sideFacing } from './edge-sides';
import { handleId, type Side } from './geometry';
import { foreignEdgeId, vethEdgeId } from './ids';
import { withLazy } from './lazy';
import { interfaceStatus } from './status';
import type { EdgeState, EndRef, VethData, VethEdge } from './types';

/** What an edge says about its veth: worked out when first read (./lazy.ts), as a card's rows are. */
interface EdgeDetails {
  state: EdgeState;
  reasons: string[];
  warnings?: { message: string; short: string }[];
}

/**
 * One veth between two interfaces on the canvas, before it is drawn: its ends and where they are
 * anchored, known cheaply for every veth; the edge object itself is made when asked for
 * (`vethEdge`): a large lab's first frame needs only the edges in view (graph.ts).
 * `unmanaged`: made by hand (never deleted from the canvas), known without the details.
 */
export interface VethPlan {
  id: string;
  a: EndRef;
  b: EndRef;
  from: Anchor;
  to: Anchor;
  unmanaged: boolean;
  details: () => EdgeDetails;
}

/** Plans one veth; nothing when either end is not drawn. */
type AddEdge = (id: string, a: EndRef, b: EndRef, unmanaged: boolean, details: () => EdgeDetails) => void;

/** Which side of its node an end leaves from: facing the other node (see edge-sides.ts). */
function sideFor(layout: Layout, anchor: Anchor, other: string): Side {
  const box = (id: string) => {
    const { x, y } = layout.at(id);
    const { width, height } = layout.sizeOf(id);
    return { x, y, width, height };
  };
  return sideFacing(anchor.kind, box(anchor.nodeId), box(other), anchor.nodeId === other);
}

const DETAILS = ['state', 'reasons', 'warnings'] as const;

function planner(anchors: Map<string, Anchor>, plans: VethPlan[]): AddEdge {
  return (id, a, b, unmanaged, details) => {
    const from = anchors.get(anchorKey(a.context, a.ifname));
    const to = anchors.get(anchorKey(b.context, b.ifname));
    if (from && to) plans.push({ id, a, b, from, to, unmanaged, details });
  };
}

/** The React Flow edge of a planned veth: its handles on the sides facing each other. */
export function vethEdge(plan: VethPlan, layout: Layout, editable: boolean): VethEdge {
  const { a, b, from, to } = plan;
  const data: VethData = withLazy({ a, b }, DETAILS, plan.details);
  return withLazy(
    {
      id: plan.id,
      type: 'veth' as const,
      source: from.nodeId,
      target: to.nodeId,
      sourceHandle: handleId(a.ifname, sideFor(layout, from, to.nodeId)),
      targetHandle: handleId(b.ifname, sideFor(layout, to, from.nodeId)),
      data,
      deletable: editable && !plan.unmanaged,
    },
    ['ariaLabel'],
    () => ({ ariaLabel: `veth ${a.node}:${a.ifname} to ${b.node}:${b.ifname}, ${data.state}` }),
  );
}

/** One end's reasons on its link; renamed or moved by hand, where the kernel has it, not just "missing". */
function endReasons(index: GraphIndex, context: string, ifname: string, drift: string[]): string[] {
  const rename = index.renamedFrom.get(anchorKey(context, ifname));
  return (rename ? [handRenameHow(rename)] : drift).map((r) => `${ifname}: ${r}`);
}

/** A document link's state: drift when either end drifts, else up when both are up, else down as desired. */
function linkState(index: GraphIndex, link: Topology['links'][number], contexts: [string, string]) {
  // A bridge's port is desired on that bridge: moved to another by hand, the veth drifts.
  const master = (end: Topology['links'][number]['a'], context: string) =>
    index.docBridges.has(anchorKey(context, end.node)) ? end.node : undefined;
  const sa = interfaceStatus(
    { ...link.a, master: master(link.a, contexts[0]) },
    index.find(contexts[0], link.a.ifname),
  );
  const sb = interfaceStatus(
    { ...link.b, master: master(link.b, contexts[1]) },
    index.find(contexts[1], link.b.ifname),
  );
  const reasons = [
    ...endReasons(index, contexts[0], link.a.ifname, sa.drift),
    ...endReasons(index, contexts[1], link.b.ifname, sb.drift),
  ];
  const state: EdgeState =
    reasons.length > 0 ? 'drift' : sa.state === 'up' && sb.state === 'up' ? 'up' : 'down';
  if (state === 'down')
    reasons.push(
      `${[link.a, link.b]
        .filter((_, i) => (i === 0 ? sa : sb).state !== 'up')
        .map((e) => e.ifname)
        .join(' and ')} down, as desired`,
    );
  return { state, reasons };
}

function desiredEdges(index: GraphIndex, addEdge: AddEdge): void {
  for (const link of index.doc.links) {
    const pa = index.placementOf(link.a.node);
    const pb = index.placementOf(link.b.node);
    if (!pa || !pb) continue;
    addEdge(
      vethEdgeId(link.a.node, link.a.ifname),
      { node: link.a.node, ifname: link.a.ifname, context: pa.context },
      { node: link.b.node, ifname: link.b.ifname, context: pb.context },
      false,
      () => {
        const warnings = duplicateWarnings(index.doc, [
          `${link.a.node}:${link.a.ifname}`,
          `${link.b.node}:${link.b.ifname}`,
        ]).map(({ message, short }) => ({ message, short }));
        return {
          ...linkState(index, link, [pa.context, pb.context]),
          warnings: warnings.length > 0 ? warnings : undefined,
        };
      },
    );
  }
}

/**
 * Veths the document does not know, between interfaces that are on the canvas: one edge a pair,
 * named and drawn from the end whose `namespace:ifname` sorts first. Not from the end met first:
 * a read that resolved only one end's peer (its namespace's number not known yet, a pair made a
 * moment ago) named the edge from that end, and the next one from the other, so a selected
 * hand-made veth lost its selection to an edge that only changed its name. Not the lab's own
 * ends renamed or moved by hand (graph-index `renamedTo`): those are their document link's.
 */
function handMadeEdges(index: GraphIndex, anchors: Map<string, Anchor>, addEdge: AddEdge): void {
  const paired = new Set<string>();
  for (const ns of index.observedNs.values())
    for (const o of ns.interfaces) {
      if (o.kind !== 'veth' || index.desiredIn.has(anchorKey(ns.name, o.ifname))) continue;
      // The lab's end renamed or moved by hand is its link's, drawn (drifted) from the document's
      // end: a second, "made outside netcanvas", edge to the same peer would say otherwise.
      if (index.renamedTo.has(anchorKey(ns.name, o.ifname))) continue;
      const peer = o.peer;
      if (!peer?.namespace || !peer.ifname) continue;
      const mine = anchorKey(ns.name, o.ifname);
      const theirs = anchorKey(peer.namespace, peer.ifname);
      if (paired.has(mine) || paired.has(theirs)) continue;
      paired.add(mine);
      paired.add(theirs);
      const here = { key: mine, context: ns.name, ifname: o.ifname };
      const there = { key: theirs, context: peer.namespace, ifname: peer.ifname };
      const [a, b] = mine < theirs ? [here, there] : [there, here];
      const from = anchors.get(a.key);
      const to = anchors.get(b.key);
      if (!from || !to) continue;
      addEdge(
        foreignEdgeId(a.context, a.ifname),
        { node: from.nodeId, ifname: a.ifname, context: a.context },
        { node: to.nodeId, ifname: b.ifname, context: b.context },
        true,
        () => ({ state: 'unmanaged', reasons: ['made outside netcanvas: adopt it to manage it'] }),
      );
    }
}

/** Every veth to draw: the document's links first, then those made by hand. */
export function vethPlans(index: GraphIndex, anchors: Map<string, Anchor>): VethPlan[] {
  const plans: VethPlan[] = [];
  const addEdge = planner(anchors, plans);
  desiredEdges(index, addEdge);
  handMadeEdges(index, anchors, addEdge);
  return plans;
}
