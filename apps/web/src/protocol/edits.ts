import { applyEdits, ErrorCode, parseIpAddress, shellQuote, type EditInput } from '@netcanvas/model';
import { explainIssues, explainRejection, failureSentence } from '../lib/messages';
import { historyActions } from '../store/history';
import { layoutActions } from '../store/layout';
import { newRequestId, requestsActions } from '../store/requests';
import { useSession } from '../store/session';
import { uiActions } from '../store/ui';
import { resync, send } from './socket';

export type EditResult =
  | { ok: true; version: number; failed: string | null; notes: string[] }
  | {
      ok: false;
      /** A sentence about the thing on screen (lib/messages.ts). */
      message: string;
      path: string | null;
      sent: boolean;
      /** What the command line would say: the field path and the model's words, or the agent's code. */
      detail?: string | null;
    };

/** The agent takes at most this many edits in one message. */
const MAX_EDITS = 500;

/** The page's last edits in flight, or answered: the next are checked and sent after their answer. */
let previous: Promise<unknown> = Promise.resolve();

/**
 * `record: false`: not a step of the undo history (an undo or a redo, a new node's place).
 * `step`: the step's name when its edits alone would not say it ("lay out all").
 */
export interface SubmitOptions {
  record?: boolean;
  step?: string;
  /**
   * Converge the whole lab to the document ("Make the kernel match"); otherwise the agent runs
   * only what the edits change, and drift elsewhere stays.
   */
  converge?: boolean;
}

/**
 * Sends edits to the agent, after checking them with the model's own `applyEdits` on the
 * document the agent last confirmed: input the agent would refuse is refused here, with the
 * model's message, and nothing is sent. The canvas changes only when the agent broadcasts the
 * new document. Accepted, the edits are a step of this page's undo history (store/history.ts),
 * unless they are an undo or a redo themselves (`record: false`).
 */
export function submitEdits(edits: EditInput[], options: SubmitOptions = {}): Promise<EditResult> {
  const turn = previous.then(() => submitNow(edits, options));
  previous = turn.catch(() => undefined);
  return turn;
}

/**
 * Edits go one message at a time, each checked, sent and recorded for undo on the document and
 * version the answer to the one before brought (the agent broadcasts a new version before it
 * answers). Sent at once, a second edit went on the version the first was made on, and the page
 * was told "Someone changed the topology first" of its own edit; checked at once, an edit on
 * something the first one makes was refused here. Moves wait their turn too (a save, ~ms).
 */
async function submitNow(edits: EditInput[], options: SubmitOptions): Promise<EditResult> {
  const { document, version, role } = useSession.getState();
  if (role !== 'editor')
    return {
      ok: false,
      message: 'this page is a viewer: it cannot change anything',
      path: null,
      sent: false,
    };
  // `adopt` is resolved against the kernel's state by the agent; everything else is checked here
  // (`removeHandRule` too: it changes no document, and the agent checks the kernel has the rule).
  if (!edits.some((e) => e.type === 'adopt')) {
    const checked = applyEdits(document, edits);
    if (!checked.ok) {
      const first = checked.issues[0];
      return {
        ok: false,
        ...explainIssues(checked.issues, edits, document),
        path: first?.path ?? null,
        sent: false,
      };
    }
  }
  let last: EditResult = { ok: true, version, failed: null, notes: [] };
  for (let i = 0; i < edits.length; i += MAX_EDITS) {
    last = await sendBatch(edits.slice(i, i + MAX_EDITS), options.converge === true);
    if (!last.ok) return last;
  }
  if (options.record !== false) historyActions.record(document, edits, options.step);
  // What the kernel kept that the edit would have removed ("kept namespace ns3: it holds
  // interfaces netcanvas did not make"): said here for an edit of the canvas; an undo and an adopt
  // say it in their own words (history-run.ts, adopt.ts).
  if (last.ok && last.notes.length > 0 && options.record !== false && !edits.some((e) => e.type === 'adopt'))
    uiActions.notify(`The kernel kept something: ${last.notes.join('; ')}.`, 'info');
  return last;
}

async function sendBatch(edits: EditInput[], converge: boolean): Promise<EditResult> {
  const requestId = newRequestId();
  const baseVersion = useSession.getState().version;
  if (!send({ type: 'edit', requestId, baseVersion, edits, ...(converge ? { converge } : {}) }))
    return { ok: false, message: 'not connected to the agent; nothing was sent', path: null, sent: false };
  const reply = await requestsActions.wait(requestId);
  if (reply.type === 'accepted') {
    const refused = reply.outcome.ok ? undefined : reply.outcome.commands.find((c) => c.exitCode !== 0);
    const failed = reply.outcome.ok ? null : (refused?.stderr.trim() ?? 'a command failed');
    if (!failed) uiActions.editAccepted();
    if (failed)
      uiActions.notify(
        refused ? failureSentence(refused) : 'The kernel refused a command.',
        'error',
        refused ? shellQuote(refused.argv) : null,
      );
    // What an adopt left as it is (it cannot be adopted), one sentence each.
    return { ok: true, version: reply.version, failed, notes: reply.outcome.notes ?? [] };
  }
  if (reply.type === 'disconnected')
    return {
      ok: false,
      message: 'the connection to the agent closed before it answered; check the canvas and try again',
      path: null,
      sent: true,
    };
  if (reply.code === ErrorCode.staleVersion) {
    uiActions.notify(
      'Someone changed the topology first; nothing was changed. The canvas now shows the current version: try again.',
      'error',
    );
    // Broadcasts normally bring us up to date already; if one was missed, a new welcome will.
    setTimeout(() => {
      if (useSession.getState().version < reply.currentVersion) resync();
    }, 1000);
  }
  const said = explainRejection(reply, edits, useSession.getState().document);
  return { ok: false, ...said, path: reply.path, sent: true };
}

/** Moving nodes is layout only: the agent accepts it even on an older version. */
export function submitPositions(positions: { node: string; x: number; y: number }[]): void {
  if (positions.length === 0) return;
  void submitEdits(
    positions.map((p) => ({
      type: 'setPosition',
      node: p.node,
      position: { x: Math.round(p.x), y: Math.round(p.y) },
    })),
  ).then((result) => {
    if (result.ok) return;
    layoutActions.settle(new Map(), true);
    uiActions.notify(`Could not save the layout: ${result.message}`, 'error');
  });
}

/** Starts a ping in the lab; its output streams into the requests store. */
export function startPing(
  namespace: string,
  address: string,
  count = 3,
): { ok: true; requestId: string } | { ok: false; message: string } {
  const parsed = parseIpAddress(address.trim());
  if (!parsed.ok) return { ok: false, message: parsed.error };
  const requestId = newRequestId();
  requestsActions.startPing({
    requestId,
    namespace,
    address: parsed.ip,
    lines: [],
    exitCode: null,
    error: null,
  });
  if (!send({ type: 'ping', requestId, namespace, address: parsed.ip, count, timeoutSeconds: 2 })) {
    requestsActions.updatePing(requestId, (run) => ({ ...run, error: 'not connected to the agent' }));
    return { ok: false, message: 'not connected to the agent' };
  }
  return { ok: true, requestId };
}
