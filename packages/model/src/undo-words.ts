import { describeEdit, type Edit } from './edits';
import type { LinkSpec, Topology } from './topology';

/** Words for the undo buttons ("Undo: add veth ns1:eth0 ⇄ ns2:eth0") and for what a delete takes. */

/** "1 namespace", "2 namespaces". */
export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
/** "ns1:eth0": a link's end. */
export const endText = (e: { node: string; ifname: string }) => `${e.node}:${e.ifname}`;
const vethText = (l: LinkSpec) => `${endText(l.a)} ⇄ ${endText(l.b)}`;

/** What a batch of edits does, in a few words, given the document it applies to. */
export function describeAction(before: Topology, edits: readonly Edit[]): string {
  const [first] = edits;
  if (!first) return 'nothing';
  if (edits.every((e) => e.type === 'setPosition'))
    return first.type === 'setPosition' && edits.length === 1
      ? `move ${first.node}`
      : `move ${plural(edits.length, 'node')}`;
  const adds = edits.some((e) => e.type === 'addNamespace' || e.type === 'addBridge');
  const removes = edits.some((e) => e.type === 'removeNamespace' || e.type === 'removeBridge');
  if (adds && removes) return 'replace the lab';
  const one = (edit: Edit): string => {
    switch (edit.type) {
      case 'connect':
        return `add veth ${vethText(edit)}`;
      case 'disconnect': {
        const link = before.links.find((l) =>
          [l.a, l.b].some((e) => e.node === edit.node && e.ifname === edit.ifname),
        );
        return link ? `remove veth ${vethText(link)}` : describeEdit(edit, before);
      }
      case 'removeNamespace':
      case 'removeBridge': {
        const kind = edit.type === 'removeNamespace' ? 'namespace' : 'bridge';
        const links = linksGoingWith(before, edit.name);
        return `remove ${kind} ${edit.name}${links.length > 0 ? ` and its ${plural(links.length, 'veth')}` : ''}`;
      }
      default:
        return describeEdit(edit, before);
    }
  };
  return edits.length === 1 ? one(first) : `${one(first)} and ${plural(edits.length - 1, 'more edit')}`;
}

/** The links a namespace's or bridge's removal takes along (a namespace's bridges' too). */
function linksGoingWith(doc: Topology, name: string): LinkSpec[] {
  const gone = new Set([name, ...doc.bridges.filter((b) => b.namespace === name).map((b) => b.name)]);
  return doc.links.filter((l) => gone.has(l.a.node) || gone.has(l.b.node));
}

/**
 * What a batch deletes that is worth a question: each namespace or bridge that has links, named
 * with them ("ns1 and its 2 links: veth0 ⇄ br0, eth1 ⇄ ns2"). Empty: nothing to ask (a namespace
 * without links is one click, and one Ctrl+Z, away).
 */
export function whatGoes(before: Topology, edits: readonly Edit[], shown = 3): string[] {
  const items: string[] = [];
  for (const edit of edits) {
    if (edit.type !== 'removeNamespace' && edit.type !== 'removeBridge') continue;
    const links = linksGoingWith(before, edit.name);
    if (links.length === 0) continue;
    const words = links.slice(0, shown).map((l) => {
      const [own, peer] = l.a.node === edit.name ? [l.a, l.b] : [l.b, l.a];
      return `${own.node === edit.name ? own.ifname : endText(own)} ⇄ ${peer.node}`;
    });
    const more = links.length > shown ? ', …' : '';
    const kind = edit.type === 'removeBridge' ? 'port' : 'link';
    items.push(`${edit.name} and its ${plural(links.length, kind)}: ${words.join(', ')}${more}`);
  }
  return items;
}

/** What the lab holds, for the question before it is replaced: "3 namespaces, 1 bridge and 3 veths". */
export function labContents(doc: Topology): string {
  return `${plural(doc.namespaces.length, 'namespace')}, ${plural(doc.bridges.length, 'bridge')} and ${plural(doc.links.length, 'veth')}`;
}
