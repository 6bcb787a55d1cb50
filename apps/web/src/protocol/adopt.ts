import type { EditInput } from '@netcanvas/model';
import { uiActions } from '../store/ui';
import { submitEdits } from './edits';

/**
 * Sends an edit that acts on what was made by hand (adopt, removeHandRule): the agent resolves it
 * against the kernel and says why when it cannot; what an adopt left as it is is said too. The
 * commands it ran reach the command log like any edit's.
 */
export async function submitHandEdit(edit: EditInput, what: string): Promise<boolean> {
  const result = await submitEdits([edit]);
  if (!result.ok) {
    uiActions.notify(`Could not ${what}: ${result.message}`, 'error', result.detail ?? null, true);
    return false;
  }
  if (result.notes.length > 0) uiActions.notify(`Left as it is: ${result.notes.join('; ')}`, 'info');
  return true;
}
