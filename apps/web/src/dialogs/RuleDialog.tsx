import {
  BUILTIN_CHAINS,
  BUILTIN_TARGETS,
  FirewallRule,
  ROOT,
  TABLES,
  type NamespaceSpec,
  type Table,
} from '@netcanvas/model';
import { useState } from 'react';
import { ruleCommand } from '../adapters/netfilter';
import { Button } from '../ui/Button';
import { Dialog, FieldError } from '../ui/Dialog';
import { Options, SelectInput } from '../ui/fields';
import { RuleMatches } from './RuleMatches';
import { RuleTargetOptions } from './RuleTargetOptions';
import { draftOf, ruleOf, type DraftPart, type RuleDraft } from './rule-draft';
import { useRuleSave } from './use-rule-save';

type Spec = Pick<NamespaceSpec, 'name' | 'firewall'>;

/**
 * One firewall rule as a structured form (never a raw rule string: docs/security.md). Checked by the
 * model against the whole document before anything is sent (use-rule-save.ts): each refusal shows
 * the model's words at its field, and nothing leaves the page. A target's own options appear when
 * it is chosen.
 */
export function RuleDialog({
  spec,
  index,
  onClose,
}: {
  spec: Spec;
  /** The rule edited, or null for a new one (added at the end of its chain). */
  index: number | null;
  onClose: () => void;
}) {
  const [draft, setDraft] = useState<RuleDraft>(() =>
    draftOf(index === null ? undefined : spec.firewall.rules[index]),
  );
  const put = <K extends keyof RuleDraft>(key: K, value: RuleDraft[K]) =>
    setDraft((d) => ({ ...d, [key]: value }));
  const read = ruleOf(draft);
  const { errors, summary, busy, save } = useRuleSave({ spec, index, read, onClose });
  const part: DraftPart = { draft, errors, put };
  const userChains = spec.firewall.chains.filter((c) => c.table === draft.table).map((c) => c.name);

  return (
    <Dialog
      title={
        index === null
          ? `New firewall rule in ${spec.name}`
          : `Firewall ${ruleInChain(spec.firewall.rules, index)} in ${spec.name}`
      }
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
          <TableAndChain part={part} spec={spec} userChains={userChains} setDraft={setDraft} />
          <RuleMatches {...part} />
          <div className="grid grid-cols-3 gap-3">
            <TargetSelect part={part} userChains={userChains} />
            <RuleTargetOptions {...part} />
          </div>
        </div>
        <CommandPreview namespace={spec.name} read={read} />
        <FieldError message={summary?.message ?? errors[''] ?? null} detail={summary?.detail ?? null} />
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

/** The draft in another table: a chain the new table has is kept; otherwise its first. */
const inTable = (d: RuleDraft, table: Table, spec: Spec): RuleDraft => ({
  ...d,
  table,
  chain:
    BUILTIN_CHAINS[table].includes(d.chain) ||
    spec.firewall.chains.some((c) => c.table === table && c.name === d.chain)
      ? d.chain
      : (BUILTIN_CHAINS[table][0] ?? d.chain),
});

function TableAndChain({
  part: { draft, errors, put },
  spec,
  userChains,
  setDraft,
}: {
  part: DraftPart;
  spec: Spec;
  userChains: string[];
  setDraft: (change: (d: RuleDraft) => RuleDraft) => void;
}) {
  const chains = [...BUILTIN_CHAINS[draft.table], ...userChains];
  return (
    <div className="grid grid-cols-3 gap-3">
      <SelectInput
        label="Table"
        error={errors.table}
        value={draft.table}
        onChange={(v) => setDraft((d) => inTable(d, v as Table, spec))}
      >
        <Options values={TABLES} />
      </SelectInput>
      <SelectInput label="Chain" error={errors.chain} value={draft.chain} onChange={(v) => put('chain', v)}>
        {!chains.includes(draft.chain) && <option value={draft.chain}>{draft.chain}</option>}
        <Options values={chains} />
      </SelectInput>
      <div />
    </div>
  );
}

/** -j: a built-in target, or a jump to one of the table's user chains. */
function TargetSelect({
  part: { draft, errors, put },
  userChains,
}: {
  part: DraftPart;
  userChains: string[];
}) {
  return (
    <SelectInput label="Target" error={errors.target} value={draft.target} onChange={(v) => put('target', v)}>
      <optgroup label="targets">
        <Options values={BUILTIN_TARGETS} />
      </optgroup>
      {userChains.length > 0 && (
        <optgroup label="jump to a user chain">
          <Options values={userChains} />
        </optgroup>
      )}
    </SelectInput>
  );
}

/** The command the form stands for; a field the form could not read leaves it out, so none is shown. */
function CommandPreview({ namespace, read }: { namespace: string; read: ReturnType<typeof ruleOf> }) {
  const preview = FirewallRule.safeParse(read.rule);
  const readable = Object.keys(read.unread).length === 0;
  return (
    <p
      className="break-words rounded-md bg-slate-900 px-3 py-2 font-mono text-xs leading-5 text-slate-100"
      aria-label="command"
    >
      {readable && preview.success
        ? `${namespace === ROOT ? '' : `ip netns exec ${namespace} `}${ruleCommand(preview.data)}`
        : 'the command appears here once the rule reads well'}
    </p>
  );
}

/** "rule 2 of nat POSTROUTING": its number within its chain, as the inspector lists it. */
function ruleInChain(rules: readonly FirewallRule[], index: number): string {
  const rule = rules[index];
  if (!rule) return `rule ${index + 1}`;
  const before = rules.slice(0, index).filter((r) => r.table === rule.table && r.chain === rule.chain).length;
  return `rule ${before + 1} of ${rule.table} ${rule.chain}`;
}
