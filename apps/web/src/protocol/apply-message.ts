import { patchedNamespace, type ServerMessage } from '@netcanvas/model';
import { applyCaptureMessage, captureRejected } from '../capture/capture-store';
import { applyClassMessage, classRejected } from '../class/class-store';
import { applyCheckpointMessage, checkpointRejected } from '../checkpoints/checkpoint-store';
import { applyFlapMessage, flapRejected } from '../effects/flap-store';
import { applyLessonMessage, lessonRejected } from '../lesson/lesson-store';
import { explainRejection } from '../lib/messages';
import { applyPathResult, pathActions, pathRejected } from '../path/path-store';
import { presenterActions } from '../presenter/presenter-store';
import { countersActions } from '../store/counters';
import { fdbAgesActions } from '../store/fdb-ages';
import { historyActions, replacesWholeDocument } from '../store/history';
import { layoutActions } from '../store/layout';
import { ratesActions } from '../store/rates';
import { requestsActions } from '../store/requests';
import { sessionActions, useSession } from '../store/session';
import { uiActions } from '../store/ui';
import { applyTerminalMessage, terminalRejected } from '../terminal/terminal-store';

/**
 * What each message from the agent does to the stores: one place, used by the WebSocket
 * (socket.ts) and by the canvas benchmark's in-memory connection, so what the benchmark times is
 * what the page does. False when the page's state no longer fits what the agent sends (a patch
 * that names what the page lacks): the caller asks for the whole state again.
 */
export function applyServerMessage(m: ServerMessage): boolean {
  switch (m.type) {
    case 'welcome':
      return welcomed(m);
    case 'document':
    case 'documentEdits':
      return newDocument(m);
    case 'observed':
      return observedPatched(m);
    case 'fdbAges':
      fdbAgesActions.apply(m.ages);
      return true;
    case 'ruleCounters':
      countersActions.apply(m.counters, m.at, useSession.getState().observed);
      return true;
    case 'rates':
      ratesActions.apply(m.rates, m.at);
      return true;
    case 'log':
      sessionActions.log(m.entries);
      return true;
    case 'accepted':
    case 'rejected':
      return settleReply(m);
    case 'previewed':
      return true;
    case 'pingLine':
      requestsActions.updatePing(m.requestId, (run) => ({ ...run, lines: [...run.lines, m.line] }));
      return true;
    case 'pingDone':
      requestsActions.updatePing(m.requestId, (run) => ({ ...run, exitCode: m.exitCode }));
      return true;
    case 'pathResult':
      applyPathResult(m);
      return true;
    case 'terminals':
    case 'terminalAttached':
    case 'terminalOutput':
    case 'terminalEnded':
      applyTerminalMessage(m);
      return true;
    case 'captures':
    case 'captureStarted':
    case 'capturePackets':
    case 'captureEnded':
      applyCaptureMessage(m);
      return true;
    case 'flapStarted':
      applyFlapMessage(m);
      return true;
    case 'presenter':
      presenterActions.apply(m);
      return true;
    case 'classStatus':
    case 'classStudents':
    case 'classLinkIssued':
    case 'classResetDone':
      applyClassMessage(m);
      return true;
    case 'lesson':
    case 'lessonProgress':
    case 'lessonAccepted':
      applyLessonMessage(m);
      return true;
    case 'checkpoints':
    case 'checkpointSaved':
    case 'checkpointDeleted':
      return applyCheckpointMessage(m);
    case 'error':
      return notifyError(m);
  }
}

/** A new version of the document, whole or as its edits (false: they do not fit; ask again). */
function newDocument(m: Extract<ServerMessage, { type: 'document' | 'documentEdits' }>): boolean {
  if (m.type === 'document') {
    sessionActions.document(m.version, m.document);
    layoutActions.settleFrom(m.document);
    return true;
  }
  const { version: before, document: held, clientId } = useSession.getState();
  if (!sessionActions.documentEdits(m)) return false;
  // Another page's reset (a checkpoint, the class's teacher) or import: this page's steps are
  // gone with the things they name. This page's own say so where they are asked for.
  if (m.by !== clientId && replacesWholeDocument(held, m.edits))
    historyActions.replaced('another editor replaced the whole lab (a reset or an import)');
  const { version, document } = useSession.getState();
  if (version !== before) layoutActions.settleFrom(document);
  return true;
}

/** Patches of the observed state (false: they do not fit; ask again); stale counters forgotten. */
function observedPatched(m: Extract<ServerMessage, { type: 'observed' }>): boolean {
  const before = useSession.getState().observed;
  if (!sessionActions.observed(m.patches, m.takenAt)) return false;
  const observed = useSession.getState().observed;
  // A packet path's verdict is of the lab as it was: said out of date when what it crossed changed.
  pathActions.observedChanged(m.patches, before, observed);
  if (observed) {
    countersActions.prune(observed, m.patches.map(patchedNamespace));
    fdbAgesActions.prune(observed);
  }
  return true;
}

/** A refusal of a tool's request (not an edit's), kept by that tool's store: true when it was one. */
const toolRejected = (m: Extract<ServerMessage, { type: 'rejected' }>): boolean =>
  captureRejected(m) ||
  terminalRejected(m) ||
  classRejected(m) ||
  flapRejected(m) ||
  checkpointRejected(m) ||
  pathRejected(m) ||
  lessonRejected(m);

/** An answer to a request: a tool's refusal to its store, an edit's answer to whoever waits for it. */
function settleReply(m: Extract<ServerMessage, { type: 'accepted' | 'rejected' }>): true {
  if (m.type === 'rejected' && toolRejected(m)) return true;
  if (!requestsActions.settle(m) && m.type === 'rejected')
    requestsActions.updatePing(m.requestId, (run) => ({ ...run, error: m.message }));
  return true;
}

function notifyError(m: Extract<ServerMessage, { type: 'error' }>): true {
  // Said about what happened; the agent's code and words on the detail line.
  const said = explainRejection({ ...m, path: null }, []);
  uiActions.notify(said.message, 'error', said.detail);
  return true;
}

/** A (new) welcome: the page's state starts again from it. */
function welcomed(m: Extract<ServerMessage, { type: 'welcome' }>): true {
  ratesActions.clear();
  countersActions.seed(m.observed);
  fdbAgesActions.seed(m.observed);
  if (useSession.getState().lab?.name !== m.lab.name) layoutActions.load(m.lab.name);
  sessionActions.welcome(m);
  layoutActions.settleFrom(m.document);
  presenterActions.welcomed(m.role);
  return true;
}
