import { duplicateAddresses, type DuplicateAddress, type Topology } from '@netcanvas/model';

// One document's duplicates, found once however many inspectors and edges ask.
const found = new WeakMap<Topology, ReturnType<typeof duplicateAddresses>>();

/** The duplicate-address warnings about any of `holders` (`node:ifname` of a veth end, or a bridge). */
export function duplicateWarnings(doc: Topology, holders: readonly string[]): DuplicateAddress[] {
  let list = found.get(doc);
  if (!list) found.set(doc, (list = duplicateAddresses(doc)));
  return list.filter((d) => d.holders.some((h) => holders.includes(h)));
}
