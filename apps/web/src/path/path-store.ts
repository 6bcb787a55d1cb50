import type { PathProtocol, PathResult, ServerMessage } from '@netcanvas/model';
import { create } from 'zustand';

/** The packet path the page asked for last, and its answer (one at a time, as the agent allows). */
export interface PathRun {
  requestId: string;
  from: string;
  to: string;
  protocol: PathProtocol;
  port: number | null;
  result: PathResult | null;
  /** The agent's refusal (the field named), or the connection closing first. */
  error: string | null;
  errorField: string | null;
}

interface PathState {
  run: PathRun | null;
  /** Whether the hops are drawn on the canvas (the panel can hide them without forgetting them). */
  shown: boolean;
}

export const usePath = create<PathState>(() => ({ run: null, shown: true }));

export const pathActions = {
  start(run: PathRun): void {
    usePath.setState({ run, shown: true });
  },
  fail(requestId: string, error: string, field: string | null): void {
    const run = usePath.getState().run;
    if (run?.requestId === requestId) usePath.setState({ run: { ...run, error, errorField: field } });
  },
  clear(): void {
    usePath.setState({ run: null });
  },
  setShown(shown: boolean): void {
    usePath.setState({ shown });
  },
};

/** The agent's answer. */
export function applyPathResult(m: Extract<ServerMessage, { type: 'pathResult' }>): void {
  const run = usePath.getState().run;
  if (run?.requestId === m.requestId) usePath.setState({ run: { ...run, result: m.result } });
}

/** A refusal of the path asked for (true: it was this one's). */
export function pathRejected(m: Extract<ServerMessage, { type: 'rejected' }>): boolean {
  if (usePath.getState().run?.requestId !== m.requestId) return false;
  pathActions.fail(m.requestId, m.message, m.path);
  return true;
}
