import {
  ROOT_NODE,
  endpointPlacement,
  isEmptyFirewall,
  rootFirewall,
  type EndpointSpec,
  type ObservedInterface,
  type ObservedNamespace,
  type ObservedState,
  type Topology,
} from '@netcanvas/model';
import type { XYPosition } from '@xyflow/react';
import {
  BRIDGE_HEIGHT,
  CARD_WIDTH,
  bridgeHandles,
  bridgeWidth,
  cardHandles,
  cardHeight,
  handleId,
  type Side,
} from './geometry';
import { ROOT_ID, foreignEdgeId, vethEdgeId } from './ids';
import { firewallDrift, netfilterDrift } from './netfilter';
import { fallbackPositions } from './placement';
import { interfaceStatus, isAutomaticAddress, observedState } from './status';
import type {
  BridgeNode,
  CanvasNode,
  CardKind,
  CardNode,
  EdgeState,
  EndRef,
  Graph,
  NetfilterSummary,
  RowModel,
  VethEdge,
} from './types';

/**
 * The one place that turns the agent's document and observed state into React Flow nodes and
 * edges (CONVENTIONS.md: xyflow's adapters). Pure: the same inputs give equal output.
 */
export interface GraphInput {
  document: Topology;
  observed: ObservedState | null;
  editable: boolean;
  /** Places dropped by this page but not confirmed yet: they win over the document's. */
  pending: Readonly<Record<string, XYPosition>>;
  /** Places of nodes the document cannot hold (unmanaged namespaces; the root's from older pages). */
  local: Readonly<Record<string, XYPosition>>;
}

interface DesiredEnd {
  spec: EndpointSpec;
  peer: EndpointSpec;
  context: string;
}

/** Where each interface is drawn: which node, and whether as a card row or a bridge port. */
type Anchor = { nodeId: string; kind: 'row' | 'port' };
const anchorKey = (context: string, ifname: string) => `${context}\u0000${ifname}`;

/**
 * `endpointPlacement` for every endpoint of one document, without its linear scan of the
 * namespaces per call (quadratic over a lab's links: ~170 ms of the first render at 2,000).
 */
function placements(doc: Topology): (node: string) => ReturnType<typeof endpointPlacement> {
  const namespaces = new Set(doc.namespaces.map((ns) => ns.name));
  return (node) =>
    node !== ROOT_NODE && namespaces.has(node) ? { context: node } : endpointPlacement(doc, node);
}

export function buildGraph(input: GraphInput): Graph {
  const { document: doc, observed, editable } = input;
  const placementOf = placements(doc);
  const observedNs = new Map<string, ObservedNamespace>((observed?.namespaces ?? []).map((n) => [n.name, n]));
  const find = (context: string, ifname: string): ObservedInterface | undefined =>
    observedNs.get(context)?.interfaces.find((i) => i.ifname === ifname);

  // Desired veth ends, grouped by the node they are drawn on.
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
  const docBridges = new Set(doc.bridges.map((b) => anchorKey(b.namespace ?? ROOT_NODE, b.name)));
  const docBridgeNames = new Set(doc.bridges.map((b) => b.name));

  const peerText = (o: ObservedInterface | undefined, fallback: EndpointSpec | null): string | null => {
    if (o?.peer?.ifname) return `${o.peer.namespace ?? '?'}:${o.peer.ifname}`;
    return fallback ? `${fallback.node}:${fallback.ifname}` : null;
  };
  const shownAddresses = (o: ObservedInterface | undefined, desired: readonly string[]) =>
    o ? o.addresses.filter((a) => !/^fe80:/i.test(a)) : [...desired];

  const desiredRow = (end: DesiredEnd): RowModel => {
    const o = find(end.context, end.spec.ifname);
    const status = interfaceStatus(end.spec, o);
    return {
      ifname: end.spec.ifname,
      kind: o?.kind ?? 'veth',
      state: status.state,
      addresses: shownAddresses(o, end.spec.addresses),
      mtu: o?.mtu ?? end.spec.mtu ?? null,
      drift: status.drift,
      unmanaged: false,
      peer: peerText(o, end.peer),
    };
  };
  const foreignRow = (o: ObservedInterface): RowModel => ({
    ifname: o.ifname,
    kind: o.kind,
    state: observedState(o),
    addresses: shownAddresses(o, []),
    mtu: o.mtu,
    drift: [],
    unmanaged: o.kind !== 'loopback',
    peer: peerText(o, null),
  });
  /** Interfaces of a context the document does not mention (bridges and their ports are drawn elsewhere). */
  const extras = (context: string, withLo: boolean): ObservedInterface[] =>
    (observedNs.get(context)?.interfaces ?? []).filter(
      (o) =>
        (withLo || o.ifname !== 'lo') &&
        (o.ifname === 'lo' || !desiredIn.has(anchorKey(context, o.ifname))) &&
        !docBridges.has(anchorKey(context, o.ifname)) &&
        !(o.master !== null && docBridges.has(anchorKey(context, o.master))),
    );

  const anchors = new Map<string, Anchor>();
  const cards: {
    id: string;
    kind: CardKind;
    name: string;
    context: string;
    rows: RowModel[];
    drift: string[];
    netfilter: NetfilterSummary | null;
  }[] = [];
  const summary = (
    o: ObservedNamespace | undefined,
    spec?: Topology['namespaces'][number],
  ): NetfilterSummary => ({
    forwarding: o?.forwarding ?? spec?.forwarding ?? false,
    rules: o?.firewall?.rules.length ?? spec?.firewall.rules.length ?? 0,
    routes: o?.routes?.filter((r) => r.protocol !== 'kernel').length ?? spec?.routes.length ?? 0,
  });

  for (const ns of doc.namespaces) {
    const o = observedNs.get(ns.name);
    const lo = o?.interfaces.find((i) => i.ifname === 'lo');
    const loStatus = interfaceStatus(
      { up: ns.loUp, addresses: (lo?.addresses ?? []).filter(isAutomaticAddress) },
      lo,
    );
    const rows: RowModel[] = [
      {
        ifname: 'lo',
        kind: 'loopback',
        state: o ? loStatus.state : 'missing',
        addresses: lo ? shownAddresses(lo, []) : [],
        mtu: lo?.mtu ?? null,
        drift: o ? loStatus.drift : [],
        unmanaged: false,
        peer: null,
      },
      ...(ends.get(ns.name) ?? []).map(desiredRow),
      ...extras(ns.name, false).map(foreignRow),
    ];
    const drift = !o
      ? ['not in the kernel']
      : o.managed
        ? netfilterDrift(ns, o)
        : ['made outside netcanvas (not recorded as the lab’s)', ...netfilterDrift(ns, o)];
    cards.push({
      id: ns.name,
      kind: 'namespace',
      name: ns.name,
      context: ns.name,
      rows,
      drift,
      netfilter: summary(o, ns),
    });
  }

  const rootRows = [
    ...(ends.get(ROOT_NODE) ?? []).map(desiredRow),
    ...extras(ROOT_NODE, false).map(foreignRow),
  ];
  // The root is drawn when something lives there: interfaces, or a firewall (the document's or
  // the kernel's), so its rules have a card to open them from like a namespace's.
  const rootObserved = observedNs.get(ROOT_NODE);
  const rootWall = rootFirewall(doc);
  if (rootRows.length > 0 || !isEmptyFirewall(rootWall) || (rootObserved?.firewall?.rules.length ?? 0) > 0)
    cards.push({
      id: ROOT_ID,
      kind: 'root',
      name: 'lab root',
      context: ROOT_NODE,
      rows: rootRows,
      drift: firewallDrift(rootWall, rootObserved?.firewall),
      netfilter: {
        forwarding: rootObserved?.forwarding ?? false,
        rules: rootObserved?.firewall?.rules.length ?? rootWall.rules.length,
        routes: rootObserved?.routes?.filter((r) => r.protocol !== 'kernel').length ?? 0,
      },
    });

  const docNames = new Set([...doc.namespaces.map((n) => n.name), ...docBridgeNames]);
  for (const o of observedNs.values()) {
    if (o.name === ROOT_NODE || docNames.has(o.name)) continue;
    cards.push({
      id: o.name,
      kind: 'foreign',
      name: o.name,
      context: o.name,
      rows: o.interfaces.map(foreignRow),
      drift: [],
      netfilter: summary(o),
    });
  }
  for (const card of cards)
    for (const row of card.rows)
      anchors.set(anchorKey(card.context, row.ifname), { nodeId: card.id, kind: 'row' });

  const bridges = doc.bridges.map((br) => {
    const context = br.namespace ?? ROOT_NODE;
    const o = find(context, br.name);
    const status = interfaceStatus(br, o);
    if (o?.stp !== undefined && o.stp !== null && o.stp !== br.stp)
      status.drift.push(`stp ${o.stp ? 'on' : 'off'}, desired ${br.stp ? 'on' : 'off'}`);
    const ports: RowModel[] = [
      ...(ends.get(br.name) ?? []).map(desiredRow),
      ...(observedNs.get(context)?.interfaces ?? [])
        .filter((i) => i.master === br.name && !desiredIn.has(anchorKey(context, i.ifname)))
        .map(foreignRow),
    ];
    for (const p of ports) anchors.set(anchorKey(context, p.ifname), { nodeId: br.name, kind: 'port' });
    return { br, context, o, status, ports };
  });

  // Positions: the document's; a place near the others for what has none.
  const docPosition = new Map<string, XYPosition | undefined>([
    [ROOT_ID, doc.rootPosition],
    ...doc.namespaces.map((n) => [n.name, n.position] as const),
    ...doc.bridges.map((b) => [b.name, b.position] as const),
  ]);
  const sizes = new Map<string, { width: number; height: number }>();
  for (const c of cards) sizes.set(c.id, { width: CARD_WIDTH, height: cardHeight(c.rows.length) });
  for (const b of bridges)
    sizes.set(b.br.name, { width: bridgeWidth(b.ports.length), height: BRIDGE_HEIGHT });
  const known = new Map<string, XYPosition>();
  for (const id of sizes.keys()) {
    const p = input.pending[id] ?? docPosition.get(id) ?? input.local[id];
    if (p) known.set(id, p);
  }
  const positions = fallbackPositions(known, sizes, [
    ...cards.filter((c) => c.kind === 'root').map((c) => c.id),
    ...[...sizes.keys()].filter((id) => id !== ROOT_ID),
  ]);
  const at = (id: string): XYPosition => positions.get(id) ?? { x: 0, y: 0 };
  const centre = (id: string): XYPosition => {
    const p = at(id);
    const s = sizes.get(id) ?? { width: 0, height: 0 };
    return { x: p.x + s.width / 2, y: p.y + s.height / 2 };
  };

  const nodes: CanvasNode[] = [];
  for (const c of cards) {
    const size = sizes.get(c.id)!;
    const node: CardNode = {
      id: c.id,
      type: 'card',
      position: at(c.id),
      data: {
        kind: c.kind,
        name: c.name,
        context: c.context,
        rows: c.rows,
        drift: c.drift,
        editable,
        netfilter: c.netfilter,
      },
      width: size.width,
      height: size.height,
      measured: size,
      handles: cardHandles(
        c.rows.map((r) => r.ifname),
        editable && c.kind !== 'foreign',
      ),
      deletable: editable && c.kind === 'namespace',
      draggable: editable,
      connectable: editable && c.kind !== 'foreign',
      ariaLabel: `${c.kind === 'root' ? 'lab root' : c.kind === 'foreign' ? 'unmanaged namespace' : 'namespace'} ${c.name}`,
    };
    nodes.push(node);
  }
  for (const b of bridges) {
    const size = sizes.get(b.br.name)!;
    const node: BridgeNode = {
      id: b.br.name,
      type: 'bridge',
      position: at(b.br.name),
      data: {
        name: b.br.name,
        context: b.context,
        state: b.status.state,
        stp: b.o?.stp ?? null,
        drift: b.status.drift,
        ports: b.ports,
        editable,
      },
      width: size.width,
      height: size.height,
      measured: size,
      handles: bridgeHandles(
        b.ports.map((p) => p.ifname),
        editable,
      ),
      deletable: editable,
      draggable: editable,
      connectable: editable,
      ariaLabel: `bridge ${b.br.name}`,
    };
    nodes.push(node);
  }

  const sideFor = (anchor: Anchor, other: string): Side => {
    // Both ends on one node (a veth whose ends share a namespace): a loop out of one side and back.
    if (anchor.nodeId === other) return anchor.kind === 'port' ? 'B' : 'R';
    const me = centre(anchor.nodeId);
    const them = centre(other);
    if (anchor.kind === 'port') return them.y < me.y ? 'T' : 'B';
    return them.x < me.x ? 'L' : 'R';
  };
  const edges: VethEdge[] = [];
  const addEdge = (id: string, a: EndRef, b: EndRef, state: EdgeState, reasons: string[]) => {
    const from = anchors.get(anchorKey(a.context, a.ifname));
    const to = anchors.get(anchorKey(b.context, b.ifname));
    if (!from || !to) return;
    edges.push({
      id,
      type: 'veth',
      source: from.nodeId,
      target: to.nodeId,
      sourceHandle: handleId(a.ifname, sideFor(from, to.nodeId)),
      targetHandle: handleId(b.ifname, sideFor(to, from.nodeId)),
      data: { a, b, state, reasons },
      deletable: editable && state !== 'unmanaged',
      ariaLabel: `veth ${a.node}:${a.ifname} to ${b.node}:${b.ifname}, ${state}`,
    });
  };

  for (const link of doc.links) {
    const pa = placementOf(link.a.node);
    const pb = placementOf(link.b.node);
    if (!pa || !pb) continue;
    const oa = find(pa.context, link.a.ifname);
    const ob = find(pb.context, link.b.ifname);
    const sa = interfaceStatus(link.a, oa);
    const sb = interfaceStatus(link.b, ob);
    const reasons = [
      ...sa.drift.map((r) => `${link.a.ifname}: ${r}`),
      ...sb.drift.map((r) => `${link.b.ifname}: ${r}`),
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
    addEdge(
      vethEdgeId(link.a.node, link.a.ifname),
      { node: link.a.node, ifname: link.a.ifname, context: pa.context },
      { node: link.b.node, ifname: link.b.ifname, context: pb.context },
      state,
      reasons,
    );
  }

  // Veths the document does not know, between interfaces that are on the canvas.
  const paired = new Set<string>();
  for (const ns of observedNs.values())
    for (const o of ns.interfaces) {
      if (o.kind !== 'veth' || desiredIn.has(anchorKey(ns.name, o.ifname))) continue;
      const peer = o.peer;
      if (!peer?.namespace || !peer.ifname) continue;
      const mine = anchorKey(ns.name, o.ifname);
      const theirs = anchorKey(peer.namespace, peer.ifname);
      if (paired.has(mine) || paired.has(theirs)) continue;
      paired.add(mine);
      paired.add(theirs);
      const from = anchors.get(mine);
      const to = anchors.get(theirs);
      if (!from || !to) continue;
      addEdge(
        foreignEdgeId(ns.name, o.ifname),
        { node: from.nodeId, ifname: o.ifname, context: ns.name },
        { node: to.nodeId, ifname: peer.ifname, context: peer.namespace },
        'unmanaged',
        ['made outside netcanvas: adopt it to manage it'],
      );
    }

  return { nodes, edges };
}
