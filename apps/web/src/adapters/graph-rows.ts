import {
  ROOT,
  describeHandRename,
  handRenameHow,
  kernelLinkLocalOf,
  type EndpointSpec,
  type ObservedInterface,
} from '@netcanvas/model';
import { anchorKey, type DesiredEnd, type GraphIndex } from './graph-index';
import { interfaceStatus, observedState } from './status';
import type { RowModel } from './types';

/** A card row or bridge port: one interface, as the kernel has it or as the document wants it. */

const peerText = (o: ObservedInterface | undefined, fallback: EndpointSpec | null): string | null => {
  if (o?.peer?.ifname) return `${o.peer.namespace ?? '?'}:${o.peer.ifname}`;
  return fallback ? `${fallback.node}:${fallback.ifname}` : null;
};

/**
 * The kernel's addresses without its own link-local one (on every interface, it says nothing), but
 * with an fe80 address the document or a person added; the desired ones while the interface is missing.
 */
export function shownAddresses(o: ObservedInterface | undefined, desired: readonly string[]): string[] {
  if (!o) return [...desired];
  const kernels = kernelLinkLocalOf(o);
  return o.addresses.filter((a) => !kernels.includes(a));
}

/** The bridge a desired end should be a port of: its node, when that is a bridge; else none. */
export const desiredMaster = (index: GraphIndex, end: DesiredEnd): string | null =>
  index.docBridges.has(anchorKey(end.context, end.spec.node)) ? end.spec.node : null;

export function desiredRow(index: GraphIndex, end: DesiredEnd): RowModel {
  const o = index.find(end.context, end.spec.ifname);
  const status = interfaceStatus({ ...end.spec, master: desiredMaster(index, end) }, o);
  // Not "not in the kernel" when the kernel has it elsewhere: it says where it went.
  const rename = index.renamedFrom.get(anchorKey(end.context, end.spec.ifname));
  return {
    ifname: end.spec.ifname,
    kind: o?.kind ?? 'veth',
    state: status.state,
    addresses: shownAddresses(o, end.spec.addresses),
    mtu: o?.mtu ?? end.spec.mtu ?? null,
    drift: rename ? [handRenameHow(rename)] : status.drift,
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
 * An interface at `context` the document does not name: made by hand, unless it is one of the
 * lab's veth ends renamed or moved by hand (graph-index `renamedTo`, the inspector's words): that
 * one is the lab's, drifted from where the document has it, and no link to adopt as made by hand.
 */
export const strayRow =
  (index: GraphIndex, context: string) =>
  (o: ObservedInterface): RowModel => {
    const rename = index.renamedTo.get(anchorKey(context, o.ifname));
    if (!rename) return foreignRow(o);
    return { ...foreignRow(o), unmanaged: false, drift: [describeHandRename(rename)] };
  };

/**
 * A bridge made by hand in the lab's root (`ip link add brX type bridge`) is drawn as a bridge
 * node of its own, marked made by hand, its ports on it: unless its name is a node's already.
 */
export const isHandMadeBridge = (index: GraphIndex, context: string, o: ObservedInterface): boolean =>
  context === ROOT &&
  o.kind === 'bridge' &&
  o.ifname !== ROOT &&
  !index.docBridges.has(anchorKey(context, o.ifname)) &&
  !index.doc.namespaces.some((n) => n.name === o.ifname) &&
  !index.observedNs.has(o.ifname);

/** Whether `o` is drawn on a bridge node (the document's, or one made by hand) rather than as a row. */
const onBridgeNode = (index: GraphIndex, context: string, o: ObservedInterface): boolean => {
  if (index.docBridges.has(anchorKey(context, o.ifname)) || isHandMadeBridge(index, context, o)) return true;
  if (o.master === null) return false;
  if (index.docBridges.has(anchorKey(context, o.master))) return true;
  const master = index.find(context, o.master);
  return master !== undefined && isHandMadeBridge(index, context, master);
};

/**
 * Interfaces of a context the document does not mention, loopback aside (a namespace's card draws
 * its own; bridges and their ports are drawn on the bridge).
 */
const extras = (index: GraphIndex, context: string): ObservedInterface[] =>
  (index.observedNs.get(context)?.interfaces ?? []).filter(
    (o) =>
      o.ifname !== 'lo' &&
      !index.desiredIn.has(anchorKey(context, o.ifname)) &&
      !onBridgeNode(index, context, o),
  );

/** The interface names of a node's rows (nodeRows), without working out their state. */
export const nodeIfnames = (index: GraphIndex, node: string, context: string): string[] => [
  ...(index.ends.get(node) ?? []).map((end) => end.spec.ifname),
  ...extras(index, context).map((o) => o.ifname),
];

/** A node's rows: its desired veth ends, then what the kernel has there besides. */
export const nodeRows = (index: GraphIndex, node: string, context: string): RowModel[] => [
  ...(index.ends.get(node) ?? []).map((end) => desiredRow(index, end)),
  ...extras(index, context).map(strayRow(index, context)),
];
