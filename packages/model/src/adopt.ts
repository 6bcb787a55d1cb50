import type { EditInput } from './edits';
import type { Validated } from './issues';
import { ROOT_NODE } from './names';
import type { ObservedInterface, ObservedState } from './observed';
import type { Position, Topology } from './topology';

/** What an adopt needs the kernel to mark as the lab's, besides the document edits. */
export interface AdoptPlan {
  edits: EditInput[];
  /** Namespaces to record as the lab's. */
  namespaces: string[];
  /** Interfaces to give the lab's ownership mark, as (namespace or "root", ifname). */
  interfaces: { context: string; ifname: string }[];
}

const usableAddresses = (i: ObservedInterface) =>
  i.addresses.filter((a) => !/^fe80:/i.test(a) && !a.startsWith('127.') && a !== '::1/128');

/**
 * Turns `adopt` into plain edits from what the kernel has (pure): a namespace becomes
 * `addNamespace`; a veth becomes `connect` with both ends as they are (addresses, up, MTU);
 * a bridge becomes `addBridge`. The namespaces an adopted veth joins must be in the document
 * (or be adopted first); a port of a bridge names the bridge as its node.
 */
export function expandAdopt(
  doc: Topology,
  observed: ObservedState,
  adopt: { namespace: string; ifname?: string | undefined; position?: Position | undefined },
): Validated<AdoptPlan> {
  const bad = (path: string, message: string): Validated<AdoptPlan> => ({
    ok: false,
    issues: [{ path, message }],
  });
  const ns = observed.namespaces.find((n) => n.name === adopt.namespace);
  if (!ns) return bad('edit.namespace', `the kernel has no namespace "${adopt.namespace}" in this lab`);
  const inDoc = (name: string) => name === ROOT_NODE || doc.namespaces.some((n) => n.name === name);

  if (adopt.ifname === undefined) {
    if (adopt.namespace === ROOT_NODE) return bad('edit.namespace', "the lab's root is always the lab's");
    if (inDoc(adopt.namespace))
      return bad('edit.namespace', `namespace "${adopt.namespace}" is already in the topology`);
    const lo = ns.interfaces.find((i) => i.ifname === 'lo');
    return {
      ok: true,
      value: {
        edits: [
          { type: 'addNamespace', name: adopt.namespace, loUp: lo?.up ?? false, position: adopt.position },
        ],
        namespaces: [adopt.namespace],
        interfaces: [],
      },
    };
  }

  const iface = ns.interfaces.find((i) => i.ifname === adopt.ifname);
  if (!iface) return bad('edit.ifname', `namespace "${adopt.namespace}" has no interface "${adopt.ifname}"`);
  if (!inDoc(adopt.namespace))
    return bad('edit.namespace', `adopt namespace "${adopt.namespace}" first: the interface lives there`);
  if (iface.kind === 'bridge') {
    return {
      ok: true,
      value: {
        edits: [
          {
            type: 'addBridge',
            name: iface.ifname,
            namespace: adopt.namespace === ROOT_NODE ? undefined : adopt.namespace,
            up: iface.up,
            stp: iface.stp ?? false,
            mtu: iface.mtu,
            addresses: usableAddresses(iface),
            position: adopt.position,
          },
        ],
        namespaces: [],
        interfaces: [{ context: adopt.namespace, ifname: iface.ifname }],
      },
    };
  }
  if (iface.kind !== 'veth')
    return bad('edit.ifname', `"${iface.ifname}" is a ${iface.kind}; netcanvas adopts veths and bridges`);
  const peerNs = iface.peer?.namespace;
  const peerName = iface.peer?.ifname;
  if (!peerNs || !peerName)
    return bad('edit.ifname', `the peer of "${iface.ifname}" is in a namespace this lab cannot see`);
  if (!inDoc(peerNs))
    return bad('edit.ifname', `adopt namespace "${peerNs}" first: the peer ${peerName} lives there`);
  const peer = observed.namespaces
    .find((n) => n.name === peerNs)
    ?.interfaces.find((i) => i.ifname === peerName);
  if (!peer) return bad('edit.ifname', `the peer of "${iface.ifname}" is gone`);
  const end = (context: string, i: ObservedInterface) => ({
    node: i.master ?? context,
    ifname: i.ifname,
    addresses: i.master ? [] : usableAddresses(i),
    up: i.up,
    mtu: i.mtu,
  });
  return {
    ok: true,
    value: {
      edits: [{ type: 'connect', a: end(adopt.namespace, iface), b: end(peerNs, peer) }],
      namespaces: [],
      interfaces: [
        { context: adopt.namespace, ifname: iface.ifname },
        { context: peerNs, ifname: peer.ifname },
      ],
    },
  };
}
