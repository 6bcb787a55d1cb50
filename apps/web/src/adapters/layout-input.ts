import type { ElkExtendedEdge, ElkNode, ElkPort, LayoutOptions } from 'elkjs/lib/elk-api';
import { rowCentre, portCentre } from './geometry';
import type { Graph } from './types';

/**
 * What the layout knows of a lab: nodes with their sizes and their interfaces in the document's
 * order (a card's rows, a bridge's ports), and veths between two nodes' interfaces. Pure: built
 * from the adapter's graph (`layoutNetwork`), turned into ELK graphs (`elkInput`), one per
 * connected part of the lab.
 */
export interface NetNode {
  id: string;
  kind: 'card' | 'bridge';
  width: number;
  height: number;
  /** Interface names in the order they are drawn: top to bottom (card), left to right (bridge). */
  ifnames: string[];
}

export interface NetEnd {
  node: string;
  ifname: string;
}

export interface NetLink {
  id: string;
  a: NetEnd;
  b: NetEnd;
}

export interface Network {
  nodes: NetNode[];
  links: NetLink[];
}

export function layoutNetwork(graph: Graph): Network {
  const nodes: NetNode[] = graph.nodes.map((n) => ({
    id: n.id,
    kind: n.type === 'bridge' ? 'bridge' : 'card',
    width: n.width ?? 0,
    height: n.height ?? 0,
    ifnames: n.type === 'bridge' ? n.data.ports.map((p) => p.ifname) : n.data.rows.map((r) => r.ifname),
  }));
  const ids = new Set(nodes.map((n) => n.id));
  const links = graph.edges
    .filter((e) => e.data && e.source !== e.target && ids.has(e.source) && ids.has(e.target))
    .map((e) => ({
      id: e.id,
      a: { node: e.source, ifname: e.data?.a.ifname ?? '' },
      b: { node: e.target, ifname: e.data?.b.ifname ?? '' },
    }));
  return { nodes, links };
}

/** The lab's connected parts, each in the document's order, parts ordered by their first node. */
export function components(net: Network): Network[] {
  const parent = new Map(net.nodes.map((n) => [n.id, n.id]));
  const find = (id: string): string => {
    let r = id;
    while (parent.get(r) !== r) r = parent.get(r) ?? r;
    parent.set(id, r);
    return r;
  };
  for (const l of net.links) parent.set(find(l.a.node), find(l.b.node));
  const parts = new Map<string, Network>();
  for (const n of net.nodes) {
    const root = find(n.id);
    const part = parts.get(root) ?? { nodes: [], links: [] };
    part.nodes.push(n);
    parts.set(root, part);
  }
  for (const l of net.links) parts.get(find(l.a.node))?.links.push(l);
  return [...parts.values()];
}

function neighboursOf(net: Network): Map<string, string[]> {
  const out = new Map<string, string[]>(net.nodes.map((n) => [n.id, []]));
  for (const l of net.links) {
    const a = out.get(l.a.node);
    const b = out.get(l.b.node);
    if (a && !a.includes(l.b.node)) a.push(l.b.node);
    if (b && !b.includes(l.a.node)) b.push(l.a.node);
  }
  return out;
}

function distancesFrom(start: string, neighbours: Map<string, string[]>): Map<string, number> {
  const depth = new Map([[start, 0]]);
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i] as string;
    for (const m of neighbours.get(id) ?? [])
      if (!depth.has(m)) {
        depth.set(m, (depth.get(id) ?? 0) + 1);
        queue.push(m);
      }
  }
  return depth;
}

/**
 * Where each node of one connected part stands along the picture's main axis: the centre at 0
 * (the node with the shortest longest path to any other: a router between two bridges, a lone
 * bridge), what hangs off it before (negative) or after (positive), farther out the farther it
 * is. The centre's neighbours are split in halves, in the document's order (a router's two
 * networks on its two sides, a router's hosts around it); a bridge with three hosts or fewer
 * keeps them on one side, as the tutorial draws it. Every veth is then oriented from the lower
 * place to the higher one, so ELK's layers follow it and bridges and routers end up in the middle.
 */
export function axisPlaces(net: Network): Map<string, number> {
  const neighbours = neighboursOf(net);
  const index = new Map(net.nodes.map((n, i) => [n.id, i]));
  const kindOf = new Map(net.nodes.map((n) => [n.id, n.kind]));
  // Tuples compared element by element: shortest longest path, most neighbours, a bridge, first.
  let centre = net.nodes[0]?.id ?? '';
  let best: number[] = [Infinity];
  for (const n of net.nodes) {
    const score = [
      Math.max(...distancesFrom(n.id, neighbours).values()),
      -(neighbours.get(n.id)?.length ?? 0),
      n.kind === 'bridge' ? 0 : 1,
      index.get(n.id) ?? 0,
    ];
    if (lexLess(score, best)) {
      best = score;
      centre = n.id;
    }
  }
  const around = neighbours.get(centre) ?? [];
  const oneSide = kindOf.get(centre) === 'bridge' && around.length <= 3;
  const before = new Set(oneSide ? [] : around.slice(0, Math.floor(around.length / 2)));
  const places = new Map([[centre, 0]]);
  const queue = [centre];
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i] as string;
    const here = places.get(id) ?? 0;
    for (const m of neighbours.get(id) ?? []) {
      if (places.has(m)) continue;
      const side = here === 0 ? (before.has(m) ? -1 : 1) : Math.sign(here);
      places.set(m, here + side);
      queue.push(m);
    }
  }
  return places;
}

function lexLess(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < Math.max(a.length, b.length); i++)
    if (a[i] !== b[i]) return (a[i] ?? -Infinity) < (b[i] ?? -Infinity);
  return false;
}

export type Direction = 'DOWN' | 'RIGHT';
export type CardSide = 'WEST' | 'EAST';

/** Room between cards: a line beside a card and a veth's label between two layers fit in it. */
export const SPACING: Record<Direction, { inLayer: number; betweenLayers: number }> = {
  DOWN: { inLayer: 80, betweenLayers: 120 },
  RIGHT: { inLayer: 64, betweenLayers: 180 },
};

export const portId = (node: string, ifname: string): string => `${node}\u0000${ifname}`;

/**
 * One connected part as an ELK graph (layered, with ports). Bridges lay it out top to bottom
 * (a bridge's ports are on its top and bottom edges); without a bridge, left to right (a row's
 * lines leave from the card's sides). Every interface on a veth is a port at its own place on
 * the node (`FIXED_POS`): a card's row at the row's height, on the side facing its peer; a
 * bridge's port at its place along the bar, on the edge facing its peer. The rows' and ports'
 * order is the document's; ELK moves nodes, never rows. Children are listed grouped by what they
 * hang off (a bridge's namespaces together, in its ports' order), and ELK keeps that order
 * where it can (`considerModelOrder`).
 *
 * In a top-to-bottom part, which side of its card a row faces depends on where ELK put the
 * peer: `cardSides` (from a first run) says it; without it, cards get no ports.
 */
export function elkInput(part: Network, cardSides?: ReadonlyMap<string, CardSide>): ElkNode {
  const direction: Direction = part.nodes.some((n) => n.kind === 'bridge') ? 'DOWN' : 'RIGHT';
  const places = axisPlaces(part);
  const index = new Map(part.nodes.map((n, i) => [n.id, i]));
  const byId = new Map(part.nodes.map((n) => [n.id, n]));
  const rank = (id: string) => [places.get(id) ?? 0, index.get(id) ?? 0];
  const before = (a: string, b: string) => lexLess(rank(a), rank(b));
  // What each node hangs off (its neighbour nearer the centre) and at which of its ports.
  const hangs = new Map<string, [number, number]>();
  for (const l of part.links)
    for (const [me, them] of [
      [l.a, l.b],
      [l.b, l.a],
    ] as const) {
      const mine = Math.abs(places.get(me.node) ?? 0);
      if (Math.abs(places.get(them.node) ?? 0) >= mine || hangs.has(me.node)) continue;
      hangs.set(me.node, [index.get(them.node) ?? 0, byId.get(them.node)?.ifnames.indexOf(them.ifname) ?? 0]);
    }
  const order = [...part.nodes].sort((a, b) => {
    const ka = [places.get(a.id) ?? 0, ...(hangs.get(a.id) ?? [-1, -1]), index.get(a.id) ?? 0];
    const kb = [places.get(b.id) ?? 0, ...(hangs.get(b.id) ?? [-1, -1]), index.get(b.id) ?? 0];
    return lexLess(ka, kb) ? -1 : lexLess(kb, ka) ? 1 : 0;
  });

  const ports = new Map<string, ElkPort[]>();
  const addPort = (end: NetEnd, peer: NetEnd): string => {
    const node = byId.get(end.node);
    const at = node?.ifnames.indexOf(end.ifname) ?? -1;
    if (!node || at < 0) return end.node;
    const id = portId(end.node, end.ifname);
    const faces = before(peer.node, end.node) ? -1 : 1;
    let port: ElkPort;
    if (node.kind === 'bridge') {
      const side = direction === 'DOWN' ? (faces < 0 ? 'NORTH' : 'SOUTH') : faces < 0 ? 'WEST' : 'EAST';
      port = { id, x: portCentre(at) - 1, y: side === 'NORTH' ? -2 : node.height, width: 2, height: 2 };
      port.layoutOptions = { 'elk.port.side': side };
    } else {
      const side = direction === 'RIGHT' ? (faces < 0 ? 'WEST' : 'EAST') : cardSides?.get(id);
      if (!side) return end.node;
      port = { id, x: side === 'WEST' ? -2 : node.width, y: rowCentre(at) - 1, width: 2, height: 2 };
      port.layoutOptions = { 'elk.port.side': side };
    }
    const list = ports.get(end.node) ?? [];
    if (!list.some((p) => p.id === id)) list.push(port);
    ports.set(end.node, list);
    return id;
  };
  const edges: ElkExtendedEdge[] = part.links.map((l) => {
    const [from, to] = before(l.a.node, l.b.node) ? [l.a, l.b] : [l.b, l.a];
    return { id: l.id, sources: [addPort(from, to)], targets: [addPort(to, from)] };
  });
  const spacing = SPACING[direction];
  const options: LayoutOptions = {
    'elk.algorithm': 'layered',
    'elk.direction': direction,
    'elk.spacing.nodeNode': String(spacing.inLayer),
    'elk.layered.spacing.nodeNodeBetweenLayers': String(spacing.betweenLayers),
    'elk.spacing.edgeNode': '24',
    'elk.spacing.edgeEdge': '16',
    'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  };
  return {
    id: 'part',
    layoutOptions: options,
    children: order.map((n) => ({
      id: n.id,
      width: n.width,
      height: n.height,
      ports: ports.get(n.id) ?? [],
      layoutOptions: { 'elk.portConstraints': 'FIXED_POS' },
    })),
    edges,
  };
}
