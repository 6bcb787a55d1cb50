import type { PresenterFrame, PresenterMessage, Role } from '@netcanvas/model';
import { create } from 'zustand';
import { send } from '../protocol/socket';
import { uiActions } from '../store/ui';

/**
 * Presenting (issue 13 §1), as this page knows it: who leads, the lead's newest frame, whether
 * this page leads, and whether it follows. A viewer follows by default (the class watches the
 * trainer); an editor follows only when it asks to. Looking around (any pan, zoom or selection of
 * one's own) stops following; "Follow" resumes it at the lead's newest frame.
 */
interface PresenterState {
  /** The lead's client id, or null when nobody leads. */
  lead: string | null;
  /** The agent says this page leads. */
  leading: boolean;
  /** This page asked to lead (and asks again after a reconnect) until it stops or is taken over. */
  wantLead: boolean;
  frame: PresenterFrame | null;
  following: boolean;
  /** The lead's laser pointer is on (the lead's page only). */
  laser: boolean;
  /** Where this page's own laser points (the lead sees the dot the class sees). */
  ownPointer: Point | null;
  /** The pointer's last few places, newest last, for its short trail. */
  trail: TrailPoint[];
}

type Point = { x: number; y: number };
export type TrailPoint = Point & { t: number };
/** How long a point of the trail stays, and how many are kept. */
export const TRAIL_MS = 450;
const TRAIL_POINTS = 8;

/** The trail once the pointer is at `at` (null: gone, so no trail). */
function trailTo(trail: TrailPoint[], at: Point | null): TrailPoint[] {
  if (at === null) return [];
  const now = performance.now();
  return [...trail.filter((o) => now - o.t < TRAIL_MS), { ...at, t: now }].slice(-TRAIL_POINTS);
}

export const usePresenter = create<PresenterState>(() => ({
  lead: null,
  leading: false,
  wantLead: false,
  frame: null,
  following: true,
  laser: false,
  ownPointer: null,
  trail: [],
}));

let role: Role | null = null;

export const presenterActions = {
  /** A welcome: after a reconnect, lead again if this page was leading, and follow again if it was. */
  welcomed(as: Role): void {
    const firstWelcome = role === null;
    role = as;
    if (firstWelcome) usePresenter.setState({ following: as === 'viewer' });
    const { wantLead, following } = usePresenter.getState();
    if (as !== 'editor') return;
    if (wantLead) send({ type: 'presenting', on: true });
    if (following) send({ type: 'presenterFollow', follow: true });
  },
  apply(m: PresenterMessage): void {
    const before = usePresenter.getState();
    const takenOver = before.leading && !m.you;
    usePresenter.setState({
      lead: m.lead,
      leading: m.you,
      frame: m.frame,
      wantLead: takenOver ? false : before.wantLead,
      laser: m.you ? before.laser : false,
      trail: m.you ? before.trail : trailTo(before.trail, m.frame?.pointer ?? null),
    });
    if (takenOver && m.lead !== null) uiActions.notify(`${m.lead} leads the class now; you stopped leading.`);
  },
  /** Lead the class, or stop. */
  lead(on: boolean): void {
    usePresenter.setState({ wantLead: on, ...(on ? { following: false } : { laser: false }) });
    send({ type: 'presenting', on });
    if (on && role === 'editor') send({ type: 'presenterFollow', follow: false });
  },
  /** Follow the lead again (or stop following, as "look around" does). */
  follow(on: boolean): void {
    usePresenter.setState({ following: on });
    if (role === 'editor') send({ type: 'presenterFollow', follow: on });
  },
  /** This page's own pan, zoom or selection: stop following (nothing is sent for a viewer). */
  lookAround(): void {
    if (usePresenter.getState().following && usePresenter.getState().lead !== null)
      presenterActions.follow(false);
  },
  laser(on: boolean): void {
    usePresenter.setState({ laser: on });
  },
  /** The lead's own laser moved (or left the canvas). */
  pointedAt(at: Point | null): void {
    usePresenter.setState((s) => ({ ownPointer: at, trail: trailTo(s.trail, at) }));
  },
  /** The pointer rested: its trail goes. */
  rested(): void {
    usePresenter.setState((s) => ({ trail: s.trail.slice(-1) }));
  },
};
