import type { EditInput } from '@netcanvas/model';
import type { CanvasNode, VethEdge } from '../adapters/types';
import { submitEdits } from '../protocol/edits';
import { askBeforeDeleting } from '../store/confirm';
import { useSession } from '../store/session';
import { uiActions, useUi } from '../store/ui';

/**
 * What the Delete key means, as edits: the selected interface's veth if an interface is selected
 * (not its whole namespace); else the selected namespaces and bridges (their veths go with them),
 * and the selected veths.
 */
export function deleteEdits(nodes: readonly CanvasNode[], edges: readonly VethEdge[]): void {
  const { document } = useSession.getState();
  const selection = useUi.getState().selection;
  const edits: EditInput[] = [];
  if (selection?.kind === 'interface') {
    const linked = document.links.some((l) =>
      [l.a, l.b].some((e) => e.node === selection.nodeId && e.ifname === selection.ifname),
    );
    if (linked) edits.push({ type: 'disconnect', node: selection.nodeId, ifname: selection.ifname });
  } else {
    const gone = new Set<string>();
    for (const n of nodes) {
      if (document.namespaces.some((ns) => ns.name === n.id))
        edits.push({ type: 'removeNamespace', name: n.id });
      else if (document.bridges.some((b) => b.name === n.id))
        edits.push({ type: 'removeBridge', name: n.id });
      else continue;
      gone.add(n.id);
    }
    for (const e of edges) {
      if (!e.data || e.data.state === 'unmanaged') continue;
      if (gone.has(e.data.a.node) || gone.has(e.data.b.node)) continue;
      edits.push({ type: 'disconnect', node: e.data.a.node, ifname: e.data.a.ifname });
    }
  }
  if (edits.length === 0) return;
  // A namespace or bridge with links asks first (store/confirm.ts); one without goes at once.
  void askBeforeDeleting(edits).then(async (go) => {
    if (!go) return;
    const result = await submitEdits(edits);
    if (!result.ok) uiActions.notify(`Could not delete: ${result.message}`, 'error');
    else uiActions.select(null);
  });
}
