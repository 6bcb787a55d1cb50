import { afterEach, describe, expect, it, vi } from 'vitest';
import { ROOT, type ObservedState, type ServerMessage } from '@netcanvas/model';

// The socket as if connected: what the store sends is recorded, not sent.
const sent = vi.hoisted(() => [] as { type: string; requestId?: string }[]);
vi.mock('../src/protocol/socket', () => ({
  send: (message: { type: string; requestId?: string }) => {
    sent.push(message);
    return true;
  },
}));

const { terminalActions, terminalRejected, useTerminals } = await import('../src/terminal/terminal-store');
const { useSession } = await import('../src/store/session');

const observed = (...names: string[]): ObservedState => ({
  target: { kind: 'sandbox', lab: 't', pid: 1 },
  takenAt: '2026-12-03T00:00:00.000Z',
  namespaces: [ROOT, ...names].map((name) => ({ name, managed: true, interfaces: [], fdb: [] })),
});

/** Asks for a terminal in `namespace`, and has the agent refuse it. */
function refusedOpen(namespace: string, message: string): void {
  terminalActions.open(namespace);
  const request = sent.at(-1) as { requestId: string };
  const refusal: Extract<ServerMessage, { type: 'rejected' }> = {
    type: 'rejected',
    requestId: request.requestId,
    code: 'ERR_INVALID',
    message,
    path: 'namespace',
    currentVersion: 1,
  };
  expect(terminalRejected(refusal)).toBe(true);
}

afterEach(() => {
  useTerminals.setState({ problem: null, problemAwaits: null, tabs: [], active: null });
  useSession.setState({ observed: null });
});

describe('the terminal panel’s refusal', () => {
  it('goes once the namespace it asked for, deleted by hand, is made again', () => {
    useSession.setState({ observed: observed('h2') });
    refusedOpen('h1', 'no namespace h1');
    expect(useTerminals.getState().problem).toBe('no namespace h1');
    // Another change that does not bring h1 back: still said.
    useSession.setState({ observed: observed('h2', 'h3') });
    expect(useTerminals.getState().problem).toBe('no namespace h1');
    useSession.setState({ observed: observed('h1', 'h2', 'h3') });
    expect(useTerminals.getState().problem).toBeNull();
  });

  it('stays for a refusal of another kind (the namespace was there), until dismissed', () => {
    useSession.setState({ observed: observed('h1') });
    refusedOpen('h1', 'at most 2 terminals at once');
    useSession.setState({ observed: observed('h1', 'h2') });
    expect(useTerminals.getState().problem).toBe('at most 2 terminals at once');
    terminalActions.dismissProblem();
    expect(useTerminals.getState().problem).toBeNull();
  });
});
