import type { FirewallRule, FirewallSpec } from './firewall';
import { ruleArgs, withoutLabComment } from './firewall-render';
import { shellQuote } from './steps';

const rulesText = (n: number) => `${n} ${n === 1 ? 'firewall rule' : 'firewall rules'}`;
const chainText = (p: { table: string; chain: string }) =>
  p.table === 'filter' ? p.chain : `${p.table} ${p.chain}`;

/**
 * What a firewall set whole changes, in a few words for the undo buttons and the log: the
 * policies that changed by name ("FORWARD policy DROP"), then the rules when they changed. Not
 * "1 firewall rule" for a policy change that touched no rule. Without the firewall before (no
 * document), the rules are counted, as before.
 */
export function describeFirewallChange(next: FirewallSpec, was: FirewallSpec | undefined): string {
  if (!was) return rulesText(next.rules.length);
  const policyOf = (fw: FirewallSpec, p: { table: string; chain: string }) =>
    fw.policies.find((q) => q.table === p.table && q.chain === p.chain)?.policy;
  const parts = [
    ...next.policies
      .filter((p) => policyOf(was, p) !== p.policy)
      .map((p) => `${chainText(p)} policy ${p.policy}`),
    // A policy no longer set is left as the kernel has it: the kernel's default is ACCEPT.
    ...was.policies
      .filter((p) => policyOf(next, p) === undefined)
      .map((p) => `${chainText(p)} policy no longer set`),
  ];
  const chainsChanged = JSON.stringify(next.chains) !== JSON.stringify(was.chains);
  const rulesChanged = JSON.stringify(next.rules) !== JSON.stringify(was.rules);
  if (rulesChanged) parts.push(describeRuleChange(was.rules, next.rules));
  else if (chainsChanged || parts.length === 0) parts.push(rulesText(next.rules.length));
  return parts.join(', ');
}

/** A rule as a person reads it: `nat POSTROUTING -o eth1 -j MASQUERADE` (without the lab's comment). */
function ruleWords(rule: FirewallRule): string {
  return `${chainText(rule)} ${shellQuote(withoutLabComment(ruleArgs(rule)))}`;
}

/**
 * Which rules came and went, by name when one did ("remove rule nat POSTROUTING -o eth1 -j
 * MASQUERADE"), else counted; the same rules in another order are a move.
 */
function describeRuleChange(was: readonly FirewallRule[], next: readonly FirewallRule[]): string {
  const left = new Map<string, number>();
  for (const rule of was) left.set(JSON.stringify(rule), (left.get(JSON.stringify(rule)) ?? 0) + 1);
  const added: FirewallRule[] = [];
  for (const rule of next) {
    const key = JSON.stringify(rule);
    const count = left.get(key) ?? 0;
    if (count > 0) left.set(key, count - 1);
    else added.push(rule);
  }
  const removed = was.filter((rule) => {
    const key = JSON.stringify(rule);
    const count = left.get(key) ?? 0;
    if (count > 0) left.set(key, count - 1);
    return count > 0;
  });
  if (added.length === 0 && removed.length === 0) return 'firewall rules reordered';
  if (added.length === 0 && removed.length === 1) return `remove rule ${ruleWords(removed[0]!)}`;
  if (added.length === 1 && removed.length === 0) return `add rule ${ruleWords(added[0]!)}`;
  if (added.length === 1 && removed.length === 1) return `change rule to ${ruleWords(added[0]!)}`;
  const counts = [
    added.length > 0 ? `add ${rulesText(added.length)}` : '',
    removed.length > 0 ? `remove ${rulesText(removed.length)}` : '',
  ];
  return counts.filter(Boolean).join(', ');
}
