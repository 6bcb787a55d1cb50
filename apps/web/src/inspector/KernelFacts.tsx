import type { ObservedInterface } from '@netcanvas/model';
import { formatBytesPerSecond, formatCount } from '../lib/format';
import { useRate } from '../store/rates';
import { Facts, Section } from './Section';

/** What the kernel says about one interface: `ip -d -s link`, its addresses, and its veth peer (`ethtool -S`). */
export function KernelFacts({ context, o }: { context: string; o: ObservedInterface | undefined }) {
  const rate = useRate(context, o?.ifname ?? '');
  if (!o)
    return (
      <Section title="What the kernel says">
        <p className="text-sm text-amber-800">The kernel has no interface of this name (yet).</p>
      </Section>
    );
  return (
    <Section title="What the kernel says">
      <Facts
        rows={[
          ['ifindex', o.ifindex],
          ['kind', o.kind],
          ['state', `${o.up ? 'UP' : 'DOWN'} (operstate ${o.operstate})`],
          ['flags', o.flags.join(',') || '—'],
          ['mtu', o.mtu],
          ['mac', o.mac ?? '—'],
          ['addresses', o.addresses.length > 0 ? o.addresses.join(' ') : '—'],
          ...(o.master ? ([['master', o.master]] as [string, string][]) : []),
          [
            'peer',
            o.peer
              ? `${o.peer.namespace ?? '(unknown namespace)'}:${o.peer.ifname ?? '?'} (ifindex ${o.peer.ifindex})`
              : '—',
          ],
          ['managed', o.managed ? 'yes (carries the lab’s mark)' : 'no (made outside netcanvas)'],
        ]}
      />
      <h4 className="mb-1 mt-3 text-xs font-semibold text-slate-500">Counters</h4>
      <Facts
        rows={[
          ['rx', rate ? `${formatBytesPerSecond(rate.rxBps)} · ${formatCount(rate.rxPps)} pkt/s` : 'idle'],
          ['tx', rate ? `${formatBytesPerSecond(rate.txBps)} · ${formatCount(rate.txPps)} pkt/s` : 'idle'],
          ...(o.stats
            ? ([
                ['rx total', `${formatCount(o.stats.rxBytes)} B · ${formatCount(o.stats.rxPackets)} pkts`],
                ['tx total', `${formatCount(o.stats.txBytes)} B · ${formatCount(o.stats.txPackets)} pkts`],
                [
                  'errors / drops',
                  `rx ${o.stats.rxErrors}/${o.stats.rxDropped} · tx ${o.stats.txErrors}/${o.stats.txDropped}`,
                ],
              ] as [string, string][])
            : []),
        ]}
      />
      {o.stats && (
        <p className="mt-1 text-xs text-slate-400">Totals as of the last full read; rates are live.</p>
      )}
    </Section>
  );
}
