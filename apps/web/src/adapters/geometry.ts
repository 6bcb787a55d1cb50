import { Position, type NodeHandle } from '@xyflow/react';

/**
 * Every node's size and handle positions are known before it renders (React Flow
 * renders every node it has not measured yet, even when virtualised). The node components use the
 * same numbers as fixed CSS sizes, so what is measured is what was predicted.
 */
export const CARD_WIDTH = 264;
export const CARD_HEADER = 44;
export const ROW_HEIGHT = 44;
export const CARD_PADDING = 8;

export const BRIDGE_HEIGHT = 76;
export const PORT_SPACING = 100;
export const BRIDGE_MIN_WIDTH = 264;

export const HANDLE_SIZE = 8;
/** The connect knob each editable node carries (drag from it to another node to make a veth). */
export const NEW_LINK_HANDLE = 'new';
export const KNOB_SIZE = 22;

export const cardHeight = (rows: number): number =>
  CARD_HEADER + Math.max(rows, 1) * ROW_HEIGHT + CARD_PADDING;
export const bridgeWidth = (ports: number): number =>
  Math.max(BRIDGE_MIN_WIDTH, ports * PORT_SPACING + 2 * CARD_PADDING);

export type Side = 'L' | 'R' | 'T' | 'B';
export const handleId = (ifname: string, side: Side): string => `${ifname}:${side}`;

/** Vertical centre of row `i` of a card, from the card's top. */
export const rowCentre = (i: number): number => CARD_HEADER + i * ROW_HEIGHT + ROW_HEIGHT / 2;
/** Horizontal centre of port `i` of a bridge, from the bar's left. */
export const portCentre = (i: number): number => CARD_PADDING + i * PORT_SPACING + PORT_SPACING / 2;
/**
 * Where port `i` of `n` leaves from the bar's left or right edge (towards a node beside the
 * bridge): spread evenly down the edge, in the ports' order, so each line has its own point.
 */
export const portSideCentre = (i: number, n: number): number => (BRIDGE_HEIGHT * (i + 1)) / (n + 1);
/** Where port `i` of `n` ports' anchor on `side` sits along that side. */
export const portAnchorAt =
  (n: number) =>
  (i: number, side: Side): number =>
    side === 'L' || side === 'R' ? portSideCentre(i, n) : portCentre(i);

const h = (id: string, x: number, y: number, position: Position, size = HANDLE_SIZE): NodeHandle => ({
  id,
  type: 'source',
  position,
  x: x - size / 2,
  y: y - size / 2,
  width: size,
  height: size,
});

const knob = (width: number): NodeHandle =>
  h(NEW_LINK_HANDLE, width, CARD_HEADER / 2, Position.Right, KNOB_SIZE);

export function cardHandles(ifnames: readonly string[], withKnob: boolean): NodeHandle[] {
  const out: NodeHandle[] = [];
  ifnames.forEach((ifname, i) => {
    out.push(h(handleId(ifname, 'L'), 0, rowCentre(i), Position.Left));
    out.push(h(handleId(ifname, 'R'), CARD_WIDTH, rowCentre(i), Position.Right));
  });
  if (withKnob) out.push(knob(CARD_WIDTH));
  return out;
}

export function bridgeHandles(ports: readonly string[], withKnob: boolean): NodeHandle[] {
  const width = bridgeWidth(ports.length);
  const out: NodeHandle[] = [];
  ports.forEach((ifname, i) => {
    out.push(h(handleId(ifname, 'T'), portCentre(i), 0, Position.Top));
    out.push(h(handleId(ifname, 'B'), portCentre(i), BRIDGE_HEIGHT, Position.Bottom));
    out.push(h(handleId(ifname, 'L'), 0, portSideCentre(i, ports.length), Position.Left));
    out.push(h(handleId(ifname, 'R'), width, portSideCentre(i, ports.length), Position.Right));
  });
  if (withKnob) out.push(knob(width));
  return out;
}
