import { ROUTE_TYPES, type RouteSpec } from '@netcanvas/model';
import { Button } from '../ui/Button';
import { Options, SelectInput } from '../ui/fields';
import { TextField } from '../ui/TextField';
import { numberOrText, optional } from './fields';

/** A route as its form holds it: the five fields' text (`type` "" for unicast). */
export interface RouteDraft {
  type: string;
  to: string;
  via: string;
  dev: string;
  metric: string;
}

export const EMPTY_ROUTE: RouteDraft = { type: '', to: '', via: '', dev: '', metric: '' };

/** The form filled in with a route of the document, to change it. */
export const draftOf = (route: RouteSpec): RouteDraft => ({
  type: route.type ?? '',
  to: route.to,
  via: route.via ?? '',
  dev: route.dev ?? '',
  metric: route.metric === undefined ? '' : String(route.metric),
});

/**
 * The form's text as the route the edit carries; the model refuses what is wrong, by field. A
 * typed route leaves out the gateway and device the form hides for it (kept in the draft, should
 * the user choose unicast again).
 */
export const routeOf = (draft: RouteDraft) =>
  draft.type === ''
    ? {
        to: draft.to.trim(),
        via: optional(draft.via),
        dev: optional(draft.dev),
        metric: numberOrText(draft.metric),
      }
    : { type: draft.type, to: draft.to.trim(), metric: numberOrText(draft.metric) };

/** What each choice of the type does, under the select. */
const TYPE_HINT: Record<string, string> = {
  '': 'through a gateway or a device',
  blackhole: 'drops the packets, silently',
  unreachable: 'drops them, answers ICMP host unreachable',
  prohibit: 'drops them, answers ICMP administratively prohibited',
};

/**
 * The form for one route: empty, to add one; or filled in with a route of the document, to change
 * it in place (`changing`: the route's words, for the names screen readers hear).
 */
export function RouteForm({
  namespace,
  draft,
  errors,
  busy,
  changing,
  onChange,
  onSubmit,
  onCancel,
}: {
  namespace: string;
  draft: RouteDraft;
  errors: Record<string, string>;
  busy: boolean;
  changing: string | null;
  onChange: (draft: RouteDraft) => void;
  onSubmit: () => void;
  onCancel: () => void;
}) {
  const field = (key: keyof RouteDraft, label: string, aria: string, placeholder: string) => (
    <div>
      <TextField
        label={label}
        aria-label={aria}
        aria-invalid={errors[key] !== undefined}
        value={draft[key]}
        placeholder={placeholder}
        onChange={(e) => onChange({ ...draft, [key]: e.target.value })}
      />
      {errors[key] && <p className="mt-1 text-xs text-red-700">{errors[key]}</p>}
    </div>
  );
  return (
    <form
      className={`mt-2 grid grid-cols-2 gap-2 ${changing ? 'rounded-md bg-sky-50 p-2 ring-1 ring-sky-200' : ''}`}
      aria-label={changing ? `change route ${changing} in ${namespace}` : `add a route in ${namespace}`}
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      <SelectInput
        label="Type"
        aria-label="route type"
        hint={TYPE_HINT[draft.type]}
        error={errors.type}
        value={draft.type}
        onChange={(type) => onChange({ ...draft, type })}
      >
        <option value="">unicast</option>
        <Options values={ROUTE_TYPES} />
      </SelectInput>
      {field('to', 'To', 'route destination', 'default, ::/0 or 10.2.0.0/24')}
      {/* A blackhole, unreachable or prohibit route sends nowhere: no gateway, no device. */}
      {draft.type === '' && field('via', 'Via (gateway)', 'route gateway', '10.1.0.1')}
      {draft.type === '' && field('dev', 'Dev', 'route device', 'eth0')}
      {field('metric', 'Metric', 'route metric', 'none')}
      <div className="col-span-2 flex justify-end gap-2">
        {changing ? (
          <>
            <Button tone="ghost" aria-label={`cancel the change of route ${changing}`} onClick={onCancel}>
              Cancel
            </Button>
            <Button type="submit" tone="primary" aria-label={`save route in ${namespace}`} disabled={busy}>
              Save route
            </Button>
          </>
        ) : (
          <Button type="submit" aria-label={`add route in ${namespace}`} disabled={busy}>
            Add route
          </Button>
        )}
      </div>
    </form>
  );
}
