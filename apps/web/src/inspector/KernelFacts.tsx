import type { ObservedInterface } from '@netcanvas/model';
import { formatBytesPerSecond, formatCount } from '../lib/format';
import { useRate } from '../store/rates';
import { Facts, Section } from './Section';
import { plural } from '../lib/plural';

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
          ...portRows(o),
          ...peerRows(o),
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
                ['rx total', `${formatCount(o.stats.rxBytes)} B · ${plural(o.stats.rxPackets, 'pkt')}`],
                ['tx total', `${formatCount(o.stats.txBytes)} B · ${plural(o.stats.txPackets, 'pkt')}`],
                [
                  'errors / drops',
                  `rx ${o.stats.rxErrors}/${o.stats.rxDropped} · tx ${o.stats.txErrors}/${o.stats.txDropped}`,
                ],
              ] as [string, string][])
            : []),
        ]}
      />
      {o.stats && (
        <p className="mt-1 text-xs text-slate-500">Totals as of the last full read; rates are live.</p>
      )}
    </Section>
  );
}

type Row = [string, string];

/**
 * A veth's other end, as the tutorial finds it: `ip link` prints `veth1@if5 ... link-netnsid 0`
 * (the peer's ifindex, and the id this namespace gives the peer's), and `ethtool -S veth1` says
 * `peer_ifindex: 5`; the name is then looked up in that namespace.
 */
function peerRows(o: ObservedInterface): Row[] {
  if (o.kind !== 'veth') return o.peer ? [['peer ifindex', `${o.peer.ifindex}`]] : [];
  if (!o.peer) return [['peer', '—']];
  return [
    [
      'peer',
      o.peer.namespace === null
        ? 'in a namespace outside the lab'
        : `${o.peer.namespace}:${o.peer.ifname ?? '?'}`,
    ],
    ['peer ifindex', `${o.peer.ifindex} (ethtool -S)`],
    ['link-netnsid', o.linkNetnsid == null ? '— (peer in this namespace)' : `${o.linkNetnsid}`],
  ];
}

/** A bridge port's spanning-tree facts, as `bridge link` prints them. */
function portRows(o: ObservedInterface): Row[] {
  const p = o.portInfo;
  if (!p) return [];
  return [
    ['STP state', p.state],
    ['port cost', `${p.cost}`],
    ['port priority', `${p.priority}`],
    ...(p.learning ? [] : ([['learning', 'off']] as Row[])),
    ...(p.flood ? [] : ([['flooding', 'off']] as Row[])),
  ];
}
