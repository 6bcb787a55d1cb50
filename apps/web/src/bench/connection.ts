import { ServerMessage } from '@netcanvas/model';
import { countersActions } from '../store/counters';
import { layoutActions } from '../store/layout';
import { ratesActions } from '../store/rates';
import { sessionActions, useSession } from '../store/session';

/**
 * An in-memory stand-in for the agent's WebSocket. A message's text goes through what
 * `protocol/socket.ts` does with it: `JSON.parse` and the protocol schema (`parse`), then the same
 * store actions (`dispatch`, a copy of socket.ts's for the messages the bench sends: keep them in
 * step), so what is timed is what the page does when the real message arrives.
 */
export const parse = (text: string): ServerMessage => ServerMessage.parse(JSON.parse(text));

export function dispatch(m: ServerMessage): void {
  switch (m.type) {
    case 'welcome':
      ratesActions.clear();
      countersActions.seed(m.observed);
      if (useSession.getState().lab?.name !== m.lab.name) layoutActions.load(m.lab.name);
      sessionActions.welcome(m);
      layoutActions.settleFrom(m.document);
      return;
    case 'observed': {
      sessionActions.observed(m.patches, m.takenAt);
      const observed = useSession.getState().observed;
      if (observed)
        countersActions.prune(
          observed,
          m.patches.map((p) => (p.op === 'namespace' ? p.namespace.name : p.name)),
        );
      return;
    }
    case 'rates':
      ratesActions.apply(m.rates, m.at);
      return;
    default:
      throw new Error(`the bench does not send ${m.type}`);
  }
}
