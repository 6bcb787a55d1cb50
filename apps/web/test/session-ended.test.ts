import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { welcomeMessage } from './lab-state';

// The page's side of "the session is gone": what GET /api/session's answers mean, and the socket
// that stops reconnecting (and says what to do) once the agent refuses the session, while an agent
// that is only restarting is retried. A fake WebSocket and fetch; node, no DOM.

type Listener = (event: { code?: number; reason?: string; data?: unknown }) => void;

class FakeSocket {
  static readonly OPEN = 1;
  static all: FakeSocket[] = [];
  readyState = 0;
  sent: string[] = [];
  private listeners = new Map<string, Listener[]>();
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  addEventListener(type: string, listener: Listener): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  send(text: string): void {
    this.sent.push(text);
  }
  close(): void {
    this.readyState = 3;
  }
  emit(type: string, event: { code?: number; reason?: string; data?: unknown } = {}): void {
    for (const listener of this.listeners.get(type) ?? []) listener(event);
  }
  /** As a browser reports an upgrade the agent answered with 401: no open, then 1006. */
  refuse(): void {
    this.readyState = 3;
    this.emit('close', { code: 1006, reason: '' });
  }
}

const welcome = welcomeMessage();

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

let answers: (() => Response | Promise<Response>)[];
const fetchMock = vi.fn(() => {
  const next = answers.shift();
  return next ? Promise.resolve(next()) : Promise.reject(new TypeError('fetch failed'));
});

beforeEach(() => {
  vi.resetModules();
  vi.useFakeTimers();
  FakeSocket.all = [];
  answers = [];
  fetchMock.mockClear();
  vi.stubGlobal('WebSocket', FakeSocket);
  vi.stubGlobal('fetch', fetchMock);
  vi.stubGlobal('location', { protocol: 'http:', host: '127.0.0.1:7878' });
  const stored = new Map<string, string>();
  vi.stubGlobal('localStorage', {
    getItem: (k: string) => stored.get(k) ?? null,
    setItem: (k: string, v: string) => stored.set(k, v),
  });
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

/** Fresh modules each test: the socket and the stores are module state. */
async function load() {
  const socket = await import('../src/protocol/socket');
  const { useSession } = await import('../src/store/session');
  const check = await import('../src/protocol/session-check');
  return { ...socket, useSession, ...check };
}

/** Lets the awaited fetch and its .json() settle. */
const settle = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
  await vi.advanceTimersByTimeAsync(0);
};

describe('GET /api/session answers', () => {
  test('401 is "gone" with its reason; 200 is ok; no answer or a 5xx is "unreachable"', async () => {
    const { askSession } = await load();
    answers.push(() => json(401, { reason: 'expired', message: 'x' }));
    expect(await askSession()).toEqual({ kind: 'gone', reason: 'expired' });
    answers.push(() => new Response('not json', { status: 401 }));
    expect(await askSession()).toEqual({ kind: 'gone', reason: 'unknown' });
    answers.push(() => json(200, { role: 'viewer', clientId: 'c-1' }));
    expect(await askSession()).toEqual({ kind: 'ok', session: { role: 'viewer', clientId: 'c-1' } });
    answers.push(() => json(503, {}));
    expect(await askSession()).toEqual({ kind: 'unreachable' });
    expect(await askSession()).toEqual({ kind: 'unreachable' }); // fetch rejects
    expect(fetchMock).toHaveBeenCalledWith('/api/session', expect.objectContaining({ cache: 'no-store' }));
  });

  test('the words: "session ended" unless the page never had one', async () => {
    const { sessionGoneText, SESSION_ENDED_TEXT, NO_SESSION_TEXT } = await load();
    expect(SESSION_ENDED_TEXT).toContain('Your session has ended');
    expect(SESSION_ENDED_TEXT).toContain('netcanvas serve');
    expect(sessionGoneText('expired', false)).toBe(SESSION_ENDED_TEXT);
    expect(sessionGoneText('unknown', true)).toBe(SESSION_ENDED_TEXT);
    expect(sessionGoneText('none', true)).toBe(SESSION_ENDED_TEXT);
    expect(sessionGoneText('none', false)).toBe(NO_SESSION_TEXT);
  });
});

describe('the socket when the session is gone', () => {
  test('after a restart with renewed links: the refused reconnect asks, hears 401, says so and stops', async () => {
    const { startConnection, useSession } = await load();
    startConnection();
    const first = FakeSocket.all[0]!;
    first.readyState = 1;
    first.emit('open');
    answers.push(() => json(200, { role: 'editor', clientId: 'c-0011aabb' })); // the refresh after welcome
    first.emit('message', { data: JSON.stringify(welcome) });
    await settle();
    expect(useSession.getState().connection).toBe('live');

    // The agent stops: closed after a welcome, so simply reconnect (no question asked).
    first.emit('close', { code: 4000, reason: 'shutting-down' });
    expect(useSession.getState().connection).toBe('reconnecting');
    const calls = fetchMock.mock.calls.length;
    await vi.advanceTimersByTimeAsync(300);
    expect(fetchMock.mock.calls.length).toBe(calls);
    const second = FakeSocket.all[1]!;

    // It is back with new links: the upgrade is refused; the page asks why.
    answers.push(() => json(401, { reason: 'unknown', message: 'renewed' }));
    second.refuse();
    await settle();
    const state = useSession.getState();
    expect(state.connection).toBe('ended');
    expect(state.connectionProblem).toContain('Your session has ended');
    expect(state.ready).toBe(false);
    // And it stays stopped: no more sockets, however long we wait.
    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeSocket.all).toHaveLength(2);
  });

  test('a page opened without a link is told to open one, at the first refusal', async () => {
    const { startConnection, useSession, NO_SESSION_TEXT } = await load();
    startConnection();
    answers.push(() => json(401, { reason: 'none', message: 'none' }));
    FakeSocket.all[0]!.refuse();
    await settle();
    expect(useSession.getState()).toMatchObject({ connection: 'ended', connectionProblem: NO_SESSION_TEXT });
  });

  test('an agent that is down (no answer) is retried, with a growing delay, never "ended"', async () => {
    const { startConnection, useSession } = await load();
    startConnection();
    for (let i = 0; i < 4; i++) {
      FakeSocket.all[i]!.refuse(); // fetch rejects too: nobody listens
      await settle();
      expect(useSession.getState().connection).toBe('reconnecting');
      expect(useSession.getState().connectionProblem).toContain('cannot reach the agent');
      await vi.advanceTimersByTimeAsync(2000);
    }
    expect(FakeSocket.all.length).toBeGreaterThanOrEqual(5);
  });

  test('"Try again" after the session ended starts over (e.g. a link was opened in another tab)', async () => {
    const { startConnection, useSession } = await load();
    startConnection();
    answers.push(() => json(401, { reason: 'expired', message: 'expired' }));
    FakeSocket.all[0]!.refuse();
    await settle();
    expect(useSession.getState().connection).toBe('ended');
    startConnection();
    expect(FakeSocket.all).toHaveLength(2);
    expect(useSession.getState()).toMatchObject({ connection: 'connecting', connectionProblem: null });
    const again = FakeSocket.all[1]!;
    again.readyState = 1;
    again.emit('open');
    again.emit('message', { data: JSON.stringify(welcome) });
    await settle();
    expect(useSession.getState().connection).toBe('live');
  });
});
