import type { ObservedFdbEntry } from '@netcanvas/model';
import { Section } from './Section';

/** `bridge fdb show br BR`: the MAC addresses the bridge has learned, and on which port. */
export function FdbTable({ bridge, entries }: { bridge: string; entries: readonly ObservedFdbEntry[] }) {
  const learned = entries.filter((e) => e.bridge === bridge && e.learned);
  return (
    <Section title="Learned MAC addresses" label="learned MAC addresses">
      {learned.length === 0 ? (
        <p className="text-sm text-slate-500">
          None yet: the bridge learns a MAC when a frame arrives from it (try a ping).
        </p>
      ) : (
        <table className="w-full text-sm" aria-label={`MAC table of ${bridge}`}>
          <thead>
            <tr className="text-left text-xs text-slate-500">
              <th className="pb-1 font-medium">MAC</th>
              <th className="pb-1 font-medium">port</th>
              <th className="pb-1 font-medium">age</th>
            </tr>
          </thead>
          <tbody className="font-mono">
            {learned.map((e) => (
              <tr key={`${e.mac}-${e.port}-${e.vlan ?? ''}`} className="border-t border-slate-100">
                <td className="py-1 text-slate-900">{e.mac}</td>
                <td className="py-1 text-slate-700">{e.port}</td>
                <td className="py-1 text-slate-500">{e.ageSeconds !== null ? `${e.ageSeconds} s` : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Section>
  );
}
