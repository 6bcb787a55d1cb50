import type { ObservedFdbEntry } from '@netcanvas/model';
import { useNow } from '../lib/use-now';
import { ageSeconds, fdbKey, useFdbAges } from '../store/fdb-ages';
import { Section } from './Section';

/**
 * `bridge fdb show br BR` (`brctl showmacs BR`): the MACs the bridge has learned, on which port,
 * and how long ago traffic from each last arrived (live: it counts up, and drops to 0 when a frame
 * comes); the bridge's and ports' own MACs ("local") and entries added by hand ("static") never age.
 */
export function FdbTable({
  context,
  bridge,
  entries,
}: {
  context: string;
  bridge: string;
  entries: readonly ObservedFdbEntry[];
}) {
  const mine = entries.filter((e) => e.bridge === bridge);
  // Learned first (what the tutorial is about), then the rest, each by port.
  const rows = [...mine].sort(
    (x, y) =>
      Number(y.learned) - Number(x.learned) || x.port.localeCompare(y.port) || x.mac.localeCompare(y.mac),
  );
  return (
    <Section title="MAC table" label="learned MAC addresses">
      {!mine.some((e) => e.learned) && (
        <p className="mb-2 text-sm text-slate-500">{nothingLearned(rows.length)}</p>
      )}
      {rows.length > 0 && (
        <table className="w-full text-sm" aria-label={`MAC table of ${bridge}`}>
          <thead>
            <tr className="text-left text-xs text-slate-500">
              <th className="pb-1 font-medium">MAC</th>
              <th className="pb-1 font-medium">port</th>
              <th className="pb-1 font-medium">age</th>
            </tr>
          </thead>
          <tbody className="font-mono">
            {rows.map((e) => (
              <tr key={`${e.mac}-${e.port}-${e.vlan ?? ''}`} className="border-t border-slate-100">
                <td className="py-1 text-slate-900">{e.mac}</td>
                <td className="py-1 text-slate-700">
                  {e.port}
                  {e.vlan !== null && <span className="text-slate-500"> vlan {e.vlan}</span>}
                </td>
                <td className="py-1 text-slate-500">
                  {e.learned ? <LiveAge context={context} entry={e} /> : (e.origin ?? 'local')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Section>
  );
}

/**
 * Said when no MAC was learned from traffic: the table may still list the bridge's and its
 * ports' own MACs (local, static), which are not learned; said so, not "nothing" above a row.
 */
export const nothingLearned = (rows: number): string =>
  rows === 0
    ? 'Nothing learned yet: the bridge learns a MAC when a frame arrives from it (try a ping).'
    : 'No MAC learned from traffic yet (try a ping): the rows below are the bridge’s and its ports’ own.';

/** One learned MAC's age, re-rendered each second on its own (the table does not). */
function LiveAge({ context, entry: e }: { context: string; entry: ObservedFdbEntry }) {
  const refreshedAt = useFdbAges((s) => s.refreshedAt.get(fdbKey(context, e.bridge, e.port, e.mac, e.vlan)));
  const now = useNow();
  if (refreshedAt === undefined) return <span title="the agent has not said yet">…</span>;
  const age = ageSeconds(refreshedAt, now);
  return <span title="since a frame from this MAC last arrived">{age} s</span>;
}
