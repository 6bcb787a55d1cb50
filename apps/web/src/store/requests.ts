import type { ServerMessage } from '@netcanvas/model';
import { create } from 'zustand';

/**
 * How a request ended: the agent's answer, or the page's own knowledge that none will come (its
 * socket closed first). The latter is not dressed as a `rejected`: every `rejected` code is one
 * the agent sent (the protocol's registry), and "disconnected" is the page's state, not the agent's.
 */
type Reply =
  | Extract<ServerMessage, { type: 'accepted' | 'rejected' }>
  | { type: 'disconnected'; requestId: string; currentVersion: number };

/** A ping the page asked for, with its output as it streams in. */
export interface PingRun {
  requestId: string;
  namespace: string;
  address: string;
  lines: string[];
  exitCode: number | null;
  error: string | null;
}

interface RequestsState {
  pings: Record<string, PingRun>;
  /** The edits on their way to the agent (for a busy indicator). */
  inFlight: number;
}

export const useRequests = create<RequestsState>(() => ({ pings: {}, inFlight: 0 }));

const waiting = new Map<string, (reply: Reply) => void>();
let counter = 0;

export const newRequestId = (): string => `w${Date.now().toString(36)}-${++counter}`;

export const requestsActions = {
  wait(requestId: string): Promise<Reply> {
    useRequests.setState((s) => ({ inFlight: s.inFlight + 1 }));
    return new Promise((resolve) => {
      waiting.set(requestId, (reply) => {
        useRequests.setState((s) => ({ inFlight: Math.max(0, s.inFlight - 1) }));
        resolve(reply);
      });
    });
  },
  settle(reply: Reply): boolean {
    const done = waiting.get(reply.requestId);
    if (!done) return false;
    waiting.delete(reply.requestId);
    done(reply);
    return true;
  },
  /** The socket closed: nothing in flight will be answered on it. */
  abandonAll(currentVersion: number): void {
    for (const [requestId, done] of waiting) done({ type: 'disconnected', requestId, currentVersion });
    waiting.clear();
    useRequests.setState({ inFlight: 0 });
    const pings = { ...useRequests.getState().pings };
    for (const [id, run] of Object.entries(pings))
      if (run.exitCode === null && run.error === null)
        pings[id] = { ...run, error: 'connection closed before the ping finished' };
    useRequests.setState({ pings });
  },
  startPing(run: PingRun): void {
    useRequests.setState((s) => ({ pings: { ...s.pings, [run.requestId]: run } }));
  },
  updatePing(requestId: string, change: (run: PingRun) => PingRun): void {
    const run = useRequests.getState().pings[requestId];
    if (!run) return;
    useRequests.setState((s) => ({ pings: { ...s.pings, [requestId]: change(run) } }));
  },
};
