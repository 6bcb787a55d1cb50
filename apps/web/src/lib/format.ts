/** 1234 → "1.2 kB/s": rates as a person reads them from the back of a room. */
export function formatBytesPerSecond(bps: number): string {
  if (bps < 1000) return `${Math.round(bps)} B/s`;
  if (bps < 1_000_000) return `${(bps / 1000).toFixed(1)} kB/s`;
  if (bps < 1_000_000_000) return `${(bps / 1_000_000).toFixed(1)} MB/s`;
  return `${(bps / 1_000_000_000).toFixed(2)} GB/s`;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** "12:01:03" in the viewer's local time. */
export function formatTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleTimeString('en-GB', { hour12: false });
}
