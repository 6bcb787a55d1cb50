import {
  applyEdits,
  changedKeys,
  describeAction,
  driftedKeys,
  Edit,
  inverseOfEdits,
  MAX_EDITS_PER_MESSAGE,
  type EditInput,
  type KeyTexts,
  type Topology,
} from '@netcanvas/model';
import { create } from 'zustand';
import { uiActions } from './ui';

/**
 * This page's undo and redo: what this editor did, each step with the edits that undo it (the
 * model's `inverseOfEdits`, by value). An undo is an edit like any other: sent to the agent,
 * planned and applied on the kernel, logged. Per page and per lab, never shared: another editor's
 * changes are not this page's to undo. A step whose things someone changed since (the undo keys
 * no longer read as the step left them) is refused with a sentence, and dropped.
 */
export interface UndoStep {
  id: number;
  /** "add veth ns1:eth0 ⇄ ns2:eth0": what the buttons' tooltips say. */
  label: string;
  forward: Edit[];
  inverse: Edit[];
  /** The keys the step changed, as they read before it and after it (`undo-keys.ts`). */
  before: KeyTexts;
  after: KeyTexts;
}

/** A step that cannot be undone (an adopt): kept in its place so the undo button can say why. */
export interface BlockedStep {
  id: number;
  label: string;
  reason: string;
}

export type HistoryItem = UndoStep | BlockedStep;
export const isBlocked = (item: HistoryItem): item is BlockedStep => 'reason' in item;

interface HistoryState {
  undo: HistoryItem[];
  redo: UndoStep[];
  /** An undo or redo on its way: the next waits for it (each is planned against the last). */
  running: boolean;
}

/** Steps kept: older ones are forgotten (undo is for the last few things, not a journal). */
export const HISTORY_KEPT = 100;

export const useHistory = create<HistoryState>(() => ({ undo: [], redo: [], running: false }));

let nextId = 0;

/** What happens when a step is asked to go back (undo) or forward again (redo). */
export type Attempt =
  | { ok: true; step: UndoStep; edits: Edit[] }
  | { ok: false; message: string; drop: boolean; step?: HistoryItem };

export const historyActions = {
  /**
   * An edit of this page the agent accepted: `before` is the document it was checked against.
   * `label` names the step when its edits alone would not say it ("lay out all", not "move 9 nodes").
   */
  record(before: Topology, inputs: readonly EditInput[], named?: string): void {
    const parsed = inputs.map((e) => Edit.safeParse(e));
    const edits = parsed.flatMap((p) => (p.success ? [p.data] : []));
    if (edits.length !== inputs.length || edits.length === 0) return;
    const label = named ?? describeAction(before, edits);
    const inverse = inverseOfEdits(before, edits);
    if (!inverse.ok) return push({ id: ++nextId, label, reason: inverse.reason });
    if (inverse.edits.length > MAX_EDITS_PER_MESSAGE)
      return push({
        id: ++nextId,
        label,
        reason: `undoing it takes ${inverse.edits.length} edits, more than the agent applies at once (${MAX_EDITS_PER_MESSAGE}), so it could not be undone all or nothing`,
      });
    const after = applyEdits(before, edits);
    if (!after.ok) return;
    const keys = changedKeys(before, after.value);
    if (Object.keys(keys.after).length === 0) return; // changed nothing: nothing to undo
    push({ id: ++nextId, label, forward: edits, inverse: inverse.edits, ...keys });
  },

  /** Checks the last step against the document as it is now; changes nothing. */
  attemptUndo(doc: Topology): Attempt | null {
    const step = useHistory.getState().undo.at(-1);
    if (!step) return null;
    if (isBlocked(step))
      return { ok: false, drop: true, step, message: `“${step.label}” cannot be undone: ${step.reason}.` };
    return attempt('undo', step, doc, step.after, step.inverse);
  },

  attemptRedo(doc: Topology): Attempt | null {
    const step = useHistory.getState().redo.at(-1);
    if (!step) return null;
    return attempt('redo', step, doc, step.before, step.forward);
  },

  /** The step was undone (the agent accepted its inverse): it can be redone. */
  undone(step: UndoStep): void {
    useHistory.setState((s) => ({ undo: s.undo.filter((x) => x !== step), redo: [...s.redo, step] }));
  },

  redone(step: UndoStep): void {
    useHistory.setState((s) => ({ redo: s.redo.filter((x) => x !== step), undo: [...s.undo, step] }));
  },

  drop(step: HistoryItem): void {
    useHistory.setState((s) => ({
      undo: s.undo.filter((x) => x !== step),
      redo: s.redo.filter((x) => x !== step),
    }));
  },

  running(running: boolean): void {
    useHistory.setState({ running });
  },

  /**
   * The whole document was replaced (a checkpoint reset, a class reset, an import, an example):
   * every step names things as they were before it, so none can be undone or redone any more.
   * Cleared, and said once (`why`: "the lab was reset to cp1"), rather than each step refused
   * one by one as "changed since". Nothing is said when there was nothing to clear.
   */
  replaced(why: string): void {
    const { undo, redo } = useHistory.getState();
    if (undo.length === 0 && redo.length === 0) return;
    useHistory.setState({ undo: [], redo: [] });
    uiActions.notify(`Undo history cleared: ${why}.`, 'info');
  },

  /** Another lab: its history is not this one's. */
  clear(): void {
    useHistory.setState({ undo: [], redo: [], running: false });
  },
};

/**
 * Whether `edits` replace the whole of `held` (model `replaceDocumentEdits`: a checkpoint or class
 * reset, an import): every namespace and bridge it holds is removed. An empty document has none to
 * remove, and nothing to undo either.
 */
export function replacesWholeDocument(held: Topology, edits: readonly Edit[]): boolean {
  if (held.namespaces.length + held.bridges.length === 0) return false;
  const removed = new Set<string>();
  for (const e of edits) {
    if (e.type === 'removeNamespace') removed.add(`ns:${e.name}`);
    if (e.type === 'removeBridge') removed.add(`br:${e.name}`);
  }
  return (
    held.namespaces.every((ns) => removed.has(`ns:${ns.name}`)) &&
    held.bridges.every((br) => removed.has(`br:${br.name}`))
  );
}

function push(item: HistoryItem): void {
  // A new step makes the steps undone before it meaningless to redo: they would undo it.
  useHistory.setState((s) => ({ undo: [...s.undo, item].slice(-HISTORY_KEPT), redo: [] }));
}

function attempt(
  verb: 'undo' | 'redo',
  step: UndoStep,
  doc: Topology,
  expected: KeyTexts,
  edits: Edit[],
): Attempt {
  const drifted = driftedKeys(doc, expected);
  if (drifted.length > 0)
    return {
      ok: false,
      drop: true,
      step,
      message: `Cannot ${verb} “${step.label}”: ${drifted.join(', ')} changed since (by another editor, or an adopt); nothing was changed.`,
    };
  const checked = applyEdits(doc, edits);
  if (!checked.ok)
    return {
      ok: false,
      drop: true,
      step,
      message: `Cannot ${verb} “${step.label}”: it no longer applies (${checked.issues[0]?.message ?? 'the topology refuses it'}); nothing was changed.`,
    };
  return { ok: true, step, edits };
}
