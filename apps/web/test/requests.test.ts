import { describe, expect, it } from 'vitest';
import { ErrorCode, ServerMessage } from '@netcanvas/model';
import { requestsActions, useRequests } from '../src/store/requests';

// The socket closing before an answer is the page's own knowledge, not an answer of the agent:
// it is settled as `disconnected`, never dressed as a `rejected` with a code the agent never sent.
describe('requests in flight when the socket closes', () => {
  it('settle as disconnected, with the version the page had, and nothing stays in flight', async () => {
    const first = requestsActions.wait('w1');
    const second = requestsActions.wait('w2');
    expect(useRequests.getState().inFlight).toBe(2);
    requestsActions.abandonAll(4);
    expect(await first).toEqual({ type: 'disconnected', requestId: 'w1', currentVersion: 4 });
    expect(await second).toEqual({ type: 'disconnected', requestId: 'w2', currentVersion: 4 });
    expect(useRequests.getState().inFlight).toBe(0);
  });

  it('an answer of the agent still settles its request, with a code from the registry', async () => {
    const waiting = requestsActions.wait('w3');
    const answer = ServerMessage.parse({
      type: 'rejected',
      requestId: 'w3',
      code: ErrorCode.staleVersion,
      message: 'the topology changed',
      path: null,
      currentVersion: 5,
    });
    if (answer.type !== 'rejected') throw new Error('expected a rejected');
    expect(requestsActions.settle(answer)).toBe(true);
    expect(await waiting).toMatchObject({ type: 'rejected', code: ErrorCode.staleVersion });
    expect(requestsActions.settle(answer)).toBe(false);
  });
});
