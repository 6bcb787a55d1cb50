import { ROOT, givenAddresses, type ObservedInterface, type Topology } from '@netcanvas/model';
import { anchorKey, type GraphIndex } from './graph-index';
import { desiredRow, isHandMadeBridge, strayRow } from './graph-rows';
import { interfaceStatus, observedState } from './status';
import type { RowModel } from './types';

/** A bridge before it is placed: the document's (or one made by hand), its kernel state, drift and ports. */
export interface BridgeModel {
  br: Topology['bridges'][number];
  context: string;
  o: ObservedInterface | undefined;
  status: ReturnType<typeof interfaceStatus>;
  /** The document's veth ends on it, then the ports enslaved to it by hand. */
  ports: RowModel[];
  /** Made outside netcanvas (in the lab's root): drawn as a bridge, with an offer to adopt it. */
  handMade: boolean;
}

/** Interfaces of `context` enslaved to `bridge` that the document does not name: its ports made by hand. */
const handPorts = (index: GraphIndex, context: string, bridge: string): RowModel[] =>
  (index.observedNs.get(context)?.interfaces ?? [])
    .filter((i) => i.master === bridge && !index.desiredIn.has(anchorKey(context, i.ifname)))
    .map(strayRow(index, context));

/**
 * Every interface the kernel has enslaved to a bridge made by hand: the document names none of
 * them there, so each is shown as the kernel has it. One of the lab's own (a veth end the document
 * puts on another bridge, moved here by hand) is not "made by hand": it says where it belongs.
 */
function portsOfHandBridge(index: GraphIndex, context: string, bridge: string): RowModel[] {
  return (index.observedNs.get(context)?.interfaces ?? [])
    .filter((i) => i.master === bridge)
    .map((i) => {
      const owned = index.desiredIn.has(anchorKey(context, i.ifname)) && ownerOf(index, context, i.ifname);
      if (!owned) return strayRow(index, context)(i);
      return {
        ...strayRow(index, context)(i),
        unmanaged: false,
        drift: [`the lab’s port of ${owned}, moved here by hand`],
      };
    });
}

/** The node the document draws a veth end on (the ports of a hand bridge only: a few). */
function ownerOf(index: GraphIndex, context: string, ifname: string): string | undefined {
  for (const [node, ends] of index.ends)
    if (ends.some((e) => e.context === context && e.spec.ifname === ifname)) return node;
  return undefined;
}

/** The document's bridges, then those made by hand in the lab's root. */
export function bridgeModels(index: GraphIndex): BridgeModel[] {
  const documents = index.doc.bridges.map((br) => {
    const context = br.namespace ?? ROOT;
    const o = index.find(context, br.name);
    // A bridge's spec is its desired state: up, addresses, MTU, MAC and STP.
    const status = interfaceStatus(br, o);
    const ports: RowModel[] = [
      ...(index.ends.get(br.name) ?? []).map((end) => desiredRow(index, end)),
      ...handPorts(index, context, br.name),
    ];
    return { br, context, o, status, ports, handMade: false };
  });
  const handMade = (index.observedNs.get(ROOT)?.interfaces ?? [])
    .filter((o) => isHandMadeBridge(index, ROOT, o))
    .map((o) => ({
      // As the kernel has it: there is no topology to differ from.
      br: { name: o.ifname, up: o.up, stp: o.stp ?? false, addresses: givenAddresses(o) },
      context: ROOT,
      o,
      status: { state: observedState(o), drift: [] },
      ports: portsOfHandBridge(index, ROOT, o.ifname),
      handMade: true,
    }));
  return [...documents, ...handMade];
}
