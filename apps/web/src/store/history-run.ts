import type { Edit } from '@netcanvas/model';
import { submitEdits, type EditResult } from '../protocol/edits';
import { historyActions, isBlocked, useHistory, type Attempt } from './history';
import { useSession } from './session';
import { uiActions } from './ui';

/**
 * Undo and redo as the buttons and keys run them: checked against the document as it is, sent to
 * the agent as one edit message (one plan, one apply: all of it or nothing), and moved to the
 * other stack only when the agent accepted it. A refusal changes nothing, here or in the kernel.
 */
export const undoLast = (submit: Submit = submitEdits): Promise<void> => run('undo', submit);
export const redoLast = (submit: Submit = submitEdits): Promise<void> => run('redo', submit);

type Submit = (edits: Edit[], options: { record: false }) => Promise<EditResult>;

async function run(verb: 'undo' | 'redo', submit: Submit): Promise<void> {
  const { role, document } = useSession.getState();
  // A viewer has no history (it makes no edits); a second press waits for the first to land.
  if (role !== 'editor' || useHistory.getState().running) return;
  const attempt: Attempt | null =
    verb === 'undo' ? historyActions.attemptUndo(document) : historyActions.attemptRedo(document);
  if (!attempt) return;
  if (!attempt.ok) {
    if (attempt.drop && attempt.step) historyActions.drop(attempt.step);
    uiActions.notify(attempt.message, attempt.step && isBlocked(attempt.step) ? 'info' : 'error');
    return;
  }
  historyActions.running(true);
  try {
    const result = await submit(attempt.edits, { record: false });
    if (!result.ok) {
      uiActions.notify(`Could not ${verb} “${attempt.step.label}”: ${result.message}`, 'error');
      return;
    }
    if (verb === 'undo') historyActions.undone(attempt.step);
    else historyActions.redone(attempt.step);
    const done = `${verb === 'undo' ? 'Undid' : 'Redid'}: ${attempt.step.label}.`;
    // What the plan left as it is (a namespace still holding hand-made interfaces): said, not
    // hidden behind "Undid", since the kernel is not what the step's undo would have made it.
    if (result.notes.length > 0)
      uiActions.notify(`${done} But the kernel kept something: ${result.notes.join('; ')}.`, 'info');
    else uiActions.notify(done);
  } finally {
    historyActions.running(false);
  }
}
