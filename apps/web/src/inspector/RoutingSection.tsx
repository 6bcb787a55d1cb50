import {
  routeStanding,
  routeText,
  type EditInput,
  type NamespaceSpec,
  type ObservedNamespace,
  type RouteStanding,
} from '@netcanvas/model';
import { useState } from 'react';
import { submitEdits } from '../protocol/edits';
import { Button } from '../ui/Button';
import { problemOf, type Problem } from '../lib/messages';
import { FieldError } from '../ui/Dialog';
import { RouteForm } from './RouteForm';
import { Forwarding } from './Forwarding';
import { KernelRoutes } from './KernelRoutes';
import { Section } from './Section';
import { useRouteEditor } from './use-route-editor';

/**
 * Forwarding (`sysctl net.ipv4.ip_forward`) and static routes (`ip route add ... proto 203`): the
 * document's, editable (a route is changed in place: one edit with the route changed at its index,
 * which the agent applies with `ip route replace`); the kernel's, with the lab's told apart from
 * connected and hand-made ones.
 */
export function RoutingSection({
  spec,
  observed,
  editable,
}: {
  spec: NamespaceSpec;
  observed: ObservedNamespace | undefined;
  editable: boolean;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Problem | null>(null);
  const name = spec.name;

  const send = async (edit: EditInput): Promise<boolean> => {
    setBusy(true);
    const result = await submitEdits([edit]);
    setBusy(false);
    setError(result.ok ? null : problemOf(result));
    return result.ok;
  };

  const { draft, setDraft, fieldErrors, editing, closeForm, openEdit, saveRoute } = useRouteEditor(
    spec,
    send,
    setError,
  );

  const form = (changing: string | null) => (
    <RouteForm
      namespace={name}
      draft={draft}
      errors={fieldErrors}
      busy={busy}
      changing={changing}
      onChange={setDraft}
      onSubmit={() => void saveRoute()}
      onCancel={closeForm}
    />
  );

  const kernelRoutes = observed?.routes;

  return (
    <Section title="Routing">
      <Forwarding spec={spec} observed={observed} disabled={!editable || busy} send={send} />

      <h4 className="mb-1 mt-3 text-xs font-semibold text-slate-500">Static routes (the topology)</h4>
      {spec.routes.length === 0 ? (
        <p className="text-sm text-slate-500">None: only the connected subnets.</p>
      ) : (
        <ul aria-label={`routes of ${name}`} className="space-y-1">
          {spec.routes.map((r, i) => {
            const text = routeText(r);
            return (
              <li key={`${i}-${text}`} className="text-sm">
                <RouteLine
                  {...{ name, text, busy, editable }}
                  standing={kernelRoutes && routeStanding(r, kernelRoutes)}
                  open={editing?.index === i}
                  toggle={() => (editing?.index === i ? closeForm() : openEdit(i, r))}
                  remove={() =>
                    void send({
                      type: 'setNamespace',
                      name,
                      routes: spec.routes.filter((_, j) => j !== i),
                    }).then((ok) => ok && editing !== null && closeForm())
                  }
                />
                {editing?.index === i && form(text)}
              </li>
            );
          })}
        </ul>
      )}

      {editable && editing === null && form(null)}
      <FieldError message={error?.message ?? null} detail={error?.detail ?? null} />

      <KernelRoutes spec={spec} observed={observed} editable={editable} />
    </Section>
  );
}

/** A route the kernel does not hold as the lab's: missing, or at its key made by hand (routeStanding). */
const STANDING_TEXT = { missing: 'missing', byHand: 'made by hand', changedByHand: 'changed by hand' };

/** One route of the document: its text, whether the kernel has it, and (for an editor) edit and remove. */
function RouteLine(props: {
  name: string;
  text: string;
  standing: RouteStanding | undefined;
  editable: boolean;
  busy: boolean;
  open: boolean;
  toggle: () => void;
  remove: () => void;
}) {
  const { name, text, standing } = props;
  return (
    <div className="flex items-center gap-2">
      <span className="min-w-0 flex-1 break-words font-mono text-slate-900">{text}</span>
      {standing === undefined ? null : standing.kind === 'held' ? (
        <span className="text-xs text-emerald-700">✓ in kernel</span>
      ) : (
        <span className="text-xs font-semibold text-amber-700">⚠ {STANDING_TEXT[standing.kind]}</span>
      )}
      {props.editable && (
        <>
          <Button
            tone="ghost"
            className="!px-1.5 !py-0.5"
            aria-label={`edit route ${text} in ${name}`}
            aria-expanded={props.open}
            disabled={props.busy}
            onClick={props.toggle}
          >
            edit
          </Button>
          <Button
            tone="ghost"
            className="!px-1.5 !py-0.5"
            aria-label={`remove route ${text} in ${name}`}
            disabled={props.busy}
            onClick={props.remove}
          >
            ✕
          </Button>
        </>
      )}
    </div>
  );
}
