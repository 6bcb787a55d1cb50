import { useEffect, useRef, type RefObject } from 'react';
import { useGraph } from '../canvas/useGraph';
import { useSession } from '../store/session';
import { uiActions, useUi } from '../store/ui';
import { FoldButton } from '../panels/FoldButton';
import { usePanel } from '../panels/use-panel';
import { BridgeInspector } from './BridgeInspector';
import { EdgeInspector } from './EdgeInspector';
import { InterfaceInspector } from './InterfaceInspector';
import { LabSummary } from './LabSummary';
import { NodeInspector } from './NodeInspector';
import { RootInspector } from './RootInspector';
import { ROOT } from '@netcanvas/model';

/**
 * The inspector: the selected object, the document's side and the kernel's. Beside the canvas in a
 * wide window, where it folds to a rail (remembered); a drawer over the canvas in a narrow window
 * and the presenter view, opened by a selection or its button, closed by its button or Escape.
 */
export function Inspector({ mode }: { mode: 'side' | 'drawer' }) {
  const selection = useUi((s) => s.selection);
  const drawerOpen = useUi((s) => s.drawer);
  const { open, toggle } = usePanel('inspector');
  const viewer = useSession((s) => s.role === 'viewer');
  const panel = useRef<HTMLElement>(null);
  // Another object: start reading it from the top.
  useEffect(() => {
    panel.current?.scrollTo({ top: 0 });
  }, [selection]);
  useEscapeClosesDrawer(mode === 'drawer' && drawerOpen, panel);
  if (mode === 'side' && !open) return <InspectorRail onOpen={toggle} />;
  if (mode === 'drawer' && !drawerOpen) return <DrawerOpener />;
  const hide = mode === 'side' ? toggle : () => uiActions.showDrawer(false);
  return (
    <aside
      ref={panel}
      aria-label="inspector"
      className={
        mode === 'side'
          ? 'w-96 shrink-0 overflow-y-auto border-l border-slate-200 bg-white'
          : 'nc-drawer absolute bottom-3 right-3 top-3 z-20 w-96 max-w-[calc(100%-1.5rem)] overflow-y-auto rounded-xl border border-slate-300 bg-white shadow-2xl'
      }
    >
      <div className="sticky top-0 z-10 flex h-9 items-center justify-between border-b border-slate-100 bg-white pl-4 pr-1">
        <h2 className="text-xs font-semibold uppercase tracking-wide text-slate-600">Inspector</h2>
        <FoldButton open side="right" panel="inspector" onClick={hide} />
      </div>
      {viewer && (
        <p className="border-b border-violet-100 bg-violet-50 px-4 py-2 text-sm text-violet-900">
          Viewing: read only
        </p>
      )}
      <InspectorBody />
    </aside>
  );
}

/**
 * Escape closes the drawer when the focus is in it, on the canvas (the node just clicked) or fell
 * to the page; never while a dialog or the picture of netfilter is open (Escape is theirs).
 */
function useEscapeClosesDrawer(active: boolean, box: RefObject<HTMLElement | null>) {
  useEffect(() => {
    if (!active) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented) return;
      if (useUi.getState().netfilter !== null || document.querySelector('[aria-modal="true"]')) return;
      const at = document.activeElement;
      const ours =
        at === null ||
        at === document.body ||
        box.current?.contains(at) ||
        at.closest('.react-flow') !== null;
      if (!ours) return;
      e.preventDefault();
      uiActions.showDrawer(false);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [active, box]);
}

/** What the selection is: a namespace, a bridge, an interface, a veth, the root; else the lab. */
function InspectorBody() {
  const selection = useUi((s) => s.selection);
  const graph = useGraph();
  if (selection?.kind === 'interface')
    return <InterfaceInspector nodeId={selection.nodeId} ifname={selection.ifname} />;
  if (selection?.kind === 'node') {
    const node = graph.nodes.find((n) => n.id === selection.id);
    if (node?.type === 'card') return <NodeInspector node={node} />;
    if (node?.type === 'bridge') return <BridgeInspector node={node} />;
    // The lab's root has no card while nothing lives there; its firewall is still the lab's.
    if (selection.id === ROOT) return <RootInspector />;
  } else if (selection?.kind === 'edge') {
    const edge = graph.edges.find((e) => e.id === selection.id);
    if (edge) return <EdgeInspector edge={edge} />;
  }
  return <LabSummary />;
}

/** The folded inspector: a rail with the button that opens it again. */
function InspectorRail({ onOpen }: { onOpen: () => void }) {
  return (
    <div className="flex w-10 shrink-0 flex-col items-center gap-3 border-l border-slate-200 bg-white py-2">
      <FoldButton open={false} side="right" panel="inspector" onClick={onOpen} />
      <span
        aria-hidden
        className="text-xs font-semibold uppercase tracking-wide text-slate-600 [writing-mode:vertical-rl]"
      >
        Inspector
      </span>
    </div>
  );
}

/** Over the canvas, the closed drawer's button: the inspector of what is selected, or of the lab. */
function DrawerOpener() {
  return (
    <button
      type="button"
      aria-label="show inspector"
      aria-expanded={false}
      onClick={() => uiActions.showDrawer(true)}
      className="absolute right-3 top-3 z-20 rounded-md bg-white px-3 py-1.5 text-sm font-medium text-slate-800 shadow-md ring-1 ring-slate-300 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600"
    >
      Inspector
    </button>
  );
}
