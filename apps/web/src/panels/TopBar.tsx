import { LessonMenu } from '../lesson/LessonMenu';
import { useRequests } from '../store/requests';
import { useSession } from '../store/session';
import { uiActions } from '../store/ui';
import { Button } from '../ui/Button';
import { ConnectionBadge } from './ConnectionBadge';
import { CheckpointsMenu } from '../checkpoints/CheckpointsMenu';
import { ExamplesMenu } from './ExamplesMenu';
import { ExportButton, ImportButton } from './FileButtons';
import { LayoutMenu } from './LayoutMenu';
import { PresenterToggle } from './PresenterToggle';
import { LeadToggle } from '../presenter/LeadToggle';
import { RoleBadge } from './RoleBadge';
import { UndoButtons } from './UndoButtons';

export function TopBar() {
  const lab = useSession((s) => s.lab);
  const editable = useSession((s) => s.role === 'editor');
  const busy = useRequests((s) => s.inFlight > 0);

  return (
    <header className="flex h-14 shrink-0 items-center gap-3 border-b border-slate-200 bg-white px-4">
      <span className="text-lg font-bold tracking-tight text-slate-900">
        net<span className="text-sky-700">canvas</span>
      </span>
      {lab && (
        <span className="min-w-0 truncate text-sm text-slate-600" aria-label="lab" title={lab.name}>
          lab <span className="font-mono font-semibold text-slate-900">{lab.name}</span>
          <span className="ml-1 text-slate-500">({lab.kind})</span>
        </span>
      )}
      <ConnectionBadge />
      <RoleBadge />
      {busy && (
        <span role="status" aria-label="applying" className="text-sm text-slate-500">
          applying…
        </span>
      )}
      <div className="ml-auto flex shrink-0 items-center gap-1">
        {editable && <UndoButtons />}
        {editable && <LessonMenu />}
        {editable && <ExamplesMenu />}
        {editable && <CheckpointsMenu />}
        {editable && <ImportButton />}
        <ExportButton />
        {editable && <LayoutMenu />}
        <Button tone="ghost" aria-label="fit view" onClick={() => uiActions.requestFit('animated')}>
          Fit
        </Button>
        <LeadToggle />
        <PresenterToggle />
      </div>
    </header>
  );
}
