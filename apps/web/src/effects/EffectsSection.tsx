import { effectsLabel, type EditInput, type LinkEffects } from '@netcanvas/model';
import { useMemo, useState } from 'react';
import { problemOf, type Problem } from '../lib/messages';
import { submitEdits } from '../protocol/edits';
import { useSession } from '../store/session';
import { Button } from '../ui/Button';
import { FieldError } from '../ui/Dialog';
import { TextField } from '../ui/TextField';
import { DriftList, Section } from '../inspector/Section';
import { endEffects } from './effects-view';
import { FlapControl } from './FlapControl';

/** The form's fields: the document's key, its label, its unit. */
const FIELDS: [keyof LinkEffects, string, string][] = [
  ['delayMs', 'Delay', 'ms'],
  ['jitterMs', 'Jitter', 'ms'],
  ['lossPercent', 'Loss', '%'],
  ['duplicatePercent', 'Duplicate', '%'],
  ['corruptPercent', 'Corrupt', '%'],
  ['reorderPercent', 'Reorder', '%'],
  ['rateKbit', 'Rate', 'kbit/s'],
];

type Texts = Record<keyof LinkEffects, string>;
const textsOf = (e: LinkEffects | undefined): Texts =>
  Object.fromEntries(FIELDS.map(([key]) => [key, e?.[key] !== undefined ? String(e[key]) : ''])) as Texts;

/**
 * What the form sends: each filled field as a number, or as typed when it is not one, so the model
 * refuses it with the field named ("10 years": "The delay is a number of milliseconds").
 */
export function effectsFromTexts(texts: Texts): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key] of FIELDS) {
    const text = texts[key].trim();
    if (text === '') continue;
    const n = Number(text);
    out[key] = Number.isNaN(n) ? text : n;
  }
  return out;
}

/** A veth end's or bridge port's link effects: the document's (a form), the kernel's, drift, adopt, flap. */
export function EffectsSection({ node, ifname }: { node: string; ifname: string }) {
  const doc = useSession((s) => s.document);
  const observed = useSession((s) => s.observed);
  const editable = useSession((s) => s.role === 'editor');
  const view = useMemo(() => endEffects(doc, observed, node, ifname), [doc, observed, node, ifname]);
  if (!view) return null;
  const who = `${node}:${ifname}`;
  return (
    <Section title="Link effects" label={`link effects of ${who}`}>
      <p className="mb-2 text-sm text-slate-600">
        In the kernel:{' '}
        <strong className="font-mono text-slate-900" aria-label={`effects in force on ${who}`}>
          {view.inForce ? effectsLabel(view.inForce) : 'none'}
        </strong>
      </p>
      {view.drift && <DriftList drift={[view.drift]} />}
      {view.handMade && <HandMadeQdisc who={who} view={view} editable={editable} />}
      {editable ? (
        <EffectsForm
          key={`${who}:${JSON.stringify(view.wanted ?? {})}`}
          node={node}
          ifname={ifname}
          wanted={view.wanted}
        />
      ) : (
        <p className="text-sm text-slate-600">
          In the topology:{' '}
          <span className="font-mono">{view.wanted ? effectsLabel(view.wanted) : 'none'}</span>
        </p>
      )}
      {editable && <FlapControl node={node} ifname={ifname} />}
    </Section>
  );
}

function EffectsForm({
  node,
  ifname,
  wanted,
}: {
  node: string;
  ifname: string;
  wanted: LinkEffects | undefined;
}) {
  const [texts, setTexts] = useState<Texts>(() => textsOf(wanted));
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const who = `${node}:${ifname}`;
  const send = async (effects: unknown) => {
    setProblem(null);
    setBusy(true);
    const result = await submitEdits([{ type: 'setInterface', node, ifname, effects } as EditInput]);
    setBusy(false);
    if (!result.ok) setProblem(problemOf(result));
  };
  return (
    <form
      className="space-y-2"
      onSubmit={(e) => {
        e.preventDefault();
        void send(effectsFromTexts(texts));
      }}
    >
      <div className="grid grid-cols-2 gap-2">
        {FIELDS.map(([key, label, unit]) => (
          <TextField
            key={key}
            label={`${label} (${unit})`}
            aria-label={`${label.toLowerCase()} of ${who}`}
            value={texts[key]}
            placeholder="none"
            inputMode="decimal"
            onChange={(e) => setTexts((t) => ({ ...t, [key]: e.target.value }))}
          />
        ))}
      </div>
      <FieldError message={problem?.message ?? null} detail={problem?.detail ?? null} />
      <div className="flex justify-end gap-2">
        <Button
          aria-label={`clear effects of ${who}`}
          disabled={busy || !wanted}
          onClick={() => void send(null)}
        >
          Clear
        </Button>
        <Button tone="primary" type="submit" aria-label={`apply effects of ${who}`} disabled={busy}>
          Apply
        </Button>
      </div>
    </form>
  );
}

/** A root qdisc someone made by hand: said, and (a tbf) adopted by taking its rate into the document. */
function HandMadeQdisc({
  who,
  view,
  editable,
}: {
  who: string;
  view: NonNullable<ReturnType<typeof endEffects>>;
  editable: boolean;
}) {
  const [problem, setProblem] = useState<Problem | null>(null);
  const q = view.handMade;
  if (!q) return null;
  const rate = q.rateKbit;
  const adopt = async () => {
    const [node, ifname] = [view.end.node, view.end.ifname];
    const effects = { ...(view.wanted ?? {}), rateKbit: rate };
    const result = await submitEdits([{ type: 'setInterface', node, ifname, effects }]);
    setProblem(result.ok ? null : problemOf(result));
  };
  return (
    <div className="mb-2 rounded-md bg-slate-50 px-3 py-2 text-sm text-slate-700 ring-1 ring-slate-200">
      <p>
        A <span className="font-mono">{q.kind}</span> qdisc made by hand
        {rate !== undefined && <span className="font-mono"> ({effectsLabel({ rateKbit: rate })})</span>}.
      </p>
      {editable && q.kind === 'tbf' && rate !== undefined && (
        <Button className="mt-1" aria-label={`adopt the ${q.kind} of ${who}`} onClick={() => void adopt()}>
          Adopt (its rate into the topology)
        </Button>
      )}
      <FieldError message={problem?.message ?? null} detail={problem?.detail ?? null} />
    </div>
  );
}
