import { givenAddresses, isKernelOwnAddress, type ObservedInterface } from '@netcanvas/model';

/**
 * Desired against observed, for one interface: the state a person sees (with a word, never colour
 * alone) and every way the kernel differs from the document, each as a difference (which the
 * inspector turns into a sentence and a repair: inspector/repair.ts) and a short reason (cards).
 */
export type LinkState = 'up' | 'down' | 'nocarrier' | 'missing';

export interface Desired {
  up: boolean;
  addresses: readonly string[];
  mtu?: number | undefined;
  mac?: string | undefined;
  /** The bridge it should be a port of (null: none); undefined: not checked. */
  master?: string | null | undefined;
  /** For a bridge: whether STP should be on; undefined: not checked. */
  stp?: boolean | undefined;
}

/** One way the kernel differs from the document, with both sides' values. */
export type Difference =
  | { kind: 'missing' }
  | { kind: 'up'; want: boolean }
  | { kind: 'addresses'; want: readonly string[]; have: readonly string[] }
  | { kind: 'mtu'; want: number; have: number }
  | { kind: 'mac'; want: string; have: string | null }
  | { kind: 'master'; want: string | null; have: string | null }
  | { kind: 'stp'; want: boolean; have: boolean }
  | { kind: 'unmanaged' };

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

export function observedState(o: ObservedInterface | undefined): LinkState {
  if (!o) return 'missing';
  if (!o.up) return 'down';
  // A veth whose peer is down is administratively up but carries nothing.
  if (o.operstate === 'DOWN' || o.operstate === 'LOWERLAYERDOWN') return 'nocarrier';
  return 'up';
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x) => b.includes(x));

/** Every way `o` differs from `desired`, in the order a person reads them. */
export function interfaceDifferences(desired: Desired, o: ObservedInterface | undefined): Difference[] {
  if (!o) return [{ kind: 'missing' }];
  const out: Difference[] = [];
  if (desired.up !== o.up) out.push({ kind: 'up', want: desired.up });
  // What a person or the document gave it: the kernel's own addresses are never drift.
  const have = givenAddresses(o);
  // The kernel's own addresses count only when the document names them (lo's 127.0.0.1).
  const want = desired.addresses.filter((a) => !isKernelOwnAddress(o, a) || !o.addresses.includes(a));
  if (!sameSet(want, have)) out.push({ kind: 'addresses', want, have });
  if (desired.mtu !== undefined && o.mtu !== desired.mtu)
    out.push({ kind: 'mtu', want: desired.mtu, have: o.mtu });
  if (desired.mac !== undefined && o.mac?.toLowerCase() !== desired.mac.toLowerCase())
    out.push({ kind: 'mac', want: desired.mac, have: o.mac });
  if (desired.master !== undefined && desired.master !== o.master)
    out.push({ kind: 'master', want: desired.master, have: o.master });
  if (desired.stp !== undefined && o.stp !== null && o.stp !== desired.stp)
    out.push({ kind: 'stp', want: desired.stp, have: o.stp });
  if (!o.managed && o.kind !== 'loopback') out.push({ kind: 'unmanaged' });
  return out;
}

const onOff = (on: boolean) => (on ? 'on' : 'off');

/** The short reasons a card, a row's tooltip and a link's label show. */
export function differenceReasons(d: Difference): string[] {
  switch (d.kind) {
    case 'missing':
      return ['not in the kernel'];
    case 'up':
      return [d.want ? 'down, desired up' : 'up, desired down'];
    case 'addresses':
      return [
        ...d.want.filter((a) => !d.have.includes(a)).map((a) => `address ${a} missing`),
        ...d.have.filter((a) => !d.want.includes(a)).map((a) => `address ${a} not in the topology`),
      ];
    case 'mtu':
      return [`mtu ${d.have}, desired ${d.want}`];
    case 'mac':
      return [`mac ${d.have ?? 'none'}, desired ${d.want}`];
    case 'master':
      return [
        d.want === null
          ? `a port of ${d.have ?? '?'}, desired on no bridge`
          : d.have === null
            ? `not a port of ${d.want}`
            : `a port of ${d.have}, desired on ${d.want}`,
      ];
    case 'stp':
      return [`stp ${onOff(d.have)}, desired ${onOff(d.want)}`];
    case 'unmanaged':
      return ['made outside netcanvas (not marked as the lab’s)'];
  }
}

export function interfaceStatus(desired: Desired, o: ObservedInterface | undefined): InterfaceStatus {
  return {
    state: observedState(o),
    drift: interfaceDifferences(desired, o).flatMap(differenceReasons),
  };
}
