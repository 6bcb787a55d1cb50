import type { VethData } from '../../adapters/types';

/**
 * What a veth's label says, line by line, and how big it is: the view draws it, the placer finds
 * it room, so both use this one measure. Monospace 12 px text: each character is CHAR wide.
 */
export const CHAR = 7.3;
export const LINE = 16;
const PADDING = { x: 16, y: 8 };
/** A drift reason is wrapped, not cut: at most this many characters a line. */
const WRAP = 38;
/** Reasons shown on the link itself; the rest are in its tooltip and inspector. */
const MAX_REASONS = 2;
/** The widest traffic line ("→ 999.9 MB/s  ← 999.9 MB/s"): room is kept for it while traffic flows. */
const TRAFFIC_CHARS = 26;

export type LabelTone = 'names' | 'traffic' | 'reason' | 'warning';
export interface LabelLine {
  text: string;
  tone: LabelTone;
}
export interface EdgeLabel {
  lines: LabelLine[];
  width: number;
  height: number;
  /** The tooltip: both ends, every reason and warning in full. */
  title: string;
}

/** Both ends by node and interface: "ns1:eth0 ⇄ br0:veth-ns1"; a loop names its node once. */
export function endNames(data: Pick<VethData, 'a' | 'b'>): string {
  const { a, b } = data;
  return a.node === b.node
    ? `${a.node}: ${a.ifname} ⇄ ${b.ifname}`
    : `${a.node}:${a.ifname} ⇄ ${b.node}:${b.ifname}`;
}

/** Words into lines of at most `width` characters (a word longer than that is split). */
export function wrap(text: string, width = WRAP): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    for (let rest = word; rest.length > 0;) {
      const room = line === '' ? width : width - line.length - 1;
      if (rest.length <= room) {
        line = line === '' ? rest : `${line} ${rest}`;
        rest = '';
      } else if (line !== '') {
        lines.push(line);
        line = '';
      } else {
        lines.push(rest.slice(0, width));
        rest = rest.slice(width);
      }
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

function reasonLines(data: VethData): LabelLine[] {
  if (data.state !== 'drift' && data.state !== 'unmanaged') return [];
  const shown = data.reasons.slice(0, MAX_REASONS).flatMap((r) => wrap(r));
  const more = data.reasons.length - MAX_REASONS;
  if (more > 0) shown.push(`+${more} more: select the link`);
  return shown.map((text) => ({ text, tone: 'reason' as const }));
}

/** The label: both names, the traffic while it flows, why it is drawn so, a duplicate address. */
export function edgeLabel(data: VethData, traffic: string | null): EdgeLabel {
  const names = endNames(data);
  const warning = data.warnings?.[0];
  const lines: LabelLine[] = [
    { text: names, tone: 'names' },
    ...(traffic !== null ? [{ text: traffic, tone: 'traffic' as const }] : []),
    ...reasonLines(data),
    ...(warning ? [{ text: `⚠ ${warning.short}`, tone: 'warning' as const }] : []),
  ];
  const chars = Math.max(...lines.map((l) => l.text.length), traffic !== null ? TRAFFIC_CHARS : 0);
  return {
    lines,
    width: Math.ceil(chars * CHAR + PADDING.x),
    height: lines.length * LINE + PADDING.y,
    title: [names, ...data.reasons, ...(data.warnings ?? []).map((w) => w.message)].join('\n'),
  };
}
