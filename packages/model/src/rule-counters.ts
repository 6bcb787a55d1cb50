import type { ObservedFirewall, ObservedState } from './observed';
import type { RuleCounterTuple } from './protocol';

/**
 * Firewall counters on the wire (`ruleCounters`) and in a client: one key, one way to number rules.
 * A rule is known by its namespace, table, chain and its index among its chain's rules in the
 * kernel (managed or not, as `iptables -S` lists them); a chain's policy by the index -1.
 */

export const POLICY_INDEX = -1;

export const ruleCounterKey = (ns: string, table: string, chain: string, index: number): string =>
  `${ns}\u0000${table}\u0000${chain}\u0000${index}`;

/** The namespace a counter key belongs to. */
export const ruleCounterNamespace = (key: string): string => key.slice(0, key.indexOf('\u0000'));

/** Each rule's index among its chain's rules (the counters' index), in the rules' order. */
export function ruleIndexes(rules: readonly { table: string; chain: string }[]): number[] {
  const next = new Map<string, number>();
  return rules.map((r) => {
    const chain = `${r.table}\u0000${r.chain}`;
    const i = next.get(chain) ?? 0;
    next.set(chain, i + 1);
    return i;
  });
}

export interface FirewallCounter {
  table: string;
  chain: string;
  /** Among the chain's rules; POLICY_INDEX for the chain's policy. */
  index: number;
  packets: number;
  bytes: number;
  /** The rule's arguments, as one string; "policy" for a policy. */
  signature: string;
}

/** Every counter of a firewall: each chain's policy, then each rule. */
export function firewallCounters(fw: ObservedFirewall): FirewallCounter[] {
  const indexes = ruleIndexes(fw.rules);
  return [
    ...fw.chains.map((c) => ({
      table: c.table,
      chain: c.name,
      index: POLICY_INDEX,
      packets: c.packets,
      bytes: c.bytes,
      signature: 'policy',
    })),
    ...fw.rules.map((r, n) => ({
      table: r.table,
      chain: r.chain,
      index: indexes[n] as number,
      packets: r.packets,
      bytes: r.bytes,
      signature: r.args.join(' '),
    })),
  ];
}

function countersByKey(state: ObservedState | null): Map<string, RuleCounterTuple> {
  const out = new Map<string, RuleCounterTuple>();
  for (const ns of state?.namespaces ?? [])
    for (const c of ns.firewall ? firewallCounters(ns.firewall) : [])
      out.set(ruleCounterKey(ns.name, c.table, c.chain, c.index), [
        ns.name,
        c.table,
        c.chain,
        c.index,
        c.packets,
        c.bytes,
      ]);
  return out;
}

/**
 * Firewall counters that differ from the previous state's (a rule that saw packets "lights up");
 * one never counted before is sent once it is above zero.
 */
export function changedRuleCounters(previous: ObservedState | null, next: ObservedState): RuleCounterTuple[] {
  const before = countersByKey(previous);
  const out: RuleCounterTuple[] = [];
  for (const [key, tuple] of countersByKey(next)) {
    const was = before.get(key);
    if (was ? was[4] === tuple[4] && was[5] === tuple[5] : tuple[4] === 0) continue;
    out.push(tuple);
  }
  return out;
}
