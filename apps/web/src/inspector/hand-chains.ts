import type { ObservedFirewall } from '@netcanvas/model';

/**
 * User chains made by hand that hold no rule (`iptables -N LOG_DROP`, before its first `-A`): the
 * kernel has them, the document does not declare them. A chain with rules is listed with its
 * rules already; one without would otherwise show nowhere, though "adopt chain" declares it and a
 * reset of the lab leaves it (it is not the lab's).
 */
export function emptyHandChains(
  observed: ObservedFirewall | undefined,
  declared: readonly { table: string; name: string }[],
): { table: string; name: string }[] {
  if (!observed) return [];
  const isDeclared = (table: string, name: string) =>
    declared.some((c) => c.table === table && c.name === name);
  const hasRules = (table: string, name: string) =>
    observed.rules.some((r) => r.table === table && r.chain === name);
  return observed.chains
    .filter((c) => c.policy === null && !isDeclared(c.table, c.name) && !hasRules(c.table, c.name))
    .map((c) => ({ table: c.table, name: c.name }));
}
