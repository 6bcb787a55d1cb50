import {
  applyEdits,
  routeMatches,
  routeText,
  type EditInput,
  type NamespaceSpec,
  type ObservedNamespace,
  type RouteSpec,
} from '@netcanvas/model';
import { useState } from 'react';
import { submitEdits } from '../protocol/edits';
import { useSession } from '../store/session';
import { Button } from '../ui/Button';
import { FieldError } from '../ui/Dialog';
import { issuesByField } from './fields';
import { EMPTY_ROUTE, RouteForm, draftOf, routeOf, type RouteDraft } from './RouteForm';
import { Section } from './Section';

const PROTOCOL_TEXT: Record<string, string> = {
  kernel: 'connected',
  '203': 'the lab’s',
};

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
  const [error, setError] = useState<string | null>(null);
  const [draft, setDraft] = useState<RouteDraft>(EMPTY_ROUTE);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  /** The route being changed: its index, and the route as it was when the form opened. */
  const [editing, setEditing] = useState<{ index: number; was: RouteSpec } | null>(null);
  const name = spec.name;

  const send = async (edit: EditInput): Promise<boolean> => {
    setBusy(true);
    const result = await submitEdits([edit]);
    setBusy(false);
    setError(result.ok ? null : result.message);
    return result.ok;
  };

  const closeForm = () => {
    setEditing(null);
    setDraft(EMPTY_ROUTE);
    setFieldErrors({});
    setError(null);
  };

  const openEdit = (index: number, route: RouteSpec) => {
    setEditing({ index, was: route });
    setDraft(draftOf(route));
    setFieldErrors({});
    setError(null);
  };

  /** Adds the drafted route, or puts it in place of the one being changed: one setNamespace edit. */
  const saveRoute = async () => {
    const index = editing?.index ?? spec.routes.length;
    const current = spec.routes[index];
    if (editing && (current === undefined || routeText(current) !== routeText(editing.was))) {
      setError(
        `route ${routeText(editing.was)} changed or went away meanwhile; look again before changing it`,
      );
      setEditing(null);
      return;
    }
    const route = routeOf(draft);
    const routes = editing ? spec.routes.map((r, j) => (j === index ? route : r)) : [...spec.routes, route];
    const edit = { type: 'setNamespace', name, routes } as EditInput;
    const checked = applyEdits(useSession.getState().document, [edit]);
    if (!checked.ok) {
      setFieldErrors(issuesByField(checked.issues, `edits[0].routes[${index}]`));
      setError(checked.issues.map((i) => `${i.path}: ${i.message}`).join('; '));
      return;
    }
    setFieldErrors({});
    if (await send(edit)) closeForm();
  };

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

  const fwdObserved = observed?.forwarding;
  const kernelRoutes = observed?.routes;

  return (
    <Section title="Routing">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <label className="flex items-center gap-2 text-sm text-slate-800">
          <input
            type="checkbox"
            aria-label={`IP forwarding in ${name}`}
            checked={spec.forwarding}
            disabled={!editable || busy}
            onChange={(e) => void send({ type: 'setNamespace', name, forwarding: e.target.checked })}
            className="size-4"
          />
          IP forwarding (a router)
        </label>
        <span className="text-xs text-slate-500" aria-label={`forwarding in the kernel of ${name}`}>
          kernel:{' '}
          {fwdObserved === undefined ? (
            'not read yet'
          ) : (
            <strong className={fwdObserved === spec.forwarding ? 'text-slate-800' : 'text-amber-700'}>
              {fwdObserved ? 'on' : 'off'}
              {fwdObserved !== spec.forwarding ? ' ⚠ drift' : ''}
            </strong>
          )}
        </span>
      </div>

      <h4 className="mb-1 mt-3 text-xs font-semibold text-slate-500">Static routes (the topology)</h4>
      {spec.routes.length === 0 ? (
        <p className="text-sm text-slate-500">None: only the connected subnets.</p>
      ) : (
        <ul aria-label={`routes of ${name}`} className="space-y-1">
          {spec.routes.map((r, i) => {
            const inKernel = kernelRoutes?.some((have) => routeMatches(r, have));
            const text = routeText(r);
            return (
              <li key={`${i}-${text}`} className="text-sm">
                <div className="flex items-center gap-2">
                  <span className="min-w-0 flex-1 break-words font-mono text-slate-900">{text}</span>
                  {inKernel === undefined ? null : inKernel ? (
                    <span className="text-xs text-emerald-700">✓ in kernel</span>
                  ) : (
                    <span className="text-xs font-semibold text-amber-700">⚠ missing</span>
                  )}
                  {editable && (
                    <>
                      <Button
                        tone="ghost"
                        className="!px-1.5 !py-0.5"
                        aria-label={`edit route ${text} in ${name}`}
                        aria-expanded={editing?.index === i}
                        disabled={busy}
                        onClick={() => (editing?.index === i ? closeForm() : openEdit(i, r))}
                      >
                        edit
                      </Button>
                      <Button
                        tone="ghost"
                        className="!px-1.5 !py-0.5"
                        aria-label={`remove route ${text} in ${name}`}
                        disabled={busy}
                        onClick={() =>
                          void send({
                            type: 'setNamespace',
                            name,
                            routes: spec.routes.filter((_, j) => j !== i),
                          }).then((ok) => ok && editing !== null && closeForm())
                        }
                      >
                        ✕
                      </Button>
                    </>
                  )}
                </div>
                {editing?.index === i && form(text)}
              </li>
            );
          })}
        </ul>
      )}

      {editable && editing === null && form(null)}
      <FieldError message={error} />

      <h4 className="mb-1 mt-3 text-xs font-semibold text-slate-500">What the kernel has (ip route)</h4>
      {kernelRoutes === undefined ? (
        <p className="text-sm text-slate-500">Not read yet.</p>
      ) : kernelRoutes.length === 0 ? (
        <p className="text-sm text-slate-500">No routes (no interface is up with an address).</p>
      ) : (
        <ul aria-label={`kernel routes of ${name}`} className="space-y-1">
          {kernelRoutes.map((r, i) => {
            const stale = r.managed && !spec.routes.some((want) => routeMatches(want, r));
            const by = PROTOCOL_TEXT[r.protocol] ?? `by hand (proto ${r.protocol})`;
            return (
              <li
                key={`${i}-${r.to}`}
                className={`flex items-center gap-2 rounded px-1 text-sm ${r.managed || r.protocol === 'kernel' ? '' : 'border border-dashed border-slate-400'}`}
              >
                <span className="min-w-0 flex-1 break-words font-mono text-slate-800">{routeText(r)}</span>
                <span className={`text-xs ${stale ? 'font-semibold text-amber-700' : 'text-slate-500'}`}>
                  {stale ? '⚠ not in the topology' : by}
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </Section>
  );
}
