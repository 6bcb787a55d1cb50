import {
  ROOT,
  rootFirewall,
  type ObservedState,
  type PlanConflict,
  type Step,
  type Topology,
} from '@netcanvas/model';
import { planFirewall } from './plan-netfilter';

/**
 * The lab's root's firewall (issue 9, gap 2): planned like a namespace's, run as plain `iptables`
 * in the root (a person in `netcanvas shell root` types the same). In a sandbox the root is the
 * lab's own. On the host it is the machine's: its rules are read and shown, and netcanvas changes
 * only rules carrying its comment there, never a policy; a policy the document wants that the
 * machine does not have is a conflict, and nothing is run while it stands. User chains are made
 * when missing (they change no packet's path until a rule jumps to them) and never deleted.
 */
export function planRootFirewall(
  desired: Topology,
  observed: ObservedState,
): { steps: Step[]; conflicts: PlanConflict[] } {
  const spec = rootFirewall(desired);
  const seen = observed.namespaces.find((ns) => ns.name === ROOT)?.firewall;
  if (observed.target.kind !== 'host') return { steps: planFirewall(ROOT, spec, seen), conflicts: [] };
  const conflicts: PlanConflict[] = [];
  spec.policies.forEach((policy, i) => {
    const current = seen?.chains.find((c) => c.table === policy.table && c.name === policy.chain)?.policy;
    if (seen !== undefined && (current ?? 'ACCEPT') !== policy.policy)
      conflicts.push({
        path: `root.firewall.policies[${i}]`,
        message: `the machine's ${policy.table === 'filter' ? '' : `${policy.table} `}${policy.chain} policy is ${current ?? 'ACCEPT'}: on the host netcanvas changes only its own rules, never a policy; set it by hand or leave it out of the document`,
      });
  });
  const steps = planFirewall(ROOT, { ...spec, policies: [] }, seen);
  return { steps, conflicts };
}
