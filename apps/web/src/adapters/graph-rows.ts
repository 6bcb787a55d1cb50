import type { EndpointSpec, ObservedInterface } from '@netcanvas/model';
import { anchorKey, type DesiredEnd, type GraphIndex } from './graph-index';
import { interfaceStatus, observedState } from './status';
import type { RowModel } from './types';

/** A card row or bridge port: one interface, as the kernel has it or as the document wants it. */

const peerText = (o: ObservedInterface | undefined, fallback: EndpointSpec | null): string | null => {
  if (o?.peer?.ifname) return `${o.peer.namespace ?? '?'}:${o.peer.ifname}`;
  return fallback ? `${fallback.node}:${fallback.ifname}` : null;
};

/** The kernel's addresses without link-local ones; the desired ones while the interface is missing. */
export const shownAddresses = (o: ObservedInterface | undefined, desired: readonly string[]) =>
  o ? o.addresses.filter((a) => !/^fe80:/i.test(a)) : [...desired];

export function desiredRow(index: GraphIndex, end: DesiredEnd): RowModel {
  const o = index.find(end.context, end.spec.ifname);
  const status = interfaceStatus(end.spec, o);
  return {
    ifname: end.spec.ifname,
    kind: o?.kind ?? 'veth',
    state: status.state,
    addresses: shownAddresses(o, end.spec.addresses),
    mtu: o?.mtu ?? end.spec.mtu ?? null,
    drift: status.drift,
    unmanaged: false,
    peer: peerText(o, end.peer),
  };
}

/** An interface the document does not know (loopback aside, it is drawn as made by hand). */
export const foreignRow = (o: ObservedInterface): RowModel => ({
  ifname: o.ifname,
  kind: o.kind,
  state: observedState(o),
  addresses: shownAddresses(o, []),
  mtu: o.mtu,
  drift: [],
  unmanaged: o.kind !== 'loopback',
  peer: peerText(o, null),
});

/**
 * Interfaces of a context the document does not mention, loopback aside (a namespace's card draws
 * its own; bridges and their ports are drawn on the bridge).
 */
const extras = (index: GraphIndex, context: string): ObservedInterface[] =>
  (index.observedNs.get(context)?.interfaces ?? []).filter(
    (o) =>
      o.ifname !== 'lo' &&
      !index.desiredIn.has(anchorKey(context, o.ifname)) &&
      !index.docBridges.has(anchorKey(context, o.ifname)) &&
      !(o.master !== null && index.docBridges.has(anchorKey(context, o.master))),
  );

/** A node's rows: its desired veth ends, then what the kernel has there besides. */
export const nodeRows = (index: GraphIndex, node: string, context: string): RowModel[] => [
  ...(index.ends.get(node) ?? []).map((end) => desiredRow(index, end)),
  ...extras(index, context).map(foreignRow),
];
