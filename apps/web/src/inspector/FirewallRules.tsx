import { HOOKS, type FirewallSpec } from '@netcanvas/model';
import { HOOK_TABLES, matchRules, ruleCommand } from '../adapters/netfilter';
import { CounterText } from '../netfilter/CounterText';
import { IconButton } from './IconButton';
import { ABSENT_TEXT, useKernelPresence } from './presence';

/** What the firewall's lists need of their section: the firewall, and how to send a new one. */
export interface FirewallEditing {
  name: string;
  fw: FirewallSpec;
  editable: boolean;
  busy: boolean;
  send: (firewall: FirewallSpec) => Promise<boolean>;
}

/** Chains in the order a packet meets them, then user chains: how the rules are grouped. */
function chainOrder(fw: FirewallSpec): string[] {
  const keys: string[] = [];
  for (const hook of HOOKS) for (const table of HOOK_TABLES[hook]) keys.push(`${table} ${hook}`);
  for (const c of fw.chains) keys.push(`${c.table} ${c.name}`);
  return keys;
}

/** Rules grouped by chain, in chainOrder; each keeps its index in the document's list. */
function groupsByChain(fw: FirewallSpec): [string, number[]][] {
  const order = chainOrder(fw);
  const groups = new Map<string, number[]>();
  fw.rules.forEach((r, i) => {
    const k = `${r.table} ${r.chain}`;
    groups.set(k, [...(groups.get(k) ?? []), i]);
  });
  const rank = (key: string) => {
    const i = order.indexOf(key);
    return i < 0 ? order.length : i;
  };
  return [...groups.entries()].sort(([a], [b]) => rank(a) - rank(b));
}

/** Where the rule stands in the kernel: its counters, "not in the kernel", or not read yet. */
function RuleState(props: { name: string; table: string; chain: string; index: number | null | undefined }) {
  const { index } = props;
  const presence = useKernelPresence(props.name);
  if (presence === 'absent')
    return <span className="text-xs font-semibold text-amber-700">⚠ not in the kernel ({ABSENT_TEXT})</span>;
  if (index === undefined) return <span className="text-xs text-slate-500">kernel not read yet</span>;
  if (index === null)
    return <span className="text-xs font-semibold text-amber-700">⚠ not in the kernel</span>;
  return <CounterText namespace={props.name} table={props.table} chain={props.chain} index={index} />;
}

/**
 * "rule 2 of nat POSTROUTING": numbered within its chain as shown (and as `iptables -L
 * --line-numbers`, the picture of netfilter and the packet path number it), not by its place in
 * the document, which the chains' grouping reorders.
 */
const ruleName = (at: number, table: string, chain: string) => `rule ${at + 1} of ${table} ${chain}`;

/** A rule's buttons: move within its chain, edit, remove. */
function RuleButtons({
  at,
  i,
  group,
  edit,
  onEdit,
  table,
  chain,
}: RuleProps & { edit: FirewallEditing; table: string; chain: string }) {
  const { name, fw, busy, send } = edit;
  const rule = ruleName(at, table, chain);
  const move = (by: -1 | 1) => {
    const a = group[at];
    const b = group[at + by];
    if (a === undefined || b === undefined) return;
    const rules = [...fw.rules];
    [rules[a], rules[b]] = [rules[b]!, rules[a]!];
    void send({ ...fw, rules });
  };
  return (
    <span className="ml-auto flex gap-0.5">
      <IconButton label={`move ${rule} up in ${name}`} disabled={busy || at === 0} onClick={() => move(-1)}>
        ↑
      </IconButton>
      <IconButton
        label={`move ${rule} down in ${name}`}
        disabled={busy || at === group.length - 1}
        onClick={() => move(1)}
      >
        ↓
      </IconButton>
      <IconButton label={`edit ${rule} in ${name}`} disabled={busy} onClick={() => onEdit(i)}>
        ✎
      </IconButton>
      <IconButton
        label={`remove ${rule} in ${name}`}
        disabled={busy}
        onClick={() => void send({ ...fw, rules: fw.rules.filter((_, j) => j !== i) })}
      >
        ✕
      </IconButton>
    </span>
  );
}

interface RuleProps {
  /** Index in the document's rules. */
  i: number;
  /** Position within its chain's group. */
  at: number;
  group: number[];
  onEdit: (index: number) => void;
}

function RuleItem(
  props: RuleProps & { edit: FirewallEditing; table: string; chain: string; kernelIndex?: number | null },
) {
  const rule = props.edit.fw.rules[props.i]!;
  const command = ruleCommand(rule);
  return (
    <li
      aria-label={`${ruleName(props.at, props.table, props.chain)}: ${command}`}
      className={`rounded-md border px-2 py-1.5 ${props.kernelIndex === null ? 'border-amber-400 bg-amber-50' : 'border-slate-200'}`}
    >
      <p className="break-words font-mono text-xs leading-5 text-slate-900">
        <span className="mr-1.5 text-slate-500" aria-hidden>
          {props.at + 1}.
        </span>
        {command}
      </p>
      <div className="mt-1 flex flex-wrap items-center gap-1.5">
        <RuleState name={props.edit.name} table={props.table} chain={props.chain} index={props.kernelIndex} />
        {props.edit.editable && <RuleButtons {...props} />}
      </div>
    </li>
  );
}

/** The lab's rules by chain, each with its counters or drift, and (for an editor) its buttons. */
export function FirewallRules({
  edit,
  observed,
  onEdit,
}: {
  edit: FirewallEditing;
  observed: Parameters<typeof matchRules>[1];
  onEdit: (index: number) => void;
}) {
  const { fw, name } = edit;
  const matched = matchRules(fw.rules, observed);
  if (fw.rules.length === 0)
    return (
      <p className="text-sm text-slate-500">
        No rules of the lab’s: every packet meets the chains’ policies.
      </p>
    );
  return (
    <div className="space-y-2">
      {groupsByChain(fw).map(([key, group]) => {
        const [table, chain] = key.split(' ') as [string, string];
        return (
          <div key={key}>
            <h4 className="mb-1 font-mono text-xs font-semibold text-slate-500">
              {table} {chain}
            </h4>
            <ol aria-label={`rules of ${table} ${chain} in ${name}`} className="space-y-1">
              {group.map((i, at) => (
                <RuleItem
                  key={`${i}-${ruleCommand(fw.rules[i]!)}`}
                  {...{ i, at, group, onEdit, edit, table, chain }}
                  kernelIndex={matched?.[i]}
                />
              ))}
            </ol>
          </div>
        );
      })}
    </div>
  );
}
