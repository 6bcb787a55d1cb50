import { applyEdits, type EditInput, type NamespaceSpec, type ObservedNamespace } from '@netcanvas/model';
import { useState } from 'react';
import { routeMatches, routeText } from '../adapters/netfilter';
import { submitEdits } from '../protocol/edits';
import { useSession } from '../store/session';
import { Button } from '../ui/Button';
import { FieldError } from '../ui/Dialog';
import { TextField } from '../ui/TextField';
import { issuesByField, numberOrText, optional } from './fields';
import { Section } from './Section';

const PROTOCOL_TEXT: Record<string, string> = {
  kernel: 'connected',
  '203': 'the lab’s',
};

/**
 * Forwarding (`sysctl net.ipv4.ip_forward`) and static routes (`ip route add ... proto 203`): the
 * document's, editable; the kernel's, with the lab's told apart from connected and hand-made ones.
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
  const [draft, setDraft] = useState({ to: '', via: '', dev: '', metric: '' });
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const name = spec.name;

  const send = async (edit: EditInput): Promise<boolean> => {
    setBusy(true);
    const result = await submitEdits([edit]);
    setBusy(false);
    setError(result.ok ? null : result.message);
    return result.ok;
  };

  const addRoute = async () => {
    const route = {
      to: draft.to.trim(),
      via: optional(draft.via),
      dev: optional(draft.dev),
      metric: numberOrText(draft.metric),
    };
    const index = spec.routes.length;
    const edit = { type: 'setNamespace', name, routes: [...spec.routes, route] } as EditInput;
    const checked = applyEdits(useSession.getState().document, [edit]);
    if (!checked.ok) {
      const byField = issuesByField(checked.issues, `edits[0].routes[${index}]`);
      setFieldErrors(byField);
      setError(checked.issues.map((i) => `${i.path}: ${i.message}`).join('; '));
      return;
    }
    setFieldErrors({});
    if (await send(edit)) setDraft({ to: '', via: '', dev: '', metric: '' });
  };

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
              <li key={`${i}-${text}`} className="flex items-center gap-2 text-sm">
                <span className="min-w-0 flex-1 break-words font-mono text-slate-900">{text}</span>
                {inKernel === undefined ? null : inKernel ? (
                  <span className="text-xs text-emerald-700">✓ in kernel</span>
                ) : (
                  <span className="text-xs font-semibold text-amber-700">⚠ missing</span>
                )}
                {editable && (
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
                      })
                    }
                  >
                    ✕
                  </Button>
                )}
              </li>
            );
          })}
        </ul>
      )}

      {editable && (
        <form
          className="mt-2 grid grid-cols-2 gap-2"
          aria-label={`add a route in ${name}`}
          onSubmit={(e) => {
            e.preventDefault();
            void addRoute();
          }}
        >
          <RouteField
            label="To"
            aria="route destination"
            value={draft.to}
            placeholder="default or 10.2.0.0/24"
            error={fieldErrors.to}
            onChange={(to) => setDraft({ ...draft, to })}
          />
          <RouteField
            label="Via (gateway)"
            aria="route gateway"
            value={draft.via}
            placeholder="10.1.0.1"
            error={fieldErrors.via}
            onChange={(via) => setDraft({ ...draft, via })}
          />
          <RouteField
            label="Dev"
            aria="route device"
            value={draft.dev}
            placeholder="eth0"
            error={fieldErrors.dev}
            onChange={(dev) => setDraft({ ...draft, dev })}
          />
          <RouteField
            label="Metric"
            aria="route metric"
            value={draft.metric}
            placeholder="none"
            error={fieldErrors.metric}
            onChange={(metric) => setDraft({ ...draft, metric })}
          />
          <div className="col-span-2 flex justify-end">
            <Button type="submit" aria-label={`add route in ${name}`} disabled={busy}>
              Add route
            </Button>
          </div>
        </form>
      )}
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

function RouteField({
  label,
  aria,
  value,
  placeholder,
  error,
  onChange,
}: {
  label: string;
  aria: string;
  value: string;
  placeholder: string;
  error: string | undefined;
  onChange: (value: string) => void;
}) {
  return (
    <div>
      <TextField
        label={label}
        aria-label={aria}
        aria-invalid={error !== undefined}
        value={value}
        placeholder={placeholder}
        onChange={(e) => onChange(e.target.value)}
      />
      {error && <p className="mt-1 text-xs text-red-700">{error}</p>}
    </div>
  );
}
