import { useEffect, useRef } from 'react';
import { useGraph } from '../canvas/useGraph';
import { useSession } from '../store/session';
import { useUi } from '../store/ui';
import { BridgeInspector } from './BridgeInspector';
import { EdgeInspector } from './EdgeInspector';
import { InterfaceInspector } from './InterfaceInspector';
import { LabSummary } from './LabSummary';
import { NodeInspector } from './NodeInspector';
import { RootInspector } from './RootInspector';
import { ROOT } from '@netcanvas/model';

/** The right-hand panel: the selected object, the document's side and the kernel's. */
export function Inspector() {
  const selection = useUi((s) => s.selection);
  const graph = useGraph();
  const viewer = useSession((s) => s.role === 'viewer');
  const panel = useRef<HTMLElement>(null);
  // Another object: start reading it from the top.
  useEffect(() => {
    panel.current?.scrollTo({ top: 0 });
  }, [selection]);
  let body = <LabSummary />;
  if (selection?.kind === 'interface')
    body = <InterfaceInspector nodeId={selection.nodeId} ifname={selection.ifname} />;
  else if (selection?.kind === 'node') {
    const node = graph.nodes.find((n) => n.id === selection.id);
    if (node?.type === 'card') body = <NodeInspector node={node} />;
    else if (node?.type === 'bridge') body = <BridgeInspector node={node} />;
    // The lab's root has no card while nothing lives there; its firewall is still the lab's.
    else if (selection.id === ROOT) body = <RootInspector />;
  } else if (selection?.kind === 'edge') {
    const edge = graph.edges.find((e) => e.id === selection.id);
    if (edge) body = <EdgeInspector edge={edge} />;
  }
  return (
    <aside
      ref={panel}
      aria-label="inspector"
      className="w-96 shrink-0 overflow-y-auto border-l border-slate-200 bg-white"
    >
      {viewer && (
        <p className="border-b border-violet-100 bg-violet-50 px-4 py-2 text-sm text-violet-900">
          Viewing: read only
        </p>
      )}
      {body}
    </aside>
  );
}
