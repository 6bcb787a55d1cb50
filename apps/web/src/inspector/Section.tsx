import type { ReactNode } from 'react';

export function Section({ title, children, label }: { title: string; children: ReactNode; label?: string }) {
  return (
    <section aria-label={label ?? title} className="border-b border-slate-100 px-4 py-3">
      <h3 className="mb-2 text-xs font-semibold uppercase tracking-wide text-slate-500">{title}</h3>
      {children}
    </section>
  );
}

/** Label → value pairs, as a definition list. */
export function Facts({ rows }: { rows: [string, ReactNode][] }) {
  return (
    <dl className="grid grid-cols-[7.5rem_1fr] gap-x-3 gap-y-1 text-sm">
      {rows.map(([k, v]) => (
        <div key={k} className="contents">
          <dt className="text-slate-500">{k}</dt>
          <dd className="min-w-0 break-words font-mono text-slate-900" aria-label={k}>
            {v}
          </dd>
        </div>
      ))}
    </dl>
  );
}

export function DriftList({ drift }: { drift: readonly string[] }) {
  if (drift.length === 0) return null;
  return (
    <ul
      aria-label="drift"
      className="mb-2 space-y-1 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-200"
    >
      {drift.map((d) => (
        <li key={d}>⚠ {d}</li>
      ))}
    </ul>
  );
}
