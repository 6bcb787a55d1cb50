import {
  BUILTIN_CHAINS,
  BUILTIN_TARGETS,
  FirewallRule,
  ROOT_NODE,
  TABLES,
  applyEdits,
  type EditInput,
  type FirewallRuleInput,
  type NamespaceSpec,
  type Table,
} from '@netcanvas/model';
import { useId, useState, type ReactNode } from 'react';
import { ruleCommand } from '../adapters/netfilter';
import { issuesByField, numberOrText, optional } from '../inspector/fields';
import { submitEdits } from '../protocol/edits';
import { useSession } from '../store/session';
import { Button } from '../ui/Button';
import { Dialog, FieldError } from '../ui/Dialog';

const STATES = ['NEW', 'ESTABLISHED', 'RELATED', 'INVALID'] as const;

/** The form's text, one string per field (what a person typed, before the model reads it). */
interface Draft {
  table: Table;
  chain: string;
  protocol: string;
  source: string;
  destination: string;
  inInterface: string;
  outInterface: string;
  sourcePort: string;
  destinationPort: string;
  state: string[];
  target: string;
  toSource: string;
  toDestination: string;
  toPort: string;
  setMark: string;
  logPrefix: string;
}

const text = (v: string | number | undefined) => (v === undefined ? '' : String(v));

function draftOf(rule: FirewallRule | undefined): Draft {
  return {
    table: rule?.table ?? 'filter',
    chain: rule?.chain ?? 'INPUT',
    protocol: rule?.protocol ?? '',
    source: text(rule?.source),
    destination: text(rule?.destination),
    inInterface: text(rule?.inInterface),
    outInterface: text(rule?.outInterface),
    sourcePort: text(rule?.sourcePort),
    destinationPort: text(rule?.destinationPort),
    state: rule?.state ? [...rule.state] : [],
    target: rule?.target ?? 'ACCEPT',
    toSource: text(rule?.toSource),
    toDestination: text(rule?.toDestination),
    toPort: text(rule?.toPort),
    setMark: text(rule?.setMark),
    logPrefix: text(rule?.logPrefix),
  };
}

/** The rule as the model reads it; options of other targets are left out, blank fields are absent. */
function ruleOf(d: Draft): FirewallRuleInput {
  const rule: Record<string, unknown> = { table: d.table, chain: d.chain, target: d.target };
  const set = (key: string, value: unknown) => {
    if (value !== undefined) rule[key] = value;
  };
  set('protocol', optional(d.protocol));
  set('source', optional(d.source));
  set('destination', optional(d.destination));
  set('inInterface', optional(d.inInterface));
  set('outInterface', optional(d.outInterface));
  set('sourcePort', numberOrText(d.sourcePort));
  set('destinationPort', numberOrText(d.destinationPort));
  if (d.state.length > 0) rule.state = STATES.filter((s) => d.state.includes(s));
  if (d.target === 'SNAT') set('toSource', optional(d.toSource));
  if (d.target === 'DNAT') {
    set('toDestination', optional(d.toDestination));
    set('toPort', numberOrText(d.toPort));
  }
  if (d.target === 'MARK') set('setMark', numberOrText(d.setMark));
  if (d.target === 'LOG') set('logPrefix', optional(d.logPrefix));
  return rule as FirewallRuleInput;
}

/**
 * One firewall rule as a structured form (SECURITY.md: never a raw rule string). Checked by the
 * model against the whole document before anything is sent: each refusal shows the model's words
 * at its field, and nothing leaves the page.
 */
export function RuleDialog({
  spec,
  index,
  onClose,
}: {
  spec: Pick<NamespaceSpec, 'name' | 'firewall'>;
  /** The rule edited, or null for a new one (added at the end of its chain). */
  index: number | null;
  onClose: () => void;
}) {
  const [draft, setDraft] = useState<Draft>(() =>
    draftOf(index === null ? undefined : spec.firewall.rules[index]),
  );
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [summary, setSummary] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const name = spec.name;
  const put = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));

  const userChains = spec.firewall.chains.filter((c) => c.table === draft.table).map((c) => c.name);
  const chains = [...BUILTIN_CHAINS[draft.table], ...userChains];
  const preview = FirewallRule.safeParse(ruleOf(draft));

  const save = async () => {
    const rule = ruleOf(draft);
    const rules: FirewallRuleInput[] = [...spec.firewall.rules];
    const at = index ?? rules.length;
    if (index === null) rules.push(rule);
    else rules[index] = rule;
    const edit = { type: 'setNamespace', name, firewall: { ...spec.firewall, rules } } as EditInput;
    const checked = applyEdits(useSession.getState().document, [edit]);
    if (!checked.ok) {
      setErrors(issuesByField(checked.issues, `edits[0].firewall.rules[${at}]`));
      setSummary(checked.issues.map((i) => `${i.path}: ${i.message}`).join('; '));
      return;
    }
    setErrors({});
    setSummary(null);
    setBusy(true);
    const result = await submitEdits([edit]);
    setBusy(false);
    if (result.ok) onClose();
    else setSummary(result.path ? `${result.path}: ${result.message}` : result.message);
  };

  const targetOptions = (
    <>
      <optgroup label="targets">
        {BUILTIN_TARGETS.map((t) => (
          <option key={t} value={t}>
            {t}
          </option>
        ))}
      </optgroup>
      {userChains.length > 0 && (
        <optgroup label="jump to a user chain">
          {userChains.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </optgroup>
      )}
    </>
  );

  return (
    <Dialog
      title={index === null ? `New firewall rule in ${name}` : `Firewall rule ${index + 1} in ${name}`}
      onClose={onClose}
      wide
    >
      <form
        aria-label="firewall rule"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
        className="space-y-3"
      >
        <div className="grid grid-cols-3 gap-3">
          <Field label="Table" error={errors.table}>
            {(id) => (
              <select
                id={id}
                value={draft.table}
                onChange={(e) => {
                  const table = e.target.value as Table;
                  setDraft((d) => ({
                    ...d,
                    table,
                    // A chain the new table has is kept; otherwise its first.
                    chain:
                      BUILTIN_CHAINS[table].includes(d.chain) ||
                      spec.firewall.chains.some((c) => c.table === table && c.name === d.chain)
                        ? d.chain
                        : (BUILTIN_CHAINS[table][0] ?? d.chain),
                  }));
                }}
                className={SELECT}
              >
                {TABLES.map((t) => (
                  <option key={t} value={t}>
                    {t}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Chain" error={errors.chain}>
            {(id) => (
              <select
                id={id}
                value={draft.chain}
                onChange={(e) => put('chain', e.target.value)}
                className={SELECT}
              >
                {!chains.includes(draft.chain) && <option value={draft.chain}>{draft.chain}</option>}
                {chains.map((c) => (
                  <option key={c} value={c}>
                    {c}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Protocol" error={errors.protocol}>
            {(id) => (
              <select
                id={id}
                value={draft.protocol}
                onChange={(e) => put('protocol', e.target.value)}
                className={SELECT}
              >
                <option value="">any</option>
                <option value="tcp">tcp</option>
                <option value="udp">udp</option>
                <option value="icmp">icmp</option>
              </select>
            )}
          </Field>
          <Input
            label="Source"
            hint="-s, a CIDR"
            error={errors.source}
            value={draft.source}
            placeholder="10.1.0.0/24"
            onChange={(v) => put('source', v)}
          />
          <Input
            label="Destination"
            hint="-d, a CIDR"
            error={errors.destination}
            value={draft.destination}
            placeholder="any"
            onChange={(v) => put('destination', v)}
          />
          <div />
          <Input
            label="In interface"
            hint="-i"
            error={errors.inInterface}
            value={draft.inInterface}
            placeholder="any"
            onChange={(v) => put('inInterface', v)}
          />
          <Input
            label="Out interface"
            hint="-o"
            error={errors.outInterface}
            value={draft.outInterface}
            placeholder="any"
            onChange={(v) => put('outInterface', v)}
          />
          <div />
          <Input
            label="Source port"
            hint="--sport, 80 or 8000:8080 (tcp/udp)"
            error={errors.sourcePort}
            value={draft.sourcePort}
            placeholder="any"
            onChange={(v) => put('sourcePort', v)}
          />
          <Input
            label="Destination port"
            hint="--dport (tcp/udp)"
            error={errors.destinationPort}
            value={draft.destinationPort}
            placeholder="any"
            onChange={(v) => put('destinationPort', v)}
          />
          <div />
        </div>
        <fieldset>
          <legend className="mb-1 text-sm font-medium text-slate-700">Connection state (--ctstate)</legend>
          <div className="flex flex-wrap gap-4">
            {STATES.map((s) => (
              <label key={s} className="flex items-center gap-1.5 text-sm text-slate-800">
                <input
                  type="checkbox"
                  aria-label={`state ${s}`}
                  checked={draft.state.includes(s)}
                  onChange={(e) =>
                    put('state', e.target.checked ? [...draft.state, s] : draft.state.filter((x) => x !== s))
                  }
                  className="size-4"
                />
                <span className="font-mono">{s}</span>
              </label>
            ))}
          </div>
          {errors.state && <p className="mt-1 text-xs text-red-700">{errors.state}</p>}
        </fieldset>
        <div className="grid grid-cols-3 gap-3">
          <Field label="Target" error={errors.target}>
            {(id) => (
              <select
                id={id}
                value={draft.target}
                onChange={(e) => put('target', e.target.value)}
                className={SELECT}
              >
                {targetOptions}
              </select>
            )}
          </Field>
          {draft.target === 'SNAT' && (
            <Input
              label="To source"
              hint="--to-source"
              error={errors.toSource}
              value={draft.toSource}
              placeholder="10.2.0.1"
              onChange={(v) => put('toSource', v)}
            />
          )}
          {draft.target === 'DNAT' && (
            <>
              <Input
                label="To destination"
                hint="--to-destination"
                error={errors.toDestination}
                value={draft.toDestination}
                placeholder="10.1.0.11"
                onChange={(v) => put('toDestination', v)}
              />
              <Input
                label="To port"
                hint="tcp/udp only"
                error={errors.toPort}
                value={draft.toPort}
                placeholder="same"
                onChange={(v) => put('toPort', v)}
              />
            </>
          )}
          {draft.target === 'MARK' && (
            <Input
              label="Set mark"
              hint="--set-mark, a number"
              error={errors.setMark}
              value={draft.setMark}
              placeholder="1"
              onChange={(v) => put('setMark', v)}
            />
          )}
          {draft.target === 'LOG' && (
            <Input
              label="Log prefix"
              hint="--log-prefix, no spaces"
              error={errors.logPrefix}
              value={draft.logPrefix}
              placeholder="fw:"
              onChange={(v) => put('logPrefix', v)}
            />
          )}
        </div>
        <p
          className="rounded-md bg-slate-900 px-3 py-2 font-mono text-xs leading-5 text-slate-100"
          aria-label="command"
        >
          {preview.success
            ? `${name === ROOT_NODE ? '' : `ip netns exec ${name} `}${ruleCommand(preview.data)}`
            : 'the command appears here once the rule reads well'}
        </p>
        <FieldError message={summary ?? errors[''] ?? null} />
        <div className="flex justify-end gap-2 pt-1">
          <Button onClick={onClose}>Cancel</Button>
          <Button tone="primary" type="submit" disabled={busy} aria-label="save rule">
            {index === null ? 'Add rule' : 'Save rule'}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

const SELECT =
  'block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 font-mono text-sm text-slate-900 focus:border-sky-600 focus:outline-none focus:ring-2 focus:ring-sky-600/30';

/** A labelled control with the model's message under it. */
function Field({
  label,
  error,
  children,
}: {
  label: string;
  error: string | undefined;
  children: (id: string) => ReactNode;
}) {
  const id = useId();
  return (
    <div className="text-sm">
      <label htmlFor={id} className="mb-1 block font-medium text-slate-700">
        {label}
      </label>
      {children(id)}
      {error && (
        <p className="mt-1 text-xs text-red-700" data-field-error={label}>
          {error}
        </p>
      )}
    </div>
  );
}

function Input({
  label,
  hint,
  error,
  value,
  placeholder,
  onChange,
}: {
  label: string;
  hint: string;
  error: string | undefined;
  value: string;
  placeholder: string;
  onChange: (value: string) => void;
}) {
  return (
    <Field label={label} error={error}>
      {(id) => (
        <>
          <input
            id={id}
            value={value}
            placeholder={placeholder}
            aria-invalid={error !== undefined}
            onChange={(e) => onChange(e.target.value)}
            className={`block w-full rounded-md border px-2.5 py-1.5 font-mono text-sm text-slate-900 focus:outline-none focus:ring-2 focus:ring-sky-600/30 ${error ? 'border-red-500' : 'border-slate-300 focus:border-sky-600'}`}
          />
          <span className="mt-0.5 block text-xs text-slate-500">{hint}</span>
        </>
      )}
    </Field>
  );
}
