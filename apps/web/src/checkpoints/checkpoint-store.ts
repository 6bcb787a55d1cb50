import { checkpointNameProblem, type CheckpointInfo, type ServerMessage } from '@netcanvas/model';
import { create } from 'zustand';
import { explainRejection } from '../lib/messages';
import { plural } from '../lib/plural';
import { send } from '../protocol/socket';
import { historyActions } from '../store/history';
import { newRequestId, requestsActions } from '../store/requests';
import { formatTime } from '../lib/format';

/** The lab's checkpoints as the agent last listed them (it sends the list on welcome, after each save and delete). */
interface CheckpointState {
  checkpoints: CheckpointInfo[];
}

export const useCheckpoints = create<CheckpointState>(() => ({ checkpoints: [] }));

export type CheckpointResult = { ok: true; message: string } | { ok: false; message: string };

/** "saved 17:02:11: 3 namespaces, 1 bridge, 3 veth pairs": a checkpoint in the menu, counts agreeing. */
export const checkpointContents = (c: CheckpointInfo): string =>
  `saved ${formatTime(c.savedAt)}: ${plural(c.namespaces, 'namespace')}, ${plural(c.bridges, 'bridge')}, ${plural(c.links, 'veth pair')}`;

/** Saves and deletes of this page waiting for the agent's answer, by request id. */
const saving = new Map<string, (result: CheckpointResult) => void>();
const deleting = new Map<string, (result: CheckpointResult) => void>();

/** Asks the agent to save the lab's document as `name`; checked here first, as the agent checks it. */
export function saveCheckpoint(name: string): Promise<CheckpointResult> {
  const why = checkpointNameProblem(name);
  if (why !== null) return Promise.resolve({ ok: false, message: `The name ${why}.` });
  const requestId = newRequestId();
  if (!send({ type: 'checkpointSave', requestId, name }))
    return Promise.resolve({ ok: false, message: 'Not connected to the agent; nothing was saved.' });
  return new Promise((resolve) => saving.set(requestId, resolve));
}

/** Asks the agent to forget a checkpoint (the lab itself is not changed). */
export function deleteCheckpoint(name: string): Promise<CheckpointResult> {
  const requestId = newRequestId();
  if (!send({ type: 'checkpointDelete', requestId, name }))
    return Promise.resolve({ ok: false, message: 'Not connected to the agent; nothing was deleted.' });
  return new Promise((resolve) => deleting.set(requestId, resolve));
}

/** Resets the lab to a checkpoint: the agent answers as it answers an edit. */
export async function resetToCheckpoint(name: string): Promise<CheckpointResult> {
  const requestId = newRequestId();
  if (!send({ type: 'checkpointReset', requestId, name }))
    return { ok: false, message: 'Not connected to the agent; nothing was changed.' };
  const reply = await requestsActions.wait(requestId);
  if (reply.type === 'disconnected')
    return { ok: false, message: 'The connection closed before the agent answered; check the canvas.' };
  if (reply.type === 'rejected') return { ok: false, message: explainRejection(reply, []).message };
  // The document was replaced, even when a command failed: the old steps name what is gone.
  historyActions.replaced(`the lab was reset to ${name}`);
  if (!reply.outcome.ok)
    return { ok: false, message: `Reset to "${name}", but a command failed: the command log says which.` };
  return { ok: true, message: `The lab is back to checkpoint "${name}".` };
}

/** The agent's list, or its answer to this page's save or delete; true (the message is always one of these). */
export function applyCheckpointMessage(
  m: Extract<ServerMessage, { type: 'checkpoints' | 'checkpointSaved' | 'checkpointDeleted' }>,
): true {
  if (m.type === 'checkpoints') {
    useCheckpoints.setState({ checkpoints: m.checkpoints });
    return true;
  }
  if (m.type === 'checkpointDeleted') {
    deleting.get(m.requestId)?.({ ok: true, message: `Deleted checkpoint "${m.name}".` });
    deleting.delete(m.requestId);
    return true;
  }
  const done = saving.get(m.requestId);
  saving.delete(m.requestId);
  done?.({
    ok: true,
    message: `${m.replaced ? 'Replaced' : 'Saved'} checkpoint "${m.checkpoint.name}".`,
  });
  return true;
}

/** A refusal of this page's save or delete: answered to its caller; true when it was one. */
export function checkpointRejected(m: Extract<ServerMessage, { type: 'rejected' }>): boolean {
  for (const [waiting, what] of [
    [saving, 'saved'],
    [deleting, 'deleted'],
  ] as const) {
    const done = waiting.get(m.requestId);
    if (!done) continue;
    waiting.delete(m.requestId);
    done({ ok: false, message: `Not ${what}: ${m.message}` });
    return true;
  }
  return false;
}
