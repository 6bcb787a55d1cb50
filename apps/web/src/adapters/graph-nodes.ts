import type { BridgeModel } from './graph-bridges';
import type { CardModel } from './graph-cards';
import type { Layout } from './graph-layout';
import { bridgeHandles, cardHandles } from './geometry';
import { withLazy } from './lazy';
import type { BridgeNode, CardData, CardNode } from './types';

/** React Flow nodes from placed cards and bridges: what may be dragged, deleted and wired. */

const cardLabel = (c: CardModel): string =>
  `${c.kind === 'root' ? 'lab root' : c.kind === 'foreign' ? 'unmanaged namespace' : 'namespace'} ${c.name}`;

export function cardNode(c: CardModel, layout: Layout, editable: boolean): CardNode {
  const size = layout.sizeOf(c.id);
  return {
    id: c.id,
    type: 'card',
    position: layout.at(c.id),
    // The card's rows, drift and summary read from the card when the node's view first reads them
    // (a namespace's are worked out then: graph-cards.ts).
    data: withLazy(
      { kind: c.kind, name: c.name, context: c.context, editable },
      ['rows', 'drift', 'netfilter'],
      (): Pick<CardData, 'rows' | 'drift' | 'netfilter'> => c.details(),
    ),
    width: size.width,
    height: size.height,
    measured: size,
    handles: cardHandles(c.ifnames, editable && c.kind !== 'foreign'),
    deletable: editable && c.kind === 'namespace',
    draggable: editable,
    connectable: editable && c.kind !== 'foreign',
    ariaLabel: cardLabel(c),
  };
}

export function bridgeNode(b: BridgeModel, layout: Layout, editable: boolean): BridgeNode {
  const size = layout.sizeOf(b.br.name);
  return {
    id: b.br.name,
    type: 'bridge',
    position: layout.at(b.br.name),
    data: {
      name: b.br.name,
      context: b.context,
      state: b.status.state,
      stp: b.o?.stp ?? null,
      drift: b.status.drift,
      ports: b.ports,
      editable,
      handMade: b.handMade,
    },
    width: size.width,
    height: size.height,
    measured: size,
    // One made by hand is adopted before it is wired or deleted (as a namespace made by hand).
    handles: bridgeHandles(
      b.ports.map((p) => p.ifname),
      editable && !b.handMade,
    ),
    deletable: editable && !b.handMade,
    draggable: editable,
    connectable: editable && !b.handMade,
    ariaLabel: `${b.handMade ? 'bridge made by hand' : 'bridge'} ${b.br.name}`,
  };
}
