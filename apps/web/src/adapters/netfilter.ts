import {
  withoutLabComment,
  routeByHandText,
  routeMatches,
  routeStanding,
  routeText,
  ruleArgs,
  ruleIndexes,
  shellQuote,
  type FirewallRule,
  type FirewallSpec,
  type HOOKS,
  type NamespaceSpec,
  type ObservedFirewall,
  type ObservedNamespace,
  type Table,
} from '@netcanvas/model';
import { plural } from '../lib/plural';

/**
 * Routing and netfilter, desired against observed, for one namespace: pure helpers for the card,
 * the inspector and the picture of netfilter.
 */

export type Hook = (typeof HOOKS)[number];

/**
 * The tables on each hook in the order the kernel runs them (their priorities: raw −300,
 * mangle −150, nat's DNAT −100, filter 0, nat's SNAT +100; so on INPUT nat comes after filter).
 */
export const HOOK_TABLES: Record<Hook, Table[]> = {
  PREROUTING: ['raw', 'mangle', 'nat'],
  INPUT: ['mangle', 'filter', 'nat'],
  FORWARD: ['mangle', 'filter'],
  OUTPUT: ['raw', 'mangle', 'nat', 'filter'],
  POSTROUTING: ['mangle', 'nat'],
};

/** A rule's arguments as a person reads them: without the lab's `-m comment --comment netcanvas`. */
export function ruleText(args: readonly string[]): string {
  return shellQuote(withoutLabComment(args));
}

/** `iptables -t nat -A POSTROUTING -s 10.1.0.0/24 -o eth1 -j MASQUERADE`: what a student would type. */
export function ruleCommand(rule: FirewallRule): string {
  const table = rule.table === 'filter' ? '' : `-t ${rule.table} `;
  return `iptables ${table}-A ${rule.chain} ${ruleText(ruleArgs(rule))}`;
}

// The route's words and "the planner's notion of this observed route is that desired one" are
// the model's (routing.ts), where the planner finds them too.
export { routeMatches, routeText } from '@netcanvas/model';

/**
 * For each of the document's rules, the index of the kernel's rule it is (among its chain's rules,
 * the counters' index), or null when the kernel does not have it; undefined when the firewall was
 * not read yet.
 */
export function matchRules(
  rules: readonly FirewallRule[],
  fw: ObservedFirewall | undefined,
): (number | null)[] | undefined {
  if (!fw) return undefined;
  const byChain = new Map<string, { index: number; args: string; managed: boolean }[]>();
  const indexes = ruleIndexes(fw.rules);
  fw.rules.forEach((r, n) => {
    const k = `${r.table} ${r.chain}`;
    const list = byChain.get(k) ?? [];
    list.push({ index: indexes[n] as number, args: JSON.stringify(r.args), managed: r.managed });
    byChain.set(k, list);
  });
  const used = new Set<string>();
  return rules.map((rule) => {
    const k = `${rule.table} ${rule.chain}`;
    const want = JSON.stringify(ruleArgs(rule));
    const hit = (byChain.get(k) ?? []).find(
      (o) => o.managed && o.args === want && !used.has(`${k} ${o.index}`),
    );
    if (!hit) return null;
    used.add(`${k} ${hit.index}`);
    return hit.index;
  });
}

/** How the kernel's forwarding, routes and firewall differ from the document, one reason each. */
export function netfilterDrift(spec: NamespaceSpec, o: ObservedNamespace | undefined): string[] {
  if (!o) return [];
  const drift: string[] = [];
  if (o.forwarding !== undefined && o.forwarding !== spec.forwarding)
    drift.push(`forwarding ${o.forwarding ? 'on' : 'off'}, desired ${spec.forwarding ? 'on' : 'off'}`);
  if (o.routes) {
    for (const want of spec.routes) {
      // At its key made by hand is one difference, said as such, not a route missing.
      const standing = routeStanding(want, o.routes);
      if (standing.kind === 'missing') drift.push(`route ${routeText(want)} missing`);
      else if (standing.kind !== 'held') drift.push(routeByHandText(want, standing));
    }
    for (const have of o.routes)
      if (have.managed && !spec.routes.some((want) => routeMatches(want, have)))
        drift.push(`the lab’s route ${routeText(have)} is not in the topology`);
  }
  drift.push(...firewallDrift(spec.firewall, o.firewall));
  return drift;
}

/** How the kernel's firewall differs from the document's (a namespace's, or the lab's root's). */
export function firewallDrift(want: FirewallSpec, fw: ObservedFirewall | undefined): string[] {
  const drift: string[] = [];
  const matched = matchRules(want.rules, fw);
  if (fw && matched) {
    const missing = matched.filter((m) => m === null).length;
    if (missing > 0) drift.push(`${plural(missing, 'firewall rule')} missing`);
    const extra = fw.rules.filter((r) => r.managed).length - (matched.length - missing);
    if (extra > 0) drift.push(`${extra} of the lab’s rules not in the topology`);
    for (const c of want.chains)
      if (!fw.chains.some((h) => h.table === c.table && h.name === c.name))
        drift.push(`chain ${c.table} ${c.name} missing`);
    for (const p of want.policies) {
      const have = fw.chains.find((c) => c.table === p.table && c.name === p.chain)?.policy ?? 'ACCEPT';
      const chain = p.table === 'filter' ? p.chain : `${p.table} ${p.chain}`;
      if (have !== p.policy) drift.push(`policy of ${chain} ${have}, desired ${p.policy}`);
    }
  }
  return drift;
}
