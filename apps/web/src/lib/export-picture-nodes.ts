import { BRIDGE_HEIGHT, CARD_HEADER, PORT_SPACING, ROW_HEIGHT, portCentre } from '../adapters/geometry';
import { STATE_TEXT } from '../adapters/status';
import type { BridgeNode, CardNode, RowModel } from '../adapters/types';
import { chipLine, type Chip } from './export-picture-chips';
import type { PictureFigures } from './export-picture-figures';
import { INK, dotLook } from './export-picture-look';
import { CHAR, MONO, SANS, el } from './export-picture-text';
import { plural } from './plural';

/**
 * Cards and bridges drawn as SVG at their places on the canvas, with the canvas's sizes (the
 * adapter's geometry), so every veth meets its row or port where it does on screen.
 */

/**
 * A card's kind, where it is not the usual one: on a slide every box is a namespace unless it says
 * otherwise (the canvas's "NAMESPACE" tag would take the room a card's header has for its figures).
 */
const KIND_LABEL = { namespace: null, root: 'LAB ROOT', foreign: 'UNMANAGED' } as const;

const tag = (words: string, back: string = INK.tag, ink: string = INK.muted): Chip => ({
  words,
  size: 11,
  char: CHAR.sansBold,
  font: SANS,
  bold: true,
  fill: ink,
  badge: { fill: back },
});

const driftTag = (words: string): Chip => ({ ...tag(words, INK.amberTag, INK.amberText), figure: true });

function frame(
  x: number,
  y: number,
  w: number,
  h: number,
  look: Record<string, string | number | undefined>,
): string {
  return el('rect', { x: x + 1, y: y + 1, width: w - 2, height: h - 2, rx: 12, 'stroke-width': 2, ...look });
}

/** The header of a card: name, kind, routing and firewall badges, and (live) its drift and packet count. */
function cardHeader(node: CardNode, w: number, figures: PictureFigures | null): string[] {
  const { data } = node;
  const nf = data.netfilter;
  const packets = figures && nf && nf.rules > 0 ? figures.firewallPackets(data.context) : 0;
  const kind = KIND_LABEL[data.kind];
  const chips: Chip[] = [
    { words: data.name, size: 16, char: CHAR.sansBold, font: SANS, bold: true, fill: INK.text, keep: 4 },
    ...(kind ? [tag(kind)] : []),
  ];
  if (nf?.forwarding)
    chips.push({ ...tag('fwd', INK.skyTag, INK.skyText), badge: { fill: INK.skyTag, stroke: INK.skyLine } });
  if (nf && nf.routes > 0) chips.push(tag(`↪${nf.routes}`));
  if (nf && nf.rules > 0) chips.push(tag(`fw ${nf.rules}`));
  if (packets > 0) chips.push({ ...tag(plural(packets, 'pkt', 'pkts')), figure: true, keep: 4 });
  if (figures && data.drift[0]) chips.push(driftTag(data.drift[0]));
  const { x, y } = node.position;
  return chipLine(chips, [], x + 12, x + w - 12, y + CARD_HEADER / 2 + 6);
}

/** One interface row: name, (live) state dot and word, MTU; its addresses below; (live) its drift. */
function cardRow(row: RowModel, x: number, top: number, w: number, figures: PictureFigures | null): string[] {
  const drift = row.drift.length > 0;
  const out: string[] = [];
  const box = { x: x + 6, y: top + 2, width: w - 12, height: ROW_HEIGHT - 4, rx: 6 };
  if (row.unmanaged)
    out.push(el('rect', { ...box, fill: 'none', stroke: INK.faint, 'stroke-dasharray': '4 3' }));
  if (figures && drift && !row.unmanaged)
    out.push(el('rect', { ...box, class: 'figure', fill: INK.amberBack, stroke: INK.amber }));
  const name: Chip = { words: row.ifname, size: 13, char: CHAR.mono, font: MONO, bold: true, fill: INK.text };
  const first: Chip[] = figures ? [{ ...name, dot: dotLook(row.state, drift), figure: true }, name] : [name];
  if (figures) {
    const warn = drift || row.state === 'nocarrier';
    const state = drift && row.state === 'up' ? 'drift' : STATE_TEXT[row.state];
    first.push({
      words: state,
      size: 12,
      char: CHAR.sans,
      font: SANS,
      bold: warn,
      fill: warn ? INK.amberText : INK.faint,
      figure: true,
    });
  }
  const mtu: Chip[] =
    row.mtu !== null
      ? [{ words: `mtu ${row.mtu}`, size: 11, char: CHAR.sans, font: SANS, fill: INK.faint }]
      : [];
  out.push(...chipLine(first, mtu, x + 14, x + w - 14, top + 19));
  const more = row.addresses.length > 1 ? ` +${row.addresses.length - 1}` : '';
  const second: Chip[] = [
    ...(row.unmanaged
      ? [{ words: 'unmanaged ·', size: 12, char: CHAR.sans, font: SANS, fill: INK.faint }]
      : []),
    {
      words: row.addresses[0] ? `${row.addresses[0]}${more}` : 'no address',
      size: 12,
      char: CHAR.mono,
      font: MONO,
      fill: INK.muted,
      keep: 6,
    },
  ];
  if (figures && row.drift[0])
    second.push({
      words: row.drift[0],
      size: 11,
      char: CHAR.sans,
      font: SANS,
      fill: INK.amberText,
      figure: true,
    });
  out.push(...chipLine(second, [], x + 14, x + w - 14, top + 35));
  return out;
}

export function cardSvg(node: CardNode, figures: PictureFigures | null): string {
  const { x, y } = node.position;
  const w = node.width ?? 0;
  const h = node.height ?? 0;
  const back = node.data.kind === 'root' ? INK.frameRoot : '#ffffff';
  const dash = node.data.kind === 'foreign' ? '6 4' : undefined;
  const look = dash ? { stroke: INK.faint, 'stroke-dasharray': dash } : { stroke: INK.line };
  const parts = [frame(x, y, w, h, { fill: back, ...look })];
  if (figures && node.data.drift.length > 0)
    parts.push(frame(x, y, w, h, { class: 'figure', fill: 'none', stroke: INK.amber }));
  parts.push(...cardHeader(node, w, figures));
  node.data.rows.forEach((row, i) =>
    parts.push(...cardRow(row, x, y + CARD_HEADER + i * ROW_HEIGHT, w, figures)),
  );
  return el('g', { class: 'card', 'data-id': node.id }, parts);
}

/** A bridge: the bar with its name, kind, (live) state and learned MACs, STP; a box per port. */
export function bridgeSvg(node: BridgeNode, figures: PictureFigures | null): string {
  const { data } = node;
  const { x, y } = node.position;
  const w = node.width ?? 0;
  const drift = data.drift.length > 0;
  const parts = [frame(x, y, w, BRIDGE_HEIGHT, { fill: INK.indigoBack, stroke: INK.indigoLine })];
  if (figures && drift)
    parts.push(frame(x, y, w, BRIDGE_HEIGHT, { class: 'figure', fill: 'none', stroke: INK.amber }));
  const name: Chip = {
    words: data.name,
    size: 16,
    char: CHAR.mono,
    font: MONO,
    bold: true,
    fill: INK.indigoName,
    keep: 4,
  };
  const chips: Chip[] = [
    name,
    tag(`BRIDGE${data.context !== 'root' ? ` IN ${data.context}` : ''}`, INK.indigoTag, INK.indigoText),
  ];
  if (figures) {
    chips.unshift({ ...name, dot: dotLook(data.state, drift), figure: true });
    chips.push(
      drift
        ? driftTag(data.drift[0] ?? '')
        : {
            words: STATE_TEXT[data.state],
            size: 12,
            char: CHAR.sans,
            font: SANS,
            fill: INK.faint,
            figure: true,
          },
    );
    const macs = figures.learnedMacs(data.context, data.name);
    const learned = plural(macs, 'MAC', 'MACs');
    if (macs > 0)
      chips.push({ ...tag(`${learned} learned`, '#ffffff', INK.body), short: learned, figure: true });
  }
  const stp: Chip[] =
    data.stp === null
      ? []
      : [{ words: `STP ${data.stp ? 'on' : 'off'}`, size: 12, char: CHAR.sans, font: SANS, fill: INK.faint }];
  parts.push(...chipLine(chips, stp, x + 12, x + w - 12, y + 22));
  data.ports.forEach((port, i) => parts.push(...portSvg(port, x + portCentre(i), y, figures)));
  return el('g', { class: 'bridge', 'data-id': node.id }, parts);
}

function portSvg(port: RowModel, centre: number, y: number, figures: PictureFigures | null): string[] {
  const width = PORT_SPACING - 8;
  const left = centre - width / 2;
  const drift = port.drift.length > 0;
  const box = { x: left, y: y + 36, width, height: 28, rx: 6 };
  const out = [
    el('rect', {
      ...box,
      fill: '#ffffff',
      stroke: port.unmanaged ? INK.faint : INK.indigoPort,
      'stroke-dasharray': port.unmanaged ? '4 3' : undefined,
    }),
  ];
  if (figures && drift) out.push(el('rect', { ...box, class: 'figure', fill: 'none', stroke: INK.amber }));
  const name: Chip = { words: port.ifname, size: 11, char: CHAR.mono, font: MONO, fill: '#1e293b', keep: 4 };
  const chips = figures ? [{ ...name, dot: dotLook(port.state, drift), figure: true }, name] : [name];
  out.push(...chipLine(chips, [], left + 6, left + width - 4, y + 54));
  return out;
}
