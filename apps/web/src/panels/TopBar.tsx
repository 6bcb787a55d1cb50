import { useReactFlow } from '@xyflow/react';
import { useState } from 'react';
import { autoLayout } from '../adapters/layout';
import { FIT } from '../canvas/opening';
import { savePosition } from '../canvas/save-positions';
import { useGraph } from '../canvas/useGraph';
import { useRequests } from '../store/requests';
import { useSession } from '../store/session';
import { uiActions } from '../store/ui';
import { Button } from '../ui/Button';
import { ConnectionBadge } from './ConnectionBadge';
import { ExamplesMenu } from './ExamplesMenu';
import { ExportButton, ImportButton } from './FileButtons';
import { RoleBadge } from './RoleBadge';
import { UndoButtons } from './UndoButtons';

export function TopBar() {
  const lab = useSession((s) => s.lab);
  const editable = useSession((s) => s.role === 'editor');
  const busy = useRequests((s) => s.inFlight > 0);
  const graph = useGraph();
  const flow = useReactFlow();
  const [laying, setLaying] = useState(false);

  const layout = async () => {
    setLaying(true);
    try {
      const positions = await autoLayout(graph);
      for (const [id, p] of positions) savePosition(id, p);
      setTimeout(() => void flow.fitView({ ...FIT, duration: 300 }), 400);
    } catch (error) {
      uiActions.notify(`Layout failed: ${error instanceof Error ? error.message : String(error)}`, 'error');
    } finally {
      setLaying(false);
    }
  };

  return (
    <header className="flex h-14 shrink-0 items-center gap-3 border-b border-slate-200 bg-white px-4">
      <span className="text-lg font-bold tracking-tight text-slate-900">
        net<span className="text-sky-700">canvas</span>
      </span>
      {lab && (
        <span className="text-sm text-slate-600" aria-label="lab">
          lab <span className="font-mono font-semibold text-slate-900">{lab.name}</span>
          <span className="ml-1 text-slate-400">({lab.kind})</span>
        </span>
      )}
      <ConnectionBadge />
      <RoleBadge />
      {busy && (
        <span role="status" aria-label="applying" className="text-sm text-slate-500">
          applying…
        </span>
      )}
      <div className="ml-auto flex items-center gap-1">
        {editable && <UndoButtons />}
        {editable && <ExamplesMenu />}
        {editable && <ImportButton />}
        <ExportButton />
        {editable && (
          <Button
            tone="ghost"
            aria-label="auto layout"
            disabled={laying || graph.nodes.length === 0}
            onClick={() => void layout()}
          >
            Layout
          </Button>
        )}
        <Button
          tone="ghost"
          aria-label="fit view"
          onClick={() => void flow.fitView({ ...FIT, duration: 300 })}
        >
          Fit
        </Button>
        <Button tone="ghost" aria-label="toggle command log" onClick={uiActions.toggleLog}>
          Log
        </Button>
      </div>
    </header>
  );
}
