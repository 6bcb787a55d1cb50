import type { XYPosition } from '@xyflow/react';
import { create } from 'zustand';

/** What the inspector shows. Node and edge ids are the adapter's (adapters/ids.ts). */
export type Selection =
  | { kind: 'node'; id: string }
  | { kind: 'interface'; nodeId: string; ifname: string }
  | { kind: 'edge'; id: string }
  | null;

export interface Notice {
  id: number;
  tone: 'info' | 'error';
  text: string;
}

/** A veth being drawn: which two nodes, before the names are confirmed. */
export interface ConnectDraft {
  from: string;
  to: string;
}

/** A namespace or bridge dropped from the palette, before its name is confirmed. */
export interface NewNodeDraft {
  kind: 'namespace' | 'bridge';
  position: XYPosition;
}

interface UiState {
  selection: Selection;
  notices: Notice[];
  connectDraft: ConnectDraft | null;
  newNodeDraft: NewNodeDraft | null;
  /** The shell script shown by "copy as shell script" (also copied when the browser allows). */
  script: string | null;
  logOpen: boolean;
  /** Fit the view once the canvas shows the next document (after opening an example or a file). */
  fitRequested: boolean;
  /** The namespace whose picture of netfilter is open, if any. */
  netfilter: string | null;
}

export const useUi = create<UiState>(() => ({
  selection: null,
  notices: [],
  connectDraft: null,
  newNodeDraft: null,
  script: null,
  logOpen: true,
  fitRequested: false,
  netfilter: null,
}));

let noticeId = 0;
const NOTICE_MS = 8000;

export const uiActions = {
  select(selection: Selection): void {
    useUi.setState({ selection });
  },
  notify(text: string, tone: Notice['tone'] = 'info'): void {
    const id = ++noticeId;
    useUi.setState((s) => ({ notices: [...s.notices.slice(-3), { id, tone, text }] }));
    setTimeout(() => uiActions.dismiss(id), tone === 'error' ? NOTICE_MS * 2 : NOTICE_MS);
  },
  dismiss(id: number): void {
    useUi.setState((s) => ({ notices: s.notices.filter((n) => n.id !== id) }));
  },
  draftConnect(draft: ConnectDraft | null): void {
    useUi.setState({ connectDraft: draft });
  },
  draftNode(draft: NewNodeDraft | null): void {
    useUi.setState({ newNodeDraft: draft });
  },
  showScript(script: string | null): void {
    useUi.setState({ script });
  },
  requestFit(requested = true): void {
    useUi.setState({ fitRequested: requested });
  },
  showNetfilter(namespace: string | null): void {
    useUi.setState({ netfilter: namespace });
  },
  toggleLog(): void {
    useUi.setState((s) => ({ logOpen: !s.logOpen }));
  },
};
