import {
  applyObservedPatch,
  emptyTopology,
  followDocumentEdits,
  ObservedPatchMismatch,
  type CommandRecord,
  type ObservedPatch,
  type ObservedState,
  type Role,
  type ServerMessage,
  type Topology,
} from '@netcanvas/model';
import { create } from 'zustand';
import { historyActions } from './history';

/**
 * `failed`: the page cannot talk to this agent (another protocol version): reload. `ended`: the
 * agent no longer knows this browser's session (its links were renewed, or the session expired,
 * or there never was one): only a link helps, so the page stops reconnecting.
 */
export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'failed' | 'ended';

type Welcome = Extract<ServerMessage, { type: 'welcome' }>;

/** What the agent has said: the protocol state. Nothing here is changed by the page on its own. */
export interface SessionState {
  connection: ConnectionState;
  /** When the next reconnect attempt is due (ms since epoch), while reconnecting. */
  retryAt: number | null;
  /** Why the connection is not live, in words a person can act on. */
  connectionProblem: string | null;
  /** True once a welcome arrived on the current socket. */
  ready: boolean;
  role: Role | null;
  clientId: string | null;
  lab: { name: string; kind: 'sandbox' | 'host' } | null;
  version: number;
  document: Topology;
  observed: ObservedState | null;
  log: CommandRecord[];
}

const LOG_KEPT = 500;

export const useSession = create<SessionState>(() => ({
  connection: 'connecting',
  retryAt: null,
  connectionProblem: null,
  ready: false,
  role: null,
  clientId: null,
  lab: null,
  version: 0,
  document: emptyTopology(),
  observed: null,
  log: [],
}));

export const sessionActions = {
  welcome(m: Welcome): void {
    // Undo steps name this lab's things: another lab's page starts with none.
    if (useSession.getState().lab?.name !== m.lab.name) historyActions.clear();
    useSession.setState({
      connection: 'live',
      retryAt: null,
      connectionProblem: null,
      ready: true,
      role: m.role,
      clientId: m.clientId,
      lab: m.lab,
      version: m.version,
      document: m.document,
      observed: m.observed,
      log: m.log.slice(-LOG_KEPT),
    });
  },
  document(version: number, document: Topology): void {
    // Broadcasts arrive in order; an older one can only come from a socket being replaced.
    if (version < useSession.getState().version) return;
    useSession.setState({ version, document });
  },
  /**
   * A new version as the edits that made it from `baseVersion` (the agent sends them to a page it
   * knows holds that version), followed as the agent applied them (the model's
   * `followDocumentEdits`). False when they do not fit what the page holds: it missed something,
   * and only a new welcome puts it right.
   */
  documentEdits(m: Extract<ServerMessage, { type: 'documentEdits' }>): boolean {
    const { version, document } = useSession.getState();
    const held = followDocumentEdits({ version, document }, m);
    if (!held) {
      console.warn(
        `netcanvas: the agent’s edits of version ${m.baseVersion} do not fit this page’s ${version}`,
      );
      return false;
    }
    if (held.version !== version) useSession.setState(held);
    return true;
  },
  /**
   * Patches applied to the observed state (the model's `applyObservedPatch`, which keeps the last
   * interface stats: patches carry no counters). False when they do not fit the state held: this
   * page missed something, and only a new welcome puts it right.
   */
  observed(patches: ObservedPatch[], takenAt: string): boolean {
    const current = useSession.getState().observed;
    if (!current) return true;
    try {
      useSession.setState({ observed: applyObservedPatch(current, patches, takenAt) });
      return true;
    } catch (error) {
      if (error instanceof ObservedPatchMismatch) {
        console.warn('netcanvas: an observed patch did not fit this page’s state', error.message);
        return false;
      }
      throw error;
    }
  },
  log(entries: CommandRecord[]): void {
    const log = [...useSession.getState().log, ...entries];
    useSession.setState({ log: log.length > LOG_KEPT ? log.slice(-LOG_KEPT) : log });
  },
  connection(connection: ConnectionState, extra: { retryAt?: number; problem?: string | null } = {}): void {
    useSession.setState({
      connection,
      retryAt: extra.retryAt ?? null,
      ...(extra.problem !== undefined ? { connectionProblem: extra.problem } : {}),
      ...(connection !== 'live' ? { ready: false } : {}),
    });
  },
};
