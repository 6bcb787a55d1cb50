import type { EditInput } from './edits';
import { ROOT } from './names';
import { rootFirewall, type Topology } from './topology';

/**
 * The edits that turn the current document into another (an example, an imported file), in one
 * batch: drop every veth, bridge and namespace, then add the new ones. The agent plans against
 * the kernel, so what already matches (a namespace kept under the same name) is not rebuilt.
 */
export function replaceDocumentEdits(current: Topology, next: Topology): EditInput[] {
  const edits: EditInput[] = [];
  for (const link of current.links)
    edits.push({ type: 'disconnect', node: link.a.node, ifname: link.a.ifname });
  for (const br of current.bridges) edits.push({ type: 'removeBridge', name: br.name });
  for (const ns of current.namespaces) edits.push({ type: 'removeNamespace', name: ns.name });
  for (const ns of next.namespaces) edits.push({ type: 'addNamespace', ...ns });
  for (const br of next.bridges) edits.push({ type: 'addBridge', ...br });
  for (const link of next.links) edits.push({ type: 'connect', a: link.a, b: link.b });
  // The lab's root stays; its firewall becomes the new document's (none, if it has none).
  if (current.root || next.root)
    edits.push({ type: 'setNamespace', name: ROOT, firewall: structuredClone(rootFirewall(next)) });
  if (next.rootPosition) edits.push({ type: 'setPosition', node: ROOT, position: next.rootPosition });
  return edits;
}
