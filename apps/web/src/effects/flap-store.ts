import type { ServerMessage } from '@netcanvas/model';
import { create } from 'zustand';
import { send } from '../protocol/socket';
import { newRequestId } from '../store/requests';

/** This page's link flaps: asked (by request id), and those the agent began (until they end). */
interface Flap {
  node: string;
  ifname: string;
  /** When the end comes up again (the agent's clock), once the agent has taken it down. */
  upAt: string | null;
  error: string | null;
}

interface FlapState {
  flaps: Record<string, Flap>;
}

export const useFlaps = create<FlapState>(() => ({ flaps: {} }));

const endKey = (node: string, ifname: string) => `${node}:${ifname}`;

/** The flap of one end this page asked for, if any (the latest). */
export const useFlapOf = (node: string, ifname: string): Flap | undefined =>
  useFlaps((s) => Object.values(s.flaps).findLast((f) => endKey(f.node, f.ifname) === endKey(node, ifname)));

/** Asks the agent to take the end down for `seconds`, then up; false when not connected. */
export function flapLink(node: string, ifname: string, seconds: number): boolean {
  const requestId = newRequestId();
  const flap: Flap = { node, ifname, upAt: null, error: null };
  useFlaps.setState((s) => ({ flaps: { ...s.flaps, [requestId]: flap } }));
  return send({ type: 'flapLink', requestId, node, ifname, seconds });
}

export function applyFlapMessage(m: Extract<ServerMessage, { type: 'flapStarted' }>): void {
  const known = useFlaps.getState().flaps[m.requestId];
  if (!known) return;
  useFlaps.setState((s) => ({ flaps: { ...s.flaps, [m.requestId]: { ...known, upAt: m.upAt } } }));
}

/** A refusal of this page's flap: kept to show; true when it was one. */
export function flapRejected(m: Extract<ServerMessage, { type: 'rejected' }>): boolean {
  const known = useFlaps.getState().flaps[m.requestId];
  if (!known) return false;
  useFlaps.setState((s) => ({ flaps: { ...s.flaps, [m.requestId]: { ...known, error: m.message } } }));
  return true;
}
