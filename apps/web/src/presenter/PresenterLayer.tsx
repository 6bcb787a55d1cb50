import { useEffect } from 'react';
import { useSession } from '../store/session';
import { Button } from '../ui/Button';
import { PointerTrail } from './PointerTrail';
import { presenterActions, usePresenter } from './presenter-store';
import { useFollow } from './use-follow';
import { useLeadFrames } from './use-lead-frames';

const BAR =
  'absolute left-1/2 top-3 z-20 flex -translate-x-1/2 items-center gap-2 rounded-lg bg-white/95 py-1 pl-3 pr-1 text-sm shadow-md ring-1';

/**
 * Presenting over the canvas (issue 13 §1): the lead's page sends its frames; a follower's page
 * follows them; both draw the laser pointer. A small bar says who leads and holds the toggles:
 * the lead's laser pointer (or the L key) and "Stop"; a follower's "Look around" / "Follow".
 */
export function PresenterLayer() {
  const leading = usePresenter((s) => s.leading);
  const lead = usePresenter((s) => s.lead);
  const following = usePresenter((s) => s.following && s.lead !== null && !s.leading);
  const pointer = usePresenter((s) =>
    s.leading ? s.ownPointer : s.lead !== null ? (s.frame?.pointer ?? null) : null,
  );
  useLeadFrames(leading);
  useFollow(following);
  useLaserKey(leading);
  return (
    <>
      <PointerTrail at={pointer} />
      {leading ? <LeadBar /> : lead !== null && <FollowBar lead={lead} following={following} />}
    </>
  );
}

function LeadBar() {
  const laser = usePresenter((s) => s.laser);
  return (
    <div role="toolbar" aria-label="leading the class" className={`${BAR} ring-violet-300`}>
      <span className="font-semibold text-violet-900">● Leading the class</span>
      <Button
        tone={laser ? 'primary' : 'ghost'}
        aria-label="laser pointer"
        aria-pressed={laser}
        title="Laser pointer (L): a red dot where you point, on every follower's canvas"
        onClick={() => presenterActions.laser(!laser)}
      >
        Laser (L)
      </Button>
      <Button tone="ghost" aria-label="stop leading" onClick={() => presenterActions.lead(false)}>
        Stop
      </Button>
    </div>
  );
}

function FollowBar({ lead, following }: { lead: string; following: boolean }) {
  const viewer = useSession((s) => s.role === 'viewer');
  const who = viewer ? 'the trainer' : lead;
  return (
    <div
      role="toolbar"
      aria-label="presenter"
      className={`${BAR} ${following ? 'ring-violet-300' : 'ring-slate-300'}`}
      title={`${lead} leads: its view, selection, inspector section and pointer`}
    >
      <span className={following ? 'font-semibold text-violet-900' : 'text-slate-700'}>
        {following ? `● Following ${who}` : `${who} is presenting`}
      </span>
      {following ? (
        <Button tone="ghost" aria-label="look around" onClick={() => presenterActions.follow(false)}>
          Look around
        </Button>
      ) : (
        <Button
          tone="primary"
          aria-label="follow the presenter"
          onClick={() => presenterActions.follow(true)}
        >
          Follow
        </Button>
      )}
    </div>
  );
}

/** L turns the laser on and off while leading (never while typing in a field). */
function useLaserKey(leading: boolean) {
  useEffect(() => {
    if (!leading) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key.toLowerCase() !== 'l' || e.ctrlKey || e.metaKey || e.altKey || e.repeat) return;
      const at = e.target;
      if (
        at instanceof HTMLElement &&
        (at.isContentEditable || at.closest('input, textarea, select, .xterm'))
      )
        return;
      presenterActions.laser(!usePresenter.getState().laser);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [leading]);
}
