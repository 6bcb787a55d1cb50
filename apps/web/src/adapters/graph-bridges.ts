import { ROOT, type ObservedInterface, type Topology } from '@netcanvas/model';
import { anchorKey, type GraphIndex } from './graph-index';
import { desiredRow, foreignRow } from './graph-rows';
import { interfaceStatus } from './status';
import type { RowModel } from './types';

/** A document's bridge before it is placed: its kernel state, drift and ports. */
export interface BridgeModel {
  br: Topology['bridges'][number];
  context: string;
  o: ObservedInterface | undefined;
  status: ReturnType<typeof interfaceStatus>;
  /** The document's veth ends on it, then the ports enslaved to it by hand. */
  ports: RowModel[];
}

export function bridgeModels(index: GraphIndex): BridgeModel[] {
  return index.doc.bridges.map((br) => {
    const context = br.namespace ?? ROOT;
    const o = index.find(context, br.name);
    const status = interfaceStatus(br, o);
    if (o?.stp !== undefined && o.stp !== null && o.stp !== br.stp)
      status.drift.push(`stp ${o.stp ? 'on' : 'off'}, desired ${br.stp ? 'on' : 'off'}`);
    const ports: RowModel[] = [
      ...(index.ends.get(br.name) ?? []).map((end) => desiredRow(index, end)),
      ...(index.observedNs.get(context)?.interfaces ?? [])
        .filter((i) => i.master === br.name && !index.desiredIn.has(anchorKey(context, i.ifname)))
        .map(foreignRow),
    ];
    return { br, context, o, status, ports };
  });
}
