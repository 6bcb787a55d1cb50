import { plural } from '../lib/plural';
import { useRuleCounter } from '../store/counters';
import { byteCount, packetCount } from './counter-format';

/**
 * A rule's (index ≥ 0) or a chain policy's (−1) live packet and byte counters. When they rose in
 * the last seconds the text says so ("▲ +3 hit"), not only the colour. Large counters read short
 * ("1.23 M pkts", the exact figure in the tooltip) and the badge wraps rather than leave its box.
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
      className={`inline-flex min-w-0 max-w-full flex-wrap items-center gap-x-1 rounded px-1.5 py-0.5 font-mono text-xs tabular-nums transition-colors ${c?.lit ? 'bg-amber-300 font-semibold text-amber-950 ring-2 ring-amber-500' : 'bg-slate-100 text-slate-700'}`}
      data-lit={c?.lit ? 'yes' : 'no'}
      data-counter=""
      title={`${plural(packets, 'packet')}, ${plural(size, 'byte')}`}
    >
      <span className="whitespace-nowrap">
        <span data-testid="packets">{packetCount(packets)}</span> pkts
      </span>
      <span className="whitespace-nowrap">· {byteCount(size)}</span>
      {c?.lit && <span className="whitespace-nowrap">▲ +{packetCount(c.delta)} hit</span>}
    </span>
  );
}
