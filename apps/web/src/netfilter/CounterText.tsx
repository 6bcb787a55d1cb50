import { formatCount } from '../lib/format';
import { useRuleCounter } from '../store/counters';

const bytes = (n: number) =>
  n < 1000 ? `${n} B` : n < 1_000_000 ? `${(n / 1000).toFixed(1)} kB` : `${(n / 1_000_000).toFixed(1)} MB`;

/**
 * A rule's (index ≥ 0) or a chain policy's (−1) live packet and byte counters. When they rose in
 * the last seconds the text says so ("▲ +3 hit"), not only the colour.
 */
export function CounterText({
  namespace,
  table,
  chain,
  index,
  fallback,
  hideZero = false,
}: {
  namespace: string;
  table: string;
  chain: string;
  index: number;
  /** What to show before any counter arrived (the structure's zeroed counters). */
  fallback?: { packets: number; bytes: number };
  /** Say nothing while nothing was counted (iptables-nft never counts chain policies). */
  hideZero?: boolean;
}) {
  const c = useRuleCounter(namespace, table, chain, index);
  const packets = c?.packets ?? fallback?.packets ?? 0;
  const size = c?.bytes ?? fallback?.bytes ?? 0;
  if (hideZero && packets === 0) return null;
  return (
    <span
      className={`inline-flex shrink-0 items-center gap-1 rounded px-1.5 py-0.5 font-mono text-xs tabular-nums transition-colors ${c?.lit ? 'bg-amber-300 font-semibold text-amber-950 ring-2 ring-amber-500' : 'bg-slate-100 text-slate-700'}`}
      data-lit={c?.lit ? 'yes' : 'no'}
    >
      <span data-testid="packets">{formatCount(packets)}</span> pkts · {bytes(size)}
      {c?.lit && <span> ▲ +{formatCount(c.delta)} hit</span>}
    </span>
  );
}
