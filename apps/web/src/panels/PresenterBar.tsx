import { useSession } from '../store/session';
import { uiActions } from '../store/ui';
import { ConnectionBadge } from './ConnectionBadge';
import { LeadToggle } from '../presenter/LeadToggle';

const BUTTON =
  'rounded-md px-3 py-1.5 text-base font-semibold text-slate-900 ring-1 ring-slate-400 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600';

/** The presenter view's only chrome, over the canvas's top-left corner: the lab, Fit, and the way out. */
export function PresenterBar() {
  const lab = useSession((s) => s.lab);
  return (
    <div
      role="toolbar"
      aria-label="presenter view"
      className="absolute left-3 top-3 z-20 flex items-center gap-2 rounded-lg bg-white/95 p-1.5 pl-3 shadow-md ring-1 ring-slate-300"
    >
      {lab && <span className="font-mono text-lg font-semibold text-slate-900">{lab.name}</span>}
      <ConnectionBadge />
      <button
        type="button"
        aria-label="fit view"
        className={BUTTON}
        onClick={() => uiActions.requestFit('animated')}
      >
        Fit
      </button>
      <LeadToggle large />
      <button
        type="button"
        aria-label="exit presenter view"
        className={BUTTON}
        onClick={() => uiActions.setPresent(false)}
      >
        Exit presenter view
      </button>
    </div>
  );
}
