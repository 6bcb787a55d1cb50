import type { CheckpointHolds } from './protocol-checkpoint';
import { endText, plural } from './undo-words';
import type { Topology } from './topology';

/** A veth pair as a reset's question names it; either end first, so the same pair reads the same. */
function linkText(link: Topology['links'][number]): string {
  const [a, b] = [endText(link.a), endText(link.b)].sort();
  return `${a} ⇄ ${b}`;
}

/** What a document holds, by name (a checkpoint's, listed with it). */
export function checkpointHolds(doc: Topology): CheckpointHolds {
  return {
    namespaces: doc.namespaces.map((n) => n.name),
    bridges: doc.bridges.map((b) => b.name),
    links: doc.links.map(linkText),
  };
}

/**
 * What a reset from `current` to a checkpoint holding `holds` removes from the lab, one line per
 * kind: namespaces and bridges by name, veth pairs not already gone with a namespace or bridge.
 * Empty when the checkpoint has everything the lab has (what it changes in place is not listed).
 */
export function resetRemoves(current: Topology, holds: CheckpointHolds): string[] {
  const kept = {
    namespaces: new Set(holds.namespaces),
    bridges: new Set(holds.bridges),
    links: new Set(holds.links),
  };
  const namespaces = current.namespaces.map((n) => n.name).filter((n) => !kept.namespaces.has(n));
  const bridges = current.bridges.map((b) => b.name).filter((b) => !kept.bridges.has(b));
  const nodesGone = new Set([...namespaces, ...bridges]);
  const links = current.links
    .filter((l) => !nodesGone.has(l.a.node) && !nodesGone.has(l.b.node))
    .map(linkText)
    .filter((l) => !kept.links.has(l));
  const lines: string[] = [];
  if (namespaces.length > 0)
    lines.push(`${plural(namespaces.length, 'namespace')} (with their veths): ${namespaces.join(', ')}`);
  if (bridges.length > 0)
    lines.push(`${plural(bridges.length, 'bridge')} (with their ports): ${bridges.join(', ')}`);
  if (links.length > 0) lines.push(`${plural(links.length, 'veth pair')}: ${links.join(', ')}`);
  return lines;
}
