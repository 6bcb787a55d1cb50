import type { ServerMessage } from '@netcanvas/model';
import { countersActions } from '../store/counters';
import { fdbAgesActions } from '../store/fdb-ages';
import { layoutActions } from '../store/layout';
import { ratesActions } from '../store/rates';
import { requestsActions } from '../store/requests';
import { sessionActions, useSession } from '../store/session';
import { uiActions } from '../store/ui';

/**
 * What each message from the agent does to the stores: one place, used by the WebSocket
 * (socket.ts) and by the canvas benchmark's in-memory connection, so what the benchmark times is
 * what the page does.
 */
export function applyServerMessage(m: ServerMessage): void {
  switch (m.type) {
    case 'welcome':
      ratesActions.clear();
      countersActions.seed(m.observed);
      fdbAgesActions.seed(m.observed);
      if (useSession.getState().lab?.name !== m.lab.name) layoutActions.load(m.lab.name);
      sessionActions.welcome(m);
      layoutActions.settleFrom(m.document);
      return;
    case 'document':
      sessionActions.document(m.version, m.document);
      layoutActions.settleFrom(m.document);
      return;
    case 'observed': {
      sessionActions.observed(m.patches, m.takenAt);
      const observed = useSession.getState().observed;
      if (observed) {
        countersActions.prune(
          observed,
          m.patches.map((p) => (p.op === 'namespace' ? p.namespace.name : p.name)),
        );
        fdbAgesActions.prune(observed);
      }
      return;
    }
    case 'fdbAges':
      fdbAgesActions.apply(m.ages);
      return;
    case 'ruleCounters':
      countersActions.apply(m.counters, m.at, useSession.getState().observed);
      return;
    case 'rates':
      ratesActions.apply(m.rates, m.at);
      return;
    case 'log':
      sessionActions.log(m.entries);
      return;
    case 'accepted':
    case 'rejected':
      if (!requestsActions.settle(m) && m.type === 'rejected')
        requestsActions.updatePing(m.requestId, (run) => ({ ...run, error: m.message }));
      return;
    case 'previewed':
      return;
    case 'pingLine':
      requestsActions.updatePing(m.requestId, (run) => ({ ...run, lines: [...run.lines, m.line] }));
      return;
    case 'pingDone':
      requestsActions.updatePing(m.requestId, (run) => ({ ...run, exitCode: m.exitCode }));
      return;
    case 'error':
      uiActions.notify(`${m.code}: ${m.message}`, 'error');
      return;
  }
}
