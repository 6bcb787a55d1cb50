/** 1234 → "1.2 kB/s": rates as a person reads them from the back of a room. */
export function formatBytesPerSecond(bps: number): string {
  if (bps < 1000) return `${Math.round(bps)} B/s`;
  if (bps < 1_000_000) return `${(bps / 1000).toFixed(1)} kB/s`;
  if (bps < 1_000_000_000) return `${(bps / 1_000_000).toFixed(1)} MB/s`;
  return `${(bps / 1_000_000_000).toFixed(2)} GB/s`;
}

/**
 * 1234567 → "1,234,567". Written out rather than `toLocaleString('en-US')`: the first Intl call in a
 * page loads ICU's locale data, ~0.1 s of every page load for the command log's count (docs/testing.md,
 * session 10). Any other number (a fraction, NaN, ±Infinity) is left to Intl.
 */
export function formatCount(n: number): string {
  if (!Number.isSafeInteger(n)) return n.toLocaleString('en-US');
  const digits = String(Math.abs(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return n < 0 ? `-${digits}` : digits;
}

const two = (n: number): string => String(n).padStart(2, '0');

/** "12:01:03" in the viewer's local time (24-hour, as en-GB writes it; no Intl, as formatCount). */
export function formatTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}
