import type { FirewallSpec } from './firewall';

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
  if (rulesChanged || chainsChanged || parts.length === 0) parts.push(rulesText(next.rules.length));
  return parts.join(', ');
}
