import type { ServerMessage, TerminalInfo } from '@netcanvas/model';
import { create } from 'zustand';
import { send } from '../protocol/socket';
import { newRequestId } from '../store/requests';
import { useSession } from '../store/session';

/**
 * The page's terminals (issue 12 §1): one tab per terminal the agent runs, attached to its output.
 * Every client shows the running terminals (a viewer watches the trainer's); a reload or a
 * reconnect attaches again and gets the scrollback. What a terminal prints does not go through
 * React: it is kept here (bounded) and handed to the view's xterm.js through `sinks`.
 */

export interface TerminalTab {
  info: TerminalInfo;
  /** Why it ended (its namespace deleted, closed, its shell exited); null while it runs. */
  ended: string | null;
  /** Its output reaches this socket (attached since the last connect). */
  attached: boolean;
}

interface TerminalState {
  /** Whether the agent runs with `--terminals`; null until it says. */
  enabled: boolean | null;
  tabs: TerminalTab[];
  active: string | null;
  /** The panel folded to its tab bar. */
  folded: boolean;
  /** The last refusal (opening a terminal), said in the panel until dismissed or moot. */
  problem: string | null;
  /**
   * The namespace that refusal asked for, when the kernel did not have it then (deleted by hand):
   * the refusal is moot once the namespace is back, and goes.
   */
  problemAwaits: string | null;
}

export const useTerminals = create<TerminalState>(() => ({
  enabled: null,
  tabs: [],
  active: null,
  folded: false,
  problem: null,
  problemAwaits: null,
}));

/** What a view does with output: write it, or start over from a scrollback. */
export interface TerminalSink {
  write(data: string): void;
  reset(scrollback: string): void;
}

const MAX_KEPT = 256 * 1024;
const kept = new Map<string, string>();
const sinks = new Map<string, TerminalSink>();
/** Requests on their way: terminalOpen and terminalAttach, by request id. */
const asking = new Map<string, { kind: 'open' | 'attach'; terminalId?: string; namespace?: string }>();
/** Terminals a viewer closed: not shown again when the list comes. */
const dismissed = new Set<string>();

const setTab = (id: string, change: (tab: TerminalTab) => TerminalTab) =>
  useTerminals.setState((s) => ({ tabs: s.tabs.map((t) => (t.info.id === id ? change(t) : t)) }));

function keep(id: string, data: string, replace = false): void {
  const text = (replace ? '' : (kept.get(id) ?? '')) + data;
  kept.set(id, text.length > MAX_KEPT ? text.slice(text.length - MAX_KEPT) : text);
}

/** The output so far, for a view that mounts; then its sink gets what comes. */
export function connectSink(id: string, sink: TerminalSink): () => void {
  sinks.set(id, sink);
  sink.reset(kept.get(id) ?? '');
  return () => {
    if (sinks.get(id) === sink) sinks.delete(id);
  };
}

function attach(id: string): void {
  const requestId = newRequestId();
  asking.set(requestId, { kind: 'attach', terminalId: id });
  if (!send({ type: 'terminalAttach', requestId, terminalId: id })) asking.delete(requestId);
}

/** The agent's list: new terminals become tabs (and are attached), gone ones say so. */
function syncList(m: Extract<ServerMessage, { type: 'terminals' }>): void {
  const running = new Map(m.terminals.map((t) => [t.id, t]));
  const { tabs } = useTerminals.getState();
  const known = new Set(tabs.map((t) => t.info.id));
  const next = tabs.map((tab) => {
    const info = running.get(tab.info.id);
    if (info) return { ...tab, info };
    return tab.ended ? tab : { ...tab, ended: 'the terminal is no longer running', attached: false };
  });
  const added = m.terminals.filter((t) => !known.has(t.id) && !dismissed.has(t.id));
  for (const info of added) next.push({ info, ended: null, attached: false });
  useTerminals.setState((s) => ({
    enabled: m.enabled,
    tabs: next,
    active: s.active ?? added[0]?.id ?? null,
  }));
  for (const tab of next) if (!tab.ended && !tab.attached) attach(tab.info.id);
}

function attached(m: Extract<ServerMessage, { type: 'terminalAttached' }>): void {
  const asked = asking.get(m.requestId);
  asking.delete(m.requestId);
  const id = m.terminal.id;
  keep(id, m.scrollback, true);
  sinks.get(id)?.reset(m.scrollback);
  const { tabs } = useTerminals.getState();
  if (tabs.some((t) => t.info.id === id)) setTab(id, (t) => ({ ...t, info: m.terminal, attached: true }));
  else
    useTerminals.setState((s) => ({
      tabs: [...s.tabs, { info: m.terminal, ended: null, attached: true }],
      active: asked?.kind === 'open' ? id : (s.active ?? id),
      folded: asked?.kind === 'open' ? false : s.folded,
    }));
  if (asked?.kind === 'open')
    useTerminals.setState({ active: id, problem: null, problemAwaits: null, folded: false });
}

function ended(m: Extract<ServerMessage, { type: 'terminalEnded' }>): void {
  const notice = `\r\n\x1b[1;31m[netcanvas] ${m.reason}\x1b[0m\r\n`;
  keep(m.terminalId, notice);
  sinks.get(m.terminalId)?.write(notice);
  setTab(m.terminalId, (t) => ({ ...t, ended: m.reason, attached: false }));
}

/** Messages about terminals (apply-message.ts hands them here). */
export function applyTerminalMessage(
  m: Extract<ServerMessage, { type: 'terminals' | 'terminalAttached' | 'terminalOutput' | 'terminalEnded' }>,
): void {
  switch (m.type) {
    case 'terminals':
      return syncList(m);
    case 'terminalAttached':
      return attached(m);
    case 'terminalOutput':
      keep(m.terminalId, m.data);
      sinks.get(m.terminalId)?.write(m.data);
      return;
    case 'terminalEnded':
      return ended(m);
  }
}

/** A refusal of one of this store's requests: said in the panel. True when it was one. */
export function terminalRejected(m: Extract<ServerMessage, { type: 'rejected' }>): boolean {
  const asked = asking.get(m.requestId);
  if (!asked) return false;
  asking.delete(m.requestId);
  if (asked.kind === 'open')
    useTerminals.setState({
      problem: m.message,
      problemAwaits: absentNamespace(asked.namespace),
      folded: false,
    });
  else if (asked.terminalId) setTab(asked.terminalId, (t) => ({ ...t, ended: m.message }));
  return true;
}

/** The namespace asked for, when the page's reading of the kernel does not have it. */
function absentNamespace(namespace: string | undefined): string | null {
  const observed = useSession.getState().observed;
  if (namespace === undefined || !observed) return null;
  return observed.namespaces.some((ns) => ns.name === namespace) ? null : namespace;
}

// A refusal for a namespace the kernel lacked goes once the namespace is back (made again).
useSession.subscribe((s, before) => {
  const awaits = useTerminals.getState().problemAwaits;
  if (awaits === null || s.observed === before.observed) return;
  if (s.observed?.namespaces.some((ns) => ns.name === awaits))
    useTerminals.setState({ problem: null, problemAwaits: null });
});

// A new connection has no terminal attached: the list that follows its welcome attaches them again.
useSession.subscribe((s, before) => {
  if (before.ready && !s.ready)
    useTerminals.setState((t) => ({ tabs: t.tabs.map((tab) => ({ ...tab, attached: false })) }));
});

export const terminalActions = {
  /** Editors: a new terminal in a namespace ("root": the lab's root). */
  open(namespace: string, cols = 80, rows = 24): void {
    const requestId = newRequestId();
    asking.set(requestId, { kind: 'open', namespace });
    if (!send({ type: 'terminalOpen', requestId, namespace, cols, rows })) {
      asking.delete(requestId);
      useTerminals.setState({ problem: 'not connected to the agent', problemAwaits: null });
    }
  },
  /** Closes a tab: an editor ends its terminal; a viewer stops watching it. */
  close(id: string): void {
    const tab = useTerminals.getState().tabs.find((t) => t.info.id === id);
    if (!tab) return;
    if (!tab.ended) {
      if (useSession.getState().role === 'editor') send({ type: 'terminalClose', terminalId: id });
      else send({ type: 'terminalDetach', terminalId: id });
      dismissed.add(id);
    }
    kept.delete(id);
    useTerminals.setState((s) => {
      const tabs = s.tabs.filter((t) => t.info.id !== id);
      return { tabs, active: s.active === id ? (tabs[0]?.info.id ?? null) : s.active };
    });
  },
  select(id: string): void {
    useTerminals.setState({ active: id, folded: false });
  },
  /** The panel's refusal read and put away. */
  dismissProblem(): void {
    useTerminals.setState({ problem: null, problemAwaits: null });
  },
  fold(folded: boolean): void {
    useTerminals.setState({ folded });
  },
  input(id: string, data: string): void {
    send({ type: 'terminalInput', terminalId: id, data });
  },
  resize(id: string, cols: number, rows: number): void {
    send({ type: 'terminalResize', terminalId: id, cols, rows });
  },
};
