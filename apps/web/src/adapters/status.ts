import type { ObservedInterface } from '@netcanvas/model';

/**
 * Desired against observed, for one interface: the state a person sees (with a word, never colour
 * alone) and every way the kernel differs from the document, each as a reason.
 */
export type LinkState = 'up' | 'down' | 'nocarrier' | 'missing';

export interface Desired {
  up: boolean;
  addresses: readonly string[];
  mtu?: number | undefined;
  mac?: string | undefined;
}

export interface InterfaceStatus {
  state: LinkState;
  /** desired ≠ observed, one reason each; empty when they match. */
  drift: string[];
}

export const STATE_TEXT: Record<LinkState, string> = {
  up: 'up',
  down: 'down',
  nocarrier: 'no carrier',
  missing: 'missing',
};

/** Addresses the kernel adds by itself (IPv6 link-local, loopback's): never drift. */
export const isAutomaticAddress = (cidr: string): boolean =>
  /^fe80:/i.test(cidr) || cidr.startsWith('127.') || cidr === '::1/128';

export function observedState(o: ObservedInterface | undefined): LinkState {
  if (!o) return 'missing';
  if (!o.up) return 'down';
  // A veth whose peer is down is administratively up but carries nothing.
  if (o.operstate === 'DOWN' || o.operstate === 'LOWERLAYERDOWN') return 'nocarrier';
  return 'up';
}

export function interfaceStatus(desired: Desired, o: ObservedInterface | undefined): InterfaceStatus {
  const state = observedState(o);
  if (!o) return { state, drift: ['not in the kernel'] };
  const drift: string[] = [];
  if (desired.up && !o.up) drift.push('down, desired up');
  if (!desired.up && o.up) drift.push('up, desired down');
  const have = new Set(o.addresses);
  for (const a of desired.addresses) if (!have.has(a)) drift.push(`address ${a} missing`);
  const want = new Set(desired.addresses);
  for (const a of o.addresses)
    if (!want.has(a) && !isAutomaticAddress(a)) drift.push(`address ${a} not in the topology`);
  if (desired.mtu !== undefined && o.mtu !== desired.mtu) drift.push(`mtu ${o.mtu}, desired ${desired.mtu}`);
  if (desired.mac !== undefined && o.mac?.toLowerCase() !== desired.mac.toLowerCase())
    drift.push(`mac ${o.mac ?? 'none'}, desired ${desired.mac}`);
  if (!o.managed && o.kind !== 'loopback') drift.push('made outside netcanvas (not marked as the lab’s)');
  return { state, drift };
}
