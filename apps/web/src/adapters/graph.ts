import type { ObservedState, Topology } from '@netcanvas/model';
import { bridgeModels, type BridgeModel } from './graph-bridges';
import { foreignCards, namespaceCards, rootCard, type CardModel } from './graph-cards';
import { vethEdge, vethPlans } from './graph-edges';
import { anchorKey, indexGraph, type Anchor } from './graph-index';
import { layoutGraph, type Layout, type Places } from './graph-layout';
import { nodeNeighbours } from './graph-neighbours';
import { bridgeNode, cardNode } from './graph-nodes';
import { lazyGraph, type Part } from './graph-skeleton';
import type { CanvasNode, Graph, NodeBox } from './types';

/**
 * The one place that turns the agent's document and observed state into React Flow nodes and
 * edges (xyflow's adapters). Pure: the same inputs give equal output. In steps, each in its own
 * file: index the inputs (graph-index), model the cards (graph-cards: the document's namespaces,
 * the lab's root, namespaces made by hand) and the bridges (graph-bridges) with their rows
 * (graph-rows), place them (graph-layout), plan the veths (graph-edges); each node (graph-nodes)
 * and edge object is made when first asked for (graph-skeleton): a large lab's first frame needs
 * ~20 of its 2,000 cards (canvas/use-staged.ts).
 */
export interface GraphInput extends Places {
  document: Topology;
  observed: ObservedState | null;
  editable: boolean;
}

/** Which node draws each interface: a card's row, or a bridge's port (a port wins over a row). */
function anchorsOf(cards: CardModel[], bridges: BridgeModel[]): Map<string, Anchor> {
  const anchors = new Map<string, Anchor>();
  for (const card of cards)
    for (const ifname of card.ifnames)
      anchors.set(anchorKey(card.context, ifname), { nodeId: card.id, kind: 'row' });
  for (const b of bridges)
    for (const p of b.ports) anchors.set(anchorKey(b.context, p.ifname), { nodeId: b.br.name, kind: 'port' });
  return anchors;
}

function box(id: string, type: NodeBox['type'], layout: Layout): NodeBox {
  const { width, height } = layout.sizeOf(id);
  return { id, type, position: layout.at(id), width, height };
}

function nodeParts(cards: CardModel[], bridges: BridgeModel[], layout: Layout, editable: boolean) {
  return [
    ...cards.map((c) => ({ box: box(c.id, 'card', layout), make: () => cardNode(c, layout, editable) })),
    ...bridges.map((b) => ({
      box: box(b.br.name, 'bridge', layout),
      make: () => bridgeNode(b, layout, editable),
    })),
  ] satisfies Part<NodeBox, CanvasNode>[];
}

export function buildGraph(input: GraphInput): Graph {
  const { document: doc, editable } = input;
  const index = indexGraph(doc, input.observed);
  const root = rootCard(index);
  const cards = [...namespaceCards(index), ...(root ? [root] : []), ...foreignCards(index)];
  const bridges = bridgeModels(index);
  const anchors = anchorsOf(cards, bridges);
  const layout = layoutGraph(doc, input, cards, bridges, () => nodeNeighbours(index, anchors));
  const edges = vethPlans(index, anchors).map((plan) => ({
    box: { id: plan.id, source: plan.from.nodeId, target: plan.to.nodeId },
    make: () => vethEdge(plan, layout, editable),
  }));
  return lazyGraph(nodeParts(cards, bridges, layout, editable), edges);
}
