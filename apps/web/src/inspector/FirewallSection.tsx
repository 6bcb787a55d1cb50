import {
  HOOKS,
  TABLES,
  applyEdits,
  type EditInput,
  type FirewallSpec,
  type NamespaceSpec,
  type ObservedNamespace,
  type Table,
} from '@netcanvas/model';
import { useState } from 'react';
import { HOOK_TABLES, matchRules, ruleCommand } from '../adapters/netfilter';
import { RuleDialog } from '../dialogs/RuleDialog';
import { CounterText } from '../netfilter/CounterText';
import { submitEdits } from '../protocol/edits';
import { useSession } from '../store/session';
import { uiActions } from '../store/ui';
import { Button } from '../ui/Button';
import { FieldError } from '../ui/Dialog';
import { HandRules } from './HandRules';
import { PolicyEditor } from './PolicyEditor';
import { Section } from './Section';

/** Chains in the order a packet meets them, then user chains: how the rules are grouped. */
function chainOrder(fw: FirewallSpec): string[] {
  const keys: string[] = [];
  for (const hook of HOOKS) for (const table of HOOK_TABLES[hook]) keys.push(`${table} ${hook}`);
  for (const c of fw.chains) keys.push(`${c.table} ${c.name}`);
  return keys;
}

/**
 * The namespace's firewall: its rules in order (add, edit, remove, move within their chain), the
 * filter table's policies and user chains; the kernel's rules made by hand, shown and never touched.
 */
export function FirewallSection({
  spec,
  observed,
  editable,
}: {
  /** A namespace's, or the lab's root's (`name` "root"): only the name and firewall are used. */
  spec: Pick<NamespaceSpec, 'name' | 'firewall'>;
  observed: ObservedNamespace | undefined;
  editable: boolean;
}) {
  const [editing, setEditing] = useState<number | 'new' | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [chainDraft, setChainDraft] = useState<{ table: Table; name: string }>({ table: 'filter', name: '' });
  const name = spec.name;
  const fw = spec.firewall;
  const matched = matchRules(fw.rules, observed?.firewall);

  const send = async (firewall: FirewallSpec): Promise<boolean> => {
    const edit = { type: 'setNamespace', name, firewall } as EditInput;
    const checked = applyEdits(useSession.getState().document, [edit]);
    if (!checked.ok) {
      setError(checked.issues.map((i) => `${i.path}: ${i.message}`).join('; '));
      return false;
    }
    setBusy(true);
    const result = await submitEdits([edit]);
    setBusy(false);
    setError(result.ok ? null : result.message);
    return result.ok;
  };

  // Rules grouped by chain; each keeps its index in the document's list.
  const order = chainOrder(fw);
  const groups = new Map<string, number[]>();
  fw.rules.forEach((r, i) => {
    const k = `${r.table} ${r.chain}`;
    groups.set(k, [...(groups.get(k) ?? []), i]);
  });
  const keys = [...groups.keys()].sort((a, b) => {
    const ia = order.indexOf(a);
    const ib = order.indexOf(b);
    return (ia < 0 ? order.length : ia) - (ib < 0 ? order.length : ib);
  });

  const move = (group: number[], at: number, by: -1 | 1) => {
    const a = group[at];
    const b = group[at + by];
    if (a === undefined || b === undefined) return;
    const rules = [...fw.rules];
    [rules[a], rules[b]] = [rules[b]!, rules[a]!];
    void send({ ...fw, rules });
  };

  return (
    <Section title="Firewall (iptables)">
      <div className="mb-2 flex flex-wrap gap-2">
        <Button
          aria-label={`show the picture of netfilter in ${name}`}
          onClick={() => uiActions.showNetfilter(name)}
        >
          Picture of netfilter
        </Button>
        {editable && (
          <Button
            tone="primary"
            aria-label={`add firewall rule in ${name}`}
            onClick={() => setEditing('new')}
          >
            Add rule
          </Button>
        )}
      </div>

      {fw.rules.length === 0 ? (
        <p className="text-sm text-slate-500">
          No rules of the lab’s: every packet meets the chains’ policies.
        </p>
      ) : (
        <div className="space-y-2">
          {keys.map((key) => {
            const group = groups.get(key) ?? [];
            const [table, chain] = key.split(' ') as [string, string];
            return (
              <div key={key}>
                <h4 className="mb-1 font-mono text-xs font-semibold text-slate-500">
                  {table} {chain}
                </h4>
                <ol aria-label={`rules of ${table} ${chain} in ${name}`} className="space-y-1">
                  {group.map((i, at) => {
                    const rule = fw.rules[i]!;
                    const index = matched?.[i];
                    return (
                      <li
                        key={`${i}-${ruleCommand(rule)}`}
                        aria-label={`rule ${i + 1}: ${ruleCommand(rule)}`}
                        className={`rounded-md border px-2 py-1.5 ${index === null ? 'border-amber-400 bg-amber-50' : 'border-slate-200'}`}
                      >
                        <p className="break-words font-mono text-xs leading-5 text-slate-900">
                          {ruleCommand(rule)}
                        </p>
                        <div className="mt-1 flex flex-wrap items-center gap-1.5">
                          {index === undefined ? (
                            <span className="text-xs text-slate-500">kernel not read yet</span>
                          ) : index === null ? (
                            <span className="text-xs font-semibold text-amber-700">⚠ not in the kernel</span>
                          ) : (
                            <CounterText namespace={name} table={table} chain={chain} index={index} />
                          )}
                          {editable && (
                            <span className="ml-auto flex gap-0.5">
                              <IconButton
                                label={`move rule ${i + 1} up in ${name}`}
                                disabled={busy || at === 0}
                                onClick={() => move(group, at, -1)}
                              >
                                ↑
                              </IconButton>
                              <IconButton
                                label={`move rule ${i + 1} down in ${name}`}
                                disabled={busy || at === group.length - 1}
                                onClick={() => move(group, at, 1)}
                              >
                                ↓
                              </IconButton>
                              <IconButton
                                label={`edit rule ${i + 1} in ${name}`}
                                disabled={busy}
                                onClick={() => setEditing(i)}
                              >
                                ✎
                              </IconButton>
                              <IconButton
                                label={`remove rule ${i + 1} in ${name}`}
                                disabled={busy}
                                onClick={() =>
                                  void send({ ...fw, rules: fw.rules.filter((_, j) => j !== i) })
                                }
                              >
                                ✕
                              </IconButton>
                            </span>
                          )}
                        </div>
                      </li>
                    );
                  })}
                </ol>
              </div>
            );
          })}
        </div>
      )}

      <HandRules name={name} observed={observed} editable={editable} />

      <h4 className="mb-1 mt-3 text-xs font-semibold text-slate-500">Policies of the built-in chains</h4>
      <PolicyEditor
        name={name}
        firewall={fw}
        observed={observed?.firewall}
        disabled={!editable || busy}
        onChange={(policies) => void send({ ...fw, policies })}
      />

      <h4 className="mb-1 mt-3 text-xs font-semibold text-slate-500">User chains</h4>
      {fw.chains.length === 0 ? (
        <p className="text-sm text-slate-500">None.</p>
      ) : (
        <ul aria-label={`user chains in ${name}`} className="space-y-1">
          {fw.chains.map((c) => (
            <li key={`${c.table} ${c.name}`} className="flex items-center gap-2 font-mono text-sm">
              <span className="text-slate-500">{c.table}</span>
              <span className="flex-1 text-slate-900">{c.name}</span>
              {editable && (
                <IconButton
                  label={`remove chain ${c.table} ${c.name} in ${name}`}
                  disabled={busy}
                  onClick={() => void send({ ...fw, chains: fw.chains.filter((x) => x !== c) })}
                >
                  ✕
                </IconButton>
              )}
            </li>
          ))}
        </ul>
      )}
      {editable && (
        <form
          className="mt-2 flex items-end gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            void send({
              ...fw,
              chains: [...fw.chains, { table: chainDraft.table, name: chainDraft.name.trim() }],
            }).then((ok) => ok && setChainDraft({ ...chainDraft, name: '' }));
          }}
        >
          <select
            aria-label="table of the new chain"
            value={chainDraft.table}
            onChange={(e) => setChainDraft({ ...chainDraft, table: e.target.value as Table })}
            className="rounded-md border border-slate-300 bg-white px-1.5 py-1.5 font-mono text-sm"
          >
            {TABLES.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
          <input
            aria-label="name of the new chain"
            value={chainDraft.name}
            placeholder="MYCHAIN"
            onChange={(e) => setChainDraft({ ...chainDraft, name: e.target.value })}
            className="min-w-0 flex-1 rounded-md border border-slate-300 px-2 py-1.5 font-mono text-sm"
          />
          <Button
            type="submit"
            aria-label={`add chain in ${name}`}
            disabled={busy || chainDraft.name.trim() === ''}
          >
            Add chain
          </Button>
        </form>
      )}
      <FieldError message={error} />
      {editing !== null && (
        <RuleDialog spec={spec} index={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />
      )}
    </Section>
  );
}

function IconButton({
  label,
  disabled,
  onClick,
  children,
}: {
  label: string;
  disabled: boolean;
  onClick: () => void;
  children: string;
}) {
  return (
    <Button
      tone="ghost"
      className="!px-1.5 !py-0.5"
      aria-label={label}
      title={label}
      disabled={disabled}
      onClick={onClick}
    >
      {children}
    </Button>
  );
}
