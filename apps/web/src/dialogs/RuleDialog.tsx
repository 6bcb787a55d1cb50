import {
  BUILTIN_CHAINS,
  BUILTIN_TARGETS,
  FirewallRule,
  ROOT,
  TABLES,
  applyEdits,
  type EditInput,
  type FirewallRuleInput,
  type NamespaceSpec,
  type Table,
} from '@netcanvas/model';
import { useState } from 'react';
import { ruleCommand } from '../adapters/netfilter';
import { issuesByField } from '../inspector/fields';
import { submitEdits } from '../protocol/edits';
import { useSession } from '../store/session';
import { Button } from '../ui/Button';
import { Dialog, FieldError } from '../ui/Dialog';
import { SelectInput } from '../ui/fields';
import { RuleMatches } from './RuleMatches';
import { RuleTargetOptions } from './RuleTargetOptions';
import { draftOf, ruleOf, type RuleDraft } from './rule-draft';

/**
 * One firewall rule as a structured form (never a raw rule string: docs/security.md). Checked by the
 * model against the whole document before anything is sent: each refusal shows the model's words
 * at its field, and nothing leaves the page. A target's own options appear when it is chosen.
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
  const [draft, setDraft] = useState<RuleDraft>(() =>
    draftOf(index === null ? undefined : spec.firewall.rules[index]),
  );
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [summary, setSummary] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const name = spec.name;
  const put = <K extends keyof RuleDraft>(key: K, value: RuleDraft[K]) =>
    setDraft((d) => ({ ...d, [key]: value }));

  const userChains = spec.firewall.chains.filter((c) => c.table === draft.table).map((c) => c.name);
  const chains = [...BUILTIN_CHAINS[draft.table], ...userChains];
  const read = ruleOf(draft);
  // A field the form could not read is left out of the rule: no command is shown for it.
  const readable = Object.keys(read.unread).length === 0;
  const preview = FirewallRule.safeParse(read.rule);

  const save = async () => {
    if (!readable) {
      setErrors(read.unread);
      setSummary(
        Object.entries(read.unread)
          .map(([field, message]) => `${field}: ${message}`)
          .join('; '),
      );
      return;
    }
    const rules: FirewallRuleInput[] = [...spec.firewall.rules];
    const at = index ?? rules.length;
    if (index === null) rules.push(read.rule);
    else rules[index] = read.rule;
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

  const changeTable = (table: Table) =>
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
        className="flex max-h-[80vh] flex-col gap-3"
      >
        {/* The fields scroll; the command they stand for and the buttons stay in sight. */}
        <div className="min-h-0 space-y-3 overflow-y-auto pr-1">
          <div className="grid grid-cols-3 gap-3">
            <SelectInput
              label="Table"
              error={errors.table}
              value={draft.table}
              onChange={(v) => changeTable(v as Table)}
            >
              {TABLES.map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </SelectInput>
            <SelectInput
              label="Chain"
              error={errors.chain}
              value={draft.chain}
              onChange={(v) => put('chain', v)}
            >
              {!chains.includes(draft.chain) && <option value={draft.chain}>{draft.chain}</option>}
              {chains.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </SelectInput>
            <div />
          </div>
          <RuleMatches draft={draft} errors={errors} put={put} />
          <div className="grid grid-cols-3 gap-3">
            <SelectInput
              label="Target"
              error={errors.target}
              value={draft.target}
              onChange={(v) => put('target', v)}
            >
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
            </SelectInput>
            <RuleTargetOptions draft={draft} errors={errors} put={put} />
          </div>
        </div>
        <p
          className="break-words rounded-md bg-slate-900 px-3 py-2 font-mono text-xs leading-5 text-slate-100"
          aria-label="command"
        >
          {readable && preview.success
            ? `${name === ROOT ? '' : `ip netns exec ${name} `}${ruleCommand(preview.data)}`
            : 'the command appears here once the rule reads well'}
        </p>
        <FieldError message={summary ?? errors[''] ?? null} />
        <div className="flex justify-end gap-2">
          <Button onClick={onClose}>Cancel</Button>
          <Button tone="primary" type="submit" disabled={busy} aria-label="save rule">
            {index === null ? 'Add rule' : 'Save rule'}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
