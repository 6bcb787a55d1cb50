import type { CaptureInfo, CapturedLine, ServerMessage } from '@netcanvas/model';
import { create } from 'zustand';

/**
 * The agent's packet captures as this page sees them: each capture's description and its newest
 * lines (at most LINES_KEPT: a long capture is downloaded as pcap, not held in the page), the
 * capture the panel shows, and the requests this page sent (start, stop) until answered.
 */
export const LINES_KEPT = 2000;
/** A capture counts as moving packets (the edge animates) this long after its last batch. */
const MOVING_MS = 1500;

export interface CaptureView {
  info: CaptureInfo;
  lines: CapturedLine[];
  /** Packets the agent did not send as lines (a flood), and lines this page let go (LINES_KEPT). */
  notShown: number;
  /** Packets arrived within the last MOVING_MS. */
  moving: boolean;
}

interface CaptureState {
  captures: Record<string, CaptureView>;
  /** Newest first. */
  order: string[];
  /** The capture the panel shows; null: the panel is closed. */
  shown: string | null;
  /** A start request's refusal, by request id (shown beside the form that sent it). */
  refusals: Record<string, { message: string; path: string | null }>;
  /** Start requests sent and not yet answered. */
  starting: string[];
}

export const useCaptures = create<CaptureState>(() => ({
  captures: {},
  order: [],
  shown: null,
  refusals: {},
  starting: [],
}));

const movingTimers = new Map<string, ReturnType<typeof setTimeout>>();

function put(info: CaptureInfo, change: (view: CaptureView) => Partial<CaptureView> = () => ({})): void {
  useCaptures.setState((s) => {
    const before = s.captures[info.id] ?? { info, lines: [], notShown: 0, moving: false };
    const view = { ...before, info, ...change(before) };
    const order = s.order.includes(info.id) ? s.order : [info.id, ...s.order];
    return { captures: { ...s.captures, [info.id]: view }, order };
  });
}

function received(m: Extract<ServerMessage, { type: 'capturePackets' }>): void {
  const view = useCaptures.getState().captures[m.captureId];
  if (!view) return;
  const all = view.lines.concat(m.lines);
  const dropped = Math.max(0, all.length - LINES_KEPT);
  put({ ...view.info, packets: m.packets, bytes: m.bytes }, () => ({
    lines: dropped > 0 ? all.slice(dropped) : all,
    notShown: view.notShown + m.skipped + dropped,
    moving: m.lines.length > 0 || view.moving,
  }));
  clearTimeout(movingTimers.get(m.captureId));
  movingTimers.set(
    m.captureId,
    setTimeout(() => {
      const now = useCaptures.getState().captures[m.captureId];
      if (now) put(now.info, () => ({ moving: false }));
    }, MOVING_MS),
  );
}

type CaptureMessage = Extract<
  ServerMessage,
  { type: 'captures' | 'captureStarted' | 'capturePackets' | 'captureEnded' }
>;

export function applyCaptureMessage(m: CaptureMessage): void {
  switch (m.type) {
    case 'captures': {
      const known = useCaptures.getState().captures;
      const order = m.captures.map((c) => c.id).reverse();
      const captures = Object.fromEntries(
        m.captures.map((c) => [
          c.id,
          { ...(known[c.id] ?? { lines: [], notShown: 0 }), info: c, moving: false },
        ]),
      );
      useCaptures.setState((s) => ({
        captures,
        order,
        shown: s.shown && captures[s.shown] ? s.shown : null,
      }));
      return;
    }
    case 'captureStarted': {
      put(m.capture);
      const mine = m.requestId !== null && useCaptures.getState().starting.includes(m.requestId);
      if (mine)
        useCaptures.setState((s) => ({
          shown: m.capture.id,
          starting: s.starting.filter((r) => r !== m.requestId),
        }));
      return;
    }
    case 'capturePackets':
      return received(m);
    case 'captureEnded':
      clearTimeout(movingTimers.get(m.capture.id));
      return put(m.capture, () => ({ moving: false }));
  }
}

/** A refusal of this page's capture request: kept for its form; true when it was one. */
export function captureRejected(m: Extract<ServerMessage, { type: 'rejected' }>): boolean {
  if (!useCaptures.getState().starting.includes(m.requestId)) return false;
  useCaptures.setState((s) => ({
    starting: s.starting.filter((r) => r !== m.requestId),
    refusals: { ...s.refusals, [m.requestId]: { message: m.message, path: m.path } },
  }));
  return true;
}

export const captureActions = {
  sent(requestId: string): void {
    useCaptures.setState((s) => ({ starting: [...s.starting, requestId] }));
  },
  show(id: string | null): void {
    useCaptures.setState({ shown: id });
  },
};

/**
 * Whether a capture moving packets runs on either end of a veth (the edge animates): a boolean, so
 * an edge re-renders only when that changes, never per packet.
 */
export function useCaptureMoving(a: { context: string; ifname: string } | undefined, b?: typeof a): boolean {
  return useCaptures((s) =>
    s.order.some((id) => {
      const view = s.captures[id];
      if (!view?.moving || view.info.ended !== null) return false;
      const on = (end: typeof a) => end?.context === view.info.namespace && end.ifname === view.info.ifname;
      return on(a) || on(b);
    }),
  );
}
