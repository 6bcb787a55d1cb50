import { ROOT, givenAddresses, type ObservedInterface, type Topology } from '@netcanvas/model';
import { anchorKey, type GraphIndex } from './graph-index';
import { desiredRow, foreignRow, isHandMadeBridge } from './graph-rows';
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
    .map(foreignRow);

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
      ports: handPorts(index, ROOT, o.ifname),
      handMade: true,
    }));
  return [...documents, ...handMade];
}
