import type { ObservedFirewall } from '@netcanvas/model';
import { ABSENT_TEXT, type KernelPresence } from './presence';

/**
 * A built-in chain's policy in the kernel, and how to say it. A table that iptables-save does not
 * list is not loaded in that namespace: nothing filters there, as if its policies were ACCEPT.
 */
export function kernelPolicy(
  presence: KernelPresence,
  observed: ObservedFirewall | undefined,
  table: string,
  chain: string,
): { policy?: string; text: string } {
  if (presence === 'absent') return { text: ABSENT_TEXT };
  if (observed === undefined) return { text: 'not read yet' };
  const found = observed.chains.find((c) => c.table === table && c.name === chain);
  if (found) return found.policy ? { policy: found.policy, text: found.policy } : { text: '—' };
  if (observed.chains.some((c) => c.table === table)) return { text: '—' };
  return { policy: 'ACCEPT', text: 'ACCEPT (table not loaded)' };
}
