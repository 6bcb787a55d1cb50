import { useMemo, useState } from 'react';
import type { VethEdge } from '../adapters/types';
import { problemOf } from '../lib/messages';
import { submitEdits } from '../protocol/edits';
import { useSession } from '../store/session';
import { uiActions } from '../store/ui';
import { Button } from '../ui/Button';
import { FieldError, type Problem } from '../ui/Dialog';
import { DriftList, Section } from './Section';
import { endRepairs } from './repair';
import { RepairList } from './RepairList';
import { DuplicateWarning } from './DuplicateWarning';
import { EffectsSection } from '../effects/EffectsSection';

/** A veth pair: its two ends (each a link to its interface), why it is drawn as it is, delete. */
export function EdgeInspector({ edge }: { edge: VethEdge }) {
  const editable = useSession((s) => s.role === 'editor');
  const [error, setError] = useState<Problem | null>(null);
  const doc = useSession((s) => s.document);
  const observed = useSession((s) => s.observed);
  const data = edge.data;
  const drift = useMemo(() => {
    const both = data ? [data.a, data.b].map((e) => endRepairs(doc, observed, e.node, e.ifname)) : [];
    return { repairs: both.flatMap((r) => r.repairs), other: both.flatMap((r) => r.other) };
  }, [doc, observed, data]);
  if (!edge.data) return null;
  const { a, b, state, reasons } = edge.data;

  const remove = async () => {
    const result = await submitEdits([{ type: 'disconnect', node: a.node, ifname: a.ifname }]);
    if (result.ok) uiActions.select(null);
    else setError(problemOf(result));
  };

  return (
    <>
      <Section title="Veth pair">
        <p className="mb-2 font-mono text-lg font-semibold text-slate-900">
          {a.ifname} ⇄ {b.ifname}
        </p>
        <p className="mb-2 text-sm text-slate-600">
          State: <strong>{state}</strong>
        </p>
        {state === 'drift' && drift.repairs.length > 0 ? (
          <>
            <RepairList repairs={drift.repairs} />
            <DriftList drift={drift.other} />
          </>
        ) : state === 'drift' || state === 'unmanaged' ? (
          <DriftList drift={reasons} />
        ) : null}
        <DuplicateWarning holders={[`${a.node}:${a.ifname}`, `${b.node}:${b.ifname}`]} />
        <ul className="space-y-1">
          {[a, b].map((end) => (
            <li key={`${end.node}:${end.ifname}`}>
              <button
                type="button"
                onClick={() => uiActions.select({ kind: 'interface', nodeId: end.node, ifname: end.ifname })}
                className="font-mono text-sm text-sky-800 underline-offset-2 hover:underline"
              >
                {end.node}:{end.ifname}
              </button>
            </li>
          ))}
        </ul>
      </Section>
      {state !== 'unmanaged' &&
        [a, b].map((end) => (
          <EffectsSection key={`fx:${end.node}:${end.ifname}`} node={end.node} ifname={end.ifname} />
        ))}
      {editable && state !== 'unmanaged' && (
        <Section title="Remove">
          <Button tone="danger" aria-label={`delete veth ${a.ifname}`} onClick={() => void remove()}>
            Delete this veth pair
          </Button>
          <FieldError message={error?.message ?? null} detail={error?.detail ?? null} />
        </Section>
      )}
    </>
  );
}
