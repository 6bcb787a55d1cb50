import { formatCount } from '../lib/format';

const SCALES: [number, string][] = [
  [1e12, 'T'],
  [1e9, 'G'],
  [1e6, 'M'],
  [1e3, 'k'],
];

/** Three significant digits with a unit letter ("123 k", "1.23 M"): a counter's badge keeps its width. */
function short(n: number): { value: string; unit: string } {
  const i = SCALES.findIndex(([scale]) => n >= scale);
  if (i < 0) return { value: String(n), unit: '' };
  const [scale, unit] = SCALES[i]!;
  const v = n / scale;
  // 999.96 M would read "1.00e+3 M": say "1.00 G", the next unit up (if there is one).
  if (v >= 999.5 && i > 0) return { value: (v / 1000).toFixed(2), unit: SCALES[i - 1]![1] };
  return { value: v >= 999.5 ? v.toFixed(0) : v.toPrecision(3), unit };
}

/**
 * A packet count for a badge: exact up to 99,999 (what a lesson's pings give), then three
 * significant digits ("1.23 M"); the exact figure goes in the badge's tooltip.
 */
export function packetCount(n: number): string {
  if (n < 100_000) return formatCount(n);
  const { value, unit } = short(n);
  return `${value} ${unit}`;
}

/** A byte count for a badge: "512 B", "1.50 kB", "2.35 GB". */
export function byteCount(n: number): string {
  if (n < 1000) return `${n} B`;
  const { value, unit } = short(n);
  return `${value} ${unit}B`;
}
