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
  /** What the command line would say (a field path, the agent's code), on a line under the text. */
  detail?: string | null;
  /** An edit's refusal: out of date once a later edit is accepted (the lab has moved on). */
  refusal?: boolean;
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
  /**
   * The presenter view (`?present` in the address): the canvas fills the window, type is large and
   * dark, the inspector is a drawer over the canvas, the log a one-line ticker.
   */
  present: boolean;
  /** The inspector's drawer is open (in the presenter view and narrow windows, where it lies over the canvas). */
  drawer: boolean;
  /**
   * Fit the view once the canvas shows the next document (after opening an example or a file), or
   * every node of a large lab (the Fit buttons: 'animated'); the canvas fits (canvas/Canvas.tsx).
   */
  fitRequested: boolean | 'animated';
  /** The namespace whose picture of netfilter is open, if any. */
  netfilter: string | null;
}

export const useUi = create<UiState>(() => ({
  selection: null,
  notices: [],
  connectDraft: null,
  newNodeDraft: null,
  script: null,
  present: presentInAddress(),
  drawer: false,
  fitRequested: false,
  netfilter: null,
}));

function presentInAddress(): boolean {
  return typeof location !== 'undefined' && new URLSearchParams(location.search).has('present');
}

const sameSelection = (a: Selection, b: Selection): boolean => JSON.stringify(a) === JSON.stringify(b);

let noticeId = 0;
const NOTICE_MS = 8000;

export const uiActions = {
  /** Selects; something newly selected opens the inspector's drawer, nothing selected closes it. */
  select(selection: Selection): void {
    const { selection: before, drawer } = useUi.getState();
    const opened = selection === null ? false : sameSelection(before, selection) ? drawer : true;
    useUi.setState({ selection, drawer: opened });
  },
  showDrawer(open: boolean): void {
    useUi.setState({ drawer: open });
  },
  /** Enters or leaves the presenter view, and says so in the address (a reload keeps it). */
  setPresent(present: boolean): void {
    useUi.setState({ present, drawer: false });
    const url = new URL(location.href);
    if (present) url.searchParams.set('present', '');
    else url.searchParams.delete('present');
    history.replaceState(history.state, '', url.href.replace(/([?&]present)=(?=&|$|#)/, '$1'));
  },
  notify(text: string, tone: Notice['tone'] = 'info', detail: string | null = null, refusal = false): void {
    const id = ++noticeId;
    useUi.setState((s) => ({
      notices: [...s.notices.slice(-3), { id, tone, text, detail, ...(refusal ? { refusal } : {}) }],
    }));
    setTimeout(() => uiActions.dismiss(id), tone === 'error' ? NOTICE_MS * 2 : NOTICE_MS);
  },
  /** An edit was accepted: an earlier edit's refusal no longer says how the lab is. */
  editAccepted(): void {
    useUi.setState((s) =>
      s.notices.some((n) => n.refusal) ? { notices: s.notices.filter((n) => !n.refusal) } : s,
    );
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
  requestFit(requested: boolean | 'animated' = true): void {
    useUi.setState({ fitRequested: requested });
  },
  showNetfilter(namespace: string | null): void {
    useUi.setState({ netfilter: namespace });
  },
};
