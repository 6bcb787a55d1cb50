import {
  ruleArgs,
  type FirewallSpec,
  type ObservedFirewall,
  type ObservedNamespace,
  type NamespaceSpec,
  type PlanConflict,
  type Step,
} from '@netcanvas/model';
import * as cmd from './commands';
import { planRoutes } from './plan-routes';
import type { PlanOptions } from './plan';

/**
 * The routing and firewall part of a plan, for one namespace the lab owns. Forwarding and
 * iptables run in the lab's root batch (`ip netns exec NS ...`); routes run in the namespace's
 * own batch, after its interfaces are addressed and up (a gateway must be reachable).
 * Only the lab's routes (proto 203) and rules (comment "netcanvas") are ever removed. `at` is the
 * namespace's path in the document, for conflicts.
 */
export function planNetfilter(
  ns: NamespaceSpec,
  seen: ObservedNamespace | undefined,
  at = `namespace "${ns.name}"`,
  options: PlanOptions = {},
): { root: Step[]; inNamespace: Step[]; conflicts: PlanConflict[] } {
  const root: Step[] = [];
  const inNamespace: Step[] = [];

  // A new namespace forwards nothing; an observed one says.
  const forwarding = seen?.forwarding ?? false;
  if (forwarding !== ns.forwarding) root.push(cmd.setForwarding(ns.name, ns.forwarding));

  const routes = planRoutes(ns.name, ns.routes, seen?.routes, `${at}.routes`, options);
  inNamespace.push(...routes.steps);

  // Without a reading of the firewall (not read yet), plan nothing for it rather than guess.
  root.push(...planFirewall(ns.name, ns.firewall, seen === undefined ? NOTHING_YET : seen.firewall));
  return { root, inNamespace, conflicts: routes.conflicts };
}

/** A namespace the lab is about to make has no rules yet. */
const NOTHING_YET: ObservedFirewall = { chains: [], rules: [] };

/**
 * The firewall part of a plan for one context: a namespace (its commands run in the lab's root
 * batch as `ip netns exec NS iptables ...`) or the lab's root itself (`iptables ...`). Nothing
 * when the kernel's firewall was not read (`have` undefined).
 */
export function planFirewall(
  context: string,
  spec: FirewallSpec,
  firewall: ObservedFirewall | undefined,
): Step[] {
  const steps: Step[] = [];
  if (!firewall) return steps;
  for (const chain of spec.chains)
    if (!firewall.chains.some((c) => c.table === chain.table && c.name === chain.name))
      steps.push(cmd.iptables(context, chain.table, ['-N', chain.name], 'chain missing'));
  // Per chain: the lab's rules, in order, exactly as wanted; otherwise they are replaced.
  const keys = new Set([
    ...spec.rules.map((r) => `${r.table} ${r.chain}`),
    ...firewall.rules.filter((r) => r.managed).map((r) => `${r.table} ${r.chain}`),
  ]);
  for (const key of keys) {
    const [table, chain] = key.split(' ') as [string, string];
    const want = spec.rules.filter((r) => r.table === table && r.chain === chain).map(ruleArgs);
    const have = firewall.rules
      .filter((r) => r.managed && r.table === table && r.chain === chain)
      .map((r) => r.args);
    if (JSON.stringify(want) === JSON.stringify(have)) continue;
    for (const args of have)
      steps.push(cmd.iptables(context, table, ['-D', chain, ...args], 'rules of this chain changed'));
    for (const args of want) steps.push(cmd.iptables(context, table, ['-A', chain, ...args], 'rule missing'));
  }
  // Each policy in its own table (raw, mangle or filter; a chain not read yet is ACCEPT, as new).
  for (const policy of spec.policies) {
    const current =
      firewall.chains.find((c) => c.table === policy.table && c.name === policy.chain)?.policy ?? 'ACCEPT';
    if (current !== policy.policy)
      steps.push(cmd.iptables(context, policy.table, ['-P', policy.chain, policy.policy], 'policy drift'));
  }
  return steps;
}
