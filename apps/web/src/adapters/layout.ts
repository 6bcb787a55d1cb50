import type { XYPosition } from '@xyflow/react';
import type { ElkNode } from 'elkjs/lib/elk-api';
import {
  SPACING,
  components,
  elkInput,
  layoutNetwork,
  portId,
  type CardSide,
  type Direction,
  type Network,
} from './layout-input';
import { packParts, type PartLayout } from './layout-pack';
import { tidyLayers } from './layout-tidy';
import type { Graph } from './types';

type Elk = { layout: (graph: ElkNode) => Promise<ElkNode> };
let elkLoaded: Promise<Elk> | null = null;

/** elkjs, loaded on first use: a 1.5 MB chunk nobody needs until a layout is asked for. */
function loadElk(): Promise<Elk> {
  elkLoaded ??= import('elkjs/lib/elk.bundled.js').then(({ default: ELK }) => new ELK());
  return elkLoaded;
}

/**
 * The whole lab laid out with ELK (layered, with ports; see layout-input.ts): each connected
 * part on its own, bridges and routers in its middle, drawn as tidy rows (layout-tidy.ts), then
 * the parts side by side (layout-pack.ts). Positions are the nodes' top-left corners.
 */
export async function autoLayout(graph: Graph): Promise<Map<string, XYPosition>> {
  return layoutParts(layoutNetwork(graph));
}

export async function layoutParts(net: Network): Promise<Map<string, XYPosition>> {
  const elk = await loadElk();
  const parts: PartLayout[] = [];
  for (const part of components(net)) parts.push(await layoutPart(elk, part));
  return packParts(parts);
}

async function layoutPart(elk: Elk, part: Network): Promise<PartLayout> {
  const sizes = new Map(part.nodes.map((n) => [n.id, { width: n.width, height: n.height }]));
  if (part.nodes.length === 1) {
    const [only] = part.nodes;
    return { positions: new Map(only ? [[only.id, { x: 0, y: 0 }]] : []), sizes };
  }
  const input = elkInput(part);
  const direction = (input.layoutOptions?.['elk.direction'] ?? 'RIGHT') as Direction;
  const tidy = (result: ElkNode) => tidyLayers(placedOf(result), direction, SPACING[direction]);
  let positions = tidy(await elk.layout(input));
  // Top to bottom, a row faces its peer left or right: known once the nodes are placed, so a
  // second run gives each row its port on that side, starting from the first run's order.
  if (direction === 'DOWN') {
    const again = elkInput(part, cardSides(part, positions, sizes));
    again.layoutOptions = {
      ...again.layoutOptions,
      'elk.layered.crossingMinimization.semiInteractive': 'true',
    };
    for (const child of again.children ?? []) Object.assign(child, positions.get(child.id));
    positions = tidy(await elk.layout(again));
  }
  return { positions, sizes };
}

function placedOf(result: ElkNode) {
  return (result.children ?? []).map((c) => ({
    id: c.id,
    x: c.x ?? 0,
    y: c.y ?? 0,
    width: c.width ?? 0,
    height: c.height ?? 0,
  }));
}

/** For each card row on a veth: the side of its card facing the peer's centre (as the edges choose). */
export function cardSides(
  part: Network,
  positions: ReadonlyMap<string, XYPosition>,
  sizes: ReadonlyMap<string, { width: number; height: number }>,
): Map<string, CardSide> {
  const centreX = (id: string) => (positions.get(id)?.x ?? 0) + (sizes.get(id)?.width ?? 0) / 2;
  const kinds = new Map(part.nodes.map((n) => [n.id, n.kind]));
  const out = new Map<string, CardSide>();
  for (const l of part.links)
    for (const [me, them] of [
      [l.a, l.b],
      [l.b, l.a],
    ] as const)
      if (kinds.get(me.node) === 'card')
        out.set(portId(me.node, me.ifname), centreX(them.node) < centreX(me.node) ? 'WEST' : 'EAST');
  return out;
}
