import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import {
  CLOSE_CODE,
  CloseReason,
  ErrorCode,
  PROTOCOL_VERSION,
  type ClientMessage,
  type ServerMessage,
} from '@netcanvas/model';
import {
  startAgentServer,
  type AgentServer,
  type AgentServerOptions,
  type ClientSession,
} from '../src/server';
import { stubWelcome } from './helpers/stub-welcome';
import { connect, exchangeToken, httpRequest, refusedStatus, type TestClient } from './helpers/ws-client';

// Real ports on 127.0.0.1 (port 0) and the real `ws` client; no root, no kernel. The core is a
// stub that records what reaches it and answers `preview` with an empty plan.

interface StubCore {
  sessions: ClientSession[];
  messages: { clientId: string; message: ClientMessage }[];
  closedSessions: string[];
  /** Resolves once the server has run the session's close handlers (which can be after the client saw the close). */
  whenClosed(clientId: string): Promise<void>;
  onSession: (session: ClientSession) => void;
}

function stubCore(): StubCore {
  const closeWaiters = new Map<string, () => void>();
  const core: StubCore = {
    sessions: [],
    messages: [],
    closedSessions: [],
    whenClosed: (clientId) =>
      core.closedSessions.includes(clientId)
        ? Promise.resolve()
        : new Promise((resolve) => closeWaiters.set(clientId, resolve)),
    onSession(session) {
      core.sessions.push(session);
      session.onClose(() => {
        core.closedSessions.push(session.clientId);
        closeWaiters.get(session.clientId)?.();
      });
      session.send(stubWelcome(session));
      session.onMessage((message) => {
        core.messages.push({ clientId: session.clientId, message });
        if (message.type !== 'preview') return;
        if (message.requestId === 'throw') throw new Error('stub failure');
        if (message.requestId === 'big') {
          // Far more than the kernel's socket buffers hold while the client (in this same
          // process) cannot read: the server must notice the queue, not buffer it all.
          const step = { context: 'x'.repeat(256 * 1024), argv: [], reason: '' };
          for (let i = 0; i < 80; i++)
            session.send({ type: 'previewed', requestId: 'big', steps: [step], conflicts: [] });
          return;
        }
        session.send({ type: 'previewed', requestId: message.requestId, steps: [], conflicts: [] });
      });
    },
  };
  return core;
}

const someEdits = [{ type: 'addNamespace', name: 'ns0' }];
const preview = (requestId: string) => ({ type: 'preview', requestId, edits: someEdits });
const edit = (requestId: string) => ({ type: 'edit', requestId, baseVersion: 0, edits: someEdits });
const ping = (requestId: string) => ({ type: 'ping', requestId, namespace: 'ns0', address: '10.0.0.1' });

const isType =
  <T extends ServerMessage['type']>(type: T) =>
  (m: ServerMessage): m is Extract<ServerMessage, { type: T }> =>
    m.type === type;
const answerTo = (requestId: string) => (m: ServerMessage) => 'requestId' in m && m.requestId === requestId;

/** Starts a server with a stub core; every server and client is closed after each test group. */
async function startStub(
  overrides: Partial<AgentServerOptions> = {},
): Promise<{ server: AgentServer; core: StubCore; logs: string[] }> {
  const core = stubCore();
  const logs: string[] = [];
  const server = await startAgentServer({
    port: 0,
    listen: '127.0.0.1',
    labName: 'test',
    health: () => ({ ok: true, lab: 'test' }),
    onSession: core.onSession,
    log: (line) => logs.push(line),
    ...overrides,
  });
  return { server, core, logs };
}

const openClients: TestClient[] = [];
async function open(
  server: AgentServer,
  cookie: string,
  options?: Parameters<typeof connect>[2],
): Promise<TestClient> {
  const client = await connect(server.origin, cookie, options);
  openClients.push(client);
  return client;
}
afterEach(async () => {
  await Promise.all(openClients.splice(0).map((client) => client.close()));
});

const tokenOf = (url: string): string => new URL(url).search.split('=')[1] ?? '';

describe('agent server: HTTP', () => {
  let server: AgentServer;
  let logs: string[];
  beforeAll(async () => ({ server, logs } = await startStub()));
  afterAll(() => server.close());

  test('GET / answers 503 in plain text when the web app is not built', async () => {
    const answer = await httpRequest(`${server.origin}/`);
    expect(answer.status).toBe(503);
    expect(answer.headers['content-type']).toMatch(/^text\/plain/);
    expect(answer.body).toContain('the web app is not built: run pnpm build:web');
    expect(answer.headers['content-security-policy']).toBe(
      "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
    );
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
    expect(answer.headers['referrer-policy']).toBe('no-referrer');
  });

  test('health answers without a session and carries no token', async () => {
    const answer = await httpRequest(`${server.origin}/api/health`);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ ok: true, lab: 'test' });
    expect(answer.body).not.toContain(tokenOf(server.editorUrl));
    expect(answer.body).not.toContain(tokenOf(server.viewerUrl));
  });

  test('a foreign Host is refused with 421 on every route, and does not use up a token (DNS rebinding)', async () => {
    const url = server.newEditorUrl();
    for (const target of [`${server.origin}/api/health`, `${server.origin}/`, url]) {
      const answer = await httpRequest(target, { headers: { host: `evil.example:${server.port}` } });
      expect(answer.status).toBe(421);
      expect(answer.headers['set-cookie']).toBeUndefined();
    }
    expect(await exchangeToken(url)).toMatch(/=/);
  });

  test('Host must be an allowed name with the server’s own port', async () => {
    const status = async (host: string) =>
      (await httpRequest(`${server.origin}/api/health`, { headers: { host } })).status;
    expect(await status(`localhost:${server.port}`)).toBe(200);
    expect(await status(`LocalHost:${server.port}`)).toBe(200);
    expect(await status(`[::1]:${server.port}`)).toBe(200);
    expect(await status('localhost')).toBe(421);
    expect(await status(`localhost:${server.port + 1}`)).toBe(421);
    expect(await status(`127.0.0.1:${server.port}.evil.example`)).toBe(421);
    expect(await status(`localhost.evil.example:${server.port}`)).toBe(421);
  });

  test('a request that could change state is refused without this agent’s Origin', async () => {
    const post = async (headers: Record<string, string>) =>
      (await httpRequest(`${server.origin}/api/health`, { method: 'POST', headers })).status;
    expect(await post({ origin: 'http://evil.example' })).toBe(403);
    expect(await post({})).toBe(403);
    // Past the Origin check: there is simply no such route.
    expect(await post({ origin: server.origin })).toBe(404);
  });

  test('a wrong editor token is refused with 403 and sets no cookie', async () => {
    for (const query of ['?token=wrong', '?token=', `?token=${tokenOf(server.viewerUrl)}`, '?view=wrong']) {
      const answer = await httpRequest(`${server.origin}/${query}`);
      expect(answer.status).toBe(403);
      expect(answer.headers['set-cookie']).toBeUndefined();
      expect(answer.headers['cache-control']).toBe('no-store');
    }
  });

  test('an editor link works once: cookie and 303 to /, then 403', async () => {
    const url = server.newEditorUrl();
    const first = await httpRequest(url);
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/');
    expect(first.headers['cache-control']).toBe('no-store');
    const cookie = first.headers['set-cookie']?.[0] ?? '';
    expect(cookie).toMatch(/^netcanvas_session_\d+=e\.[0-9a-f]{8}\.\d+\.[A-Za-z0-9_-]{43}; /);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).toContain('Path=/');

    const second = await httpRequest(url);
    expect(second.status).toBe(403);
    expect(second.headers['set-cookie']).toBeUndefined();
  });

  test('HEAD on an editor link (a link previewer) does not use it up', async () => {
    const url = server.newEditorUrl();
    const head = await httpRequest(url, { method: 'HEAD' });
    expect(head.status).toBe(204);
    expect(head.headers['set-cookie']).toBeUndefined();
    expect(await exchangeToken(url)).toMatch(/=/);
  });

  test('the viewer link works more than once, each time with a new session', async () => {
    const a = await exchangeToken(server.viewerUrl);
    const b = await exchangeToken(server.viewerUrl);
    expect(a).not.toBe(b);
  });

  test('logs name refusals but never a token or a session secret', async () => {
    const url = server.newEditorUrl();
    const cookie = await exchangeToken(url);
    await httpRequest(url); // reuse
    await httpRequest(`${server.origin}/?token=not-a-token-${tokenOf(server.viewerUrl)}`);
    await httpRequest(url, { headers: { host: `evil.example:${server.port}` } });
    await refusedStatus(server.origin, cookie, { origin: 'http://evil.example' });
    expect(logs.some((line) => line.includes('refused'))).toBe(true);
    const secrets = [
      tokenOf(url),
      tokenOf(server.editorUrl),
      tokenOf(server.viewerUrl),
      cookie.split('=')[1] ?? '',
    ];
    for (const line of logs) for (const secret of secrets) expect(line).not.toContain(secret);
  });
});

describe('agent server: WebSocket', () => {
  let server: AgentServer;
  let core: StubCore;
  let editor: string;
  let viewer: string;
  beforeAll(async () => {
    ({ server, core } = await startStub());
    editor = await exchangeToken(server.editorUrl);
    viewer = await exchangeToken(server.viewerUrl);
  });
  afterAll(() => server.close());

  /** Runs `refuse` and checks that it reached neither onSession nor onMessage. */
  async function expectNothingReachedCore(refuse: () => Promise<void>) {
    const sessions = core.sessions.length;
    const messages = core.messages.length;
    await refuse();
    expect(core.sessions.length).toBe(sessions);
    expect(core.messages.length).toBe(messages);
  }

  test('an editor session says hello, gets welcome, and its requests reach the core', async () => {
    const client = await open(server, editor);
    const welcome = await client.hello();
    expect(welcome.role).toBe('editor');
    expect(welcome.clientId).toMatch(/^c-[0-9a-f]{8}$/);
    client.send(preview('p1'));
    expect(await client.next(answerTo('p1'))).toMatchObject({ type: 'previewed', steps: [] });
    // Typed on the wire: the core gets the edits as parsed, with the document's defaults.
    expect(core.messages.at(-1)).toEqual({
      clientId: welcome.clientId,
      message: { ...preview('p1'), edits: [expect.objectContaining({ ...someEdits[0], loUp: true })] },
    });
    expect(core.sessions.at(-1)?.role).toBe('editor');
  });

  test('a broadcast is turned into JSON once, however many clients it goes to', async () => {
    const clients = [await open(server, editor), await open(server, viewer), await open(server, editor)];
    for (const client of clients) await client.hello();
    const sessions = core.sessions.slice(-3);
    const message: ServerMessage = { type: 'log', entries: [] };
    const stringify = vi.spyOn(JSON, 'stringify');
    try {
      for (const session of sessions) session.send(message);
      expect(stringify.mock.calls.filter(([value]) => value === message)).toHaveLength(1);
    } finally {
      stringify.mockRestore();
    }
    for (const client of clients) expect(await client.nextOfType('log')).toEqual(message);
  });

  test('a foreign or missing Origin is refused with 403, never by prefix', async () => {
    const port = server.port;
    for (const origin of [
      'http://evil.example:' + port,
      `http://127.0.0.1:${port + 1}`,
      `http://127.0.0.1:${port}.evil.example`,
      `http://127.0.0.1:${port}/`,
      `https://127.0.0.1:${port}`,
      `http://127.0.0.1`,
      'null',
      null,
    ])
      await expectNothingReachedCore(async () => {
        expect(await refusedStatus(server.origin, editor, { origin })).toBe(403);
      });
  });

  test('every allowed name is accepted as Origin', async () => {
    for (const name of ['localhost', '127.0.0.1', '[::1]']) {
      const client = await open(server, editor, { origin: `http://${name}:${server.port}` });
      await client.hello();
    }
  });

  test('a foreign Host on the upgrade is refused with 421 (DNS rebinding)', async () => {
    await expectNothingReachedCore(async () => {
      const host = `evil.example:${server.port}`;
      expect(await refusedStatus(server.origin, editor, { host, origin: `http://${host}` })).toBe(421);
      expect(await refusedStatus(server.origin, editor, { host })).toBe(421);
    });
  });

  test('without a valid session cookie the upgrade is refused with 401', async () => {
    await expectNothingReachedCore(async () => {
      expect(await refusedStatus(server.origin, undefined)).toBe(401);
      const name = editor.split('=')[0] ?? '';
      expect(await refusedStatus(server.origin, `${name}=made-up-secret`)).toBe(401);
      expect(await refusedStatus(server.origin, `${name}=${tokenOf(server.viewerUrl)}`)).toBe(401);
      // A real secret under another agent's cookie name (another port) is not this agent's session.
      expect(await refusedStatus(server.origin, `netcanvas_session_1=${editor.split('=')[1]}`)).toBe(401);
    });
  });

  test('only /ws upgrades', async () => {
    await expectNothingReachedCore(async () => {
      expect(await refusedStatus(server.origin, editor, { path: '/pty' })).toBe(404);
    });
  });

  test('hello with another protocol version is closed with 4000 bad-protocol-version', async () => {
    await expectNothingReachedCore(async () => {
      const client = await open(server, editor);
      client.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION + 1, futureField: true });
      expect(await client.closed).toEqual({ code: CLOSE_CODE, reason: CloseReason.badProtocolVersion });
    });
  });

  test('a first message that is not a hello is closed with 4000 bad-hello', async () => {
    await expectNothingReachedCore(async () => {
      for (const first of [JSON.stringify(preview('p')), 'not json', JSON.stringify({ type: 'hello' })]) {
        const client = await open(server, editor);
        client.sendRaw(first);
        expect(await client.closed).toEqual({ code: CLOSE_CODE, reason: CloseReason.badHello });
      }
    });
  });

  test('a viewer is refused edit, preview and ping with ERR_FORBIDDEN, and the core sees none', async () => {
    const client = await open(server, viewer);
    expect((await client.hello()).role).toBe('viewer');
    await expectNothingReachedCore(async () => {
      for (const message of [edit('e1'), preview('p1'), ping('g1')]) {
        client.send(message);
        expect(await client.next(answerTo(message.requestId))).toEqual({
          type: 'rejected',
          requestId: message.requestId,
          code: ErrorCode.forbidden,
          message: expect.stringContaining('viewer') as unknown,
          path: null,
          currentVersion: -1,
        });
      }
    });
    expect(client.isClosed).toBe(false);
  });

  test('a bad message is answered ERR_BAD_MESSAGE with its path, and the connection stays open', async () => {
    const client = await open(server, editor);
    await client.hello();
    await expectNothingReachedCore(async () => {
      client.send({ type: 'edit', requestId: 'e1', baseVersion: -1, edits: [{}] });
      const error = await client.next(isType('error'));
      expect(error).toMatchObject({
        code: ErrorCode.badMessage,
        message: expect.stringMatching(/^baseVersion: /),
      });
      client.sendRaw('{not json');
      expect(await client.next(isType('error'))).toMatchObject({ code: ErrorCode.badMessage });
      client.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION });
      expect(await client.next(isType('error'))).toMatchObject({
        message: expect.stringMatching(/^type: hello/),
      });
      client.sendRaw(Buffer.from('{}'));
      expect(await client.next(isType('error'))).toMatchObject({
        message: expect.stringContaining('binary'),
      });
    });
    client.send(preview('after'));
    expect(await client.next(answerTo('after'))).toMatchObject({ type: 'previewed' });
  });

  test('an edit whose field is wrong is answered rejected with the path and the version, and reaches no core', async () => {
    const versioned = await startStub({ currentVersion: () => 7 });
    try {
      const editorOf = await exchangeToken(versioned.server.editorUrl);
      const client = await open(versioned.server, editorOf);
      await client.hello();
      const bad = {
        type: 'edit',
        requestId: 'e1',
        baseVersion: 7,
        edits: [
          { type: 'addNamespace', name: 'ns0' },
          { type: 'connect', a: { node: 'ns0', ifname: 'v0' }, b: { node: '-rf', ifname: 'v1' } },
        ],
      };
      client.send(bad);
      expect(await client.next(answerTo('e1'))).toEqual({
        type: 'rejected',
        requestId: 'e1',
        code: ErrorCode.invalid,
        message: 'edits[1].b.node: starts with "-", which commands read as an option',
        path: 'edits[1].b.node',
        currentVersion: 7,
      });
      client.send({ type: 'preview', requestId: 'p1', edits: [{ type: 'setPosition', node: 'ns0' }] });
      expect(await client.next(answerTo('p1'))).toMatchObject({
        type: 'rejected',
        code: ErrorCode.invalid,
        path: 'edits[0].position',
      });
      expect(versioned.core.messages).toEqual([]);
      expect(client.isClosed).toBe(false);
    } finally {
      await versioned.server.close();
    }
  });

  test('a core handler that throws is reported to that client and the agent keeps serving', async () => {
    const client = await open(server, editor);
    await client.hello();
    client.send(preview('throw'));
    expect(await client.next(isType('error'))).toMatchObject({ code: ErrorCode.internal });
    client.send(preview('after'));
    expect(await client.next(answerTo('after'))).toMatchObject({ type: 'previewed' });
  });

  test('a 1 MiB message closes that socket with 1009, and another client is still answered', async () => {
    const big = await open(server, editor);
    await big.hello();
    const other = await open(server, editor);
    await other.hello();
    await expectNothingReachedCore(async () => {
      big.send({ type: 'preview', requestId: 'big', edits: ['x'.repeat(1024 * 1024)] });
      expect((await big.closed).code).toBe(1009);
    });
    other.send(preview('still-here'));
    expect(await other.next(answerTo('still-here'))).toMatchObject({ type: 'previewed' });
  });

  test('a flood is dropped, warned about and closed, while another client is answered', async () => {
    // Its own session: the client id is the session's, and `other` must not count as the flooder.
    const flooder = await open(server, await exchangeToken(server.newEditorUrl()));
    const { clientId } = await flooder.hello();
    const other = await open(server, editor);
    await other.hello();
    const started = performance.now();
    for (let i = 0; i < 2000; i++) flooder.send(preview(`f${i}`));
    other.send(preview('calm'));
    expect(await other.next(answerTo('calm'))).toMatchObject({ type: 'previewed' });
    expect(await flooder.closed).toEqual({ code: CLOSE_CODE, reason: CloseReason.rateLimited });
    const seconds = (performance.now() - started) / 1000;
    expect(flooder.buffered.find(isType('error'))).toMatchObject({ code: ErrorCode.rateLimited });
    // The bucket's own bound (burst + rate × time, +1 for the hello already spent), not a timing guess.
    const reached = core.messages.filter((m) => m.clientId === clientId).length;
    expect(reached).toBeGreaterThan(0);
    expect(reached).toBeLessThanOrEqual(40 + Math.ceil(20 * seconds));
    await core.whenClosed(clientId);
  });
});

describe('agent server: lifecycle and limits', () => {
  test('a client that does not say hello in time is closed with hello-timeout', async () => {
    const { server, core } = await startStub({ limits: { helloTimeoutMs: 50 } });
    try {
      const client = await open(server, await exchangeToken(server.editorUrl));
      expect(await client.closed).toEqual({ code: CLOSE_CODE, reason: CloseReason.helloTimeout });
      expect(core.sessions).toHaveLength(0);
    } finally {
      await server.close();
    }
  });

  test('one connection over a role’s cap is answered 503, and the slot is usable again once freed', async () => {
    const { server, core } = await startStub({ limits: { maxEditorConnections: 2 } });
    try {
      const cookie = await exchangeToken(server.editorUrl);
      const first = await open(server, cookie);
      await open(server, cookie);
      expect(await refusedStatus(server.origin, cookie)).toBe(503);
      await first.close();
      // The freed slot is usable again once the server has seen the close.
      const third = await connectWhenFree(server.origin, cookie);
      await third.hello();
      expect(core.sessions).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  test('viewers cannot lock the editor out: with the viewer cap full, the next viewer gets 503 and an editor still works', async () => {
    // Default limits: 200 viewers, as a class might open.
    const { server } = await startStub();
    try {
      const viewer = await exchangeToken(server.viewerUrl);
      const viewers = await Promise.all(Array.from({ length: 200 }, () => open(server, viewer)));
      await Promise.all(viewers.map((client) => client.hello(PROTOCOL_VERSION, 15_000)));
      expect(await refusedStatus(server.origin, viewer)).toBe(503);
      const editor = await open(server, await exchangeToken(server.editorUrl));
      expect((await editor.hello()).role).toBe('editor');
      editor.send(preview('works'));
      expect(await editor.next(answerTo('works'))).toMatchObject({ type: 'previewed' });
      // Editors have their own cap: it is not shared with viewers either way.
      const { server: small } = await startStub({
        limits: { maxEditorConnections: 1, maxViewerConnections: 1 },
      });
      try {
        const smallEditor = await exchangeToken(small.editorUrl);
        const smallViewer = await exchangeToken(small.viewerUrl);
        await (await open(small, smallEditor)).hello();
        expect(await refusedStatus(small.origin, smallEditor)).toBe(503);
        await (await open(small, smallViewer)).hello();
        expect(await refusedStatus(small.origin, smallViewer)).toBe(503);
      } finally {
        await small.close();
      }
    } finally {
      await server.close();
    }
  }, 30_000);

  test('a client that stops reading is closed as a slow consumer; the agent stays up', async () => {
    const { server, core } = await startStub({ limits: { maxBufferedBytes: 1024 * 1024 } });
    try {
      const cookie = await exchangeToken(server.editorUrl);
      const slow = await open(server, cookie);
      const { clientId } = await slow.hello();
      slow.send(preview('big'));
      expect(await slow.closed).toEqual({ code: CLOSE_CODE, reason: 'slow-consumer' });
      await core.whenClosed(clientId);
      const other = await open(server, cookie);
      await other.hello();
      other.send(preview('ok'));
      expect(await other.next(answerTo('ok'))).toMatchObject({ type: 'previewed' });
    } finally {
      await server.close();
    }
  });

  test('close() ends every socket with shutting-down and stops listening', async () => {
    const { server, core } = await startStub();
    const cookie = await exchangeToken(server.editorUrl);
    const client = await open(server, cookie);
    const { clientId } = await client.hello();
    await server.close();
    expect(await client.closed).toEqual({ code: CLOSE_CODE, reason: CloseReason.shuttingDown });
    expect(core.closedSessions).toEqual([clientId]);
    await expect(httpRequest(`${server.origin}/api/health`)).rejects.toThrow();
  });

  test('a built web app is served, with index.html for client routes and the token links still first', async () => {
    const webRoot = mkdtempSync(path.join(tmpdir(), 'netcanvas-web-'));
    mkdirSync(path.join(webRoot, 'assets'));
    writeFileSync(path.join(webRoot, 'index.html'), '<!doctype html><title>netcanvas</title>');
    writeFileSync(path.join(webRoot, 'assets', 'app.js'), 'console.log(1);');
    const { server } = await startStub({ webRoot });
    try {
      for (const page of ['/', '/labs/demo']) {
        const answer = await httpRequest(`${server.origin}${page}`);
        expect(answer.status).toBe(200);
        expect(answer.body).toContain('<title>netcanvas</title>');
        expect(answer.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      }
      const script = await httpRequest(`${server.origin}/assets/app.js`);
      expect(script.headers['content-type']).toMatch(/javascript/);
      expect((await httpRequest(`${server.origin}/assets/missing.js`)).status).toBe(404);
      expect((await httpRequest(`${server.origin}/api/nothing`)).status).toBe(404);
      expect(await exchangeToken(server.editorUrl)).toMatch(/=/);
    } finally {
      await server.close();
      rmSync(webRoot, { recursive: true, force: true });
    }
  });

  test('allowedHosts must be bare names', async () => {
    await expect(startStub({ allowedHosts: ['lab.example:8080'] })).rejects.toThrow(/not a host name/);
  });
});

/** The server frees a slot when it sees the socket close, which may be a moment after the client does. */
async function connectWhenFree(origin: string, cookie: string): Promise<TestClient> {
  for (let attempt = 0; ; attempt++) {
    try {
      const client = await connect(origin, cookie);
      openClients.push(client);
      return client;
    } catch (error) {
      if (attempt >= 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}
