import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import {
  startAgentServer,
  type AgentServer,
  type AgentServerOptions,
  type ClientSession,
} from '../src/server';
import { stubWelcome } from './helpers/stub-welcome';
import { connect, exchangeToken, httpRequest, refusedStatus, type TestClient } from './helpers/ws-client';

// Sessions that outlive the agent: the key in the lab's state folder, signed cookies with an
// expiry, the viewer link derived from the key, `--new-links`, and GET /api/session. Real ports
// on 127.0.0.1, the real `ws` client, a stub core that only says welcome. No root.

const DAY = 24 * 60 * 60 * 1000;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'netcanvas-sessions-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let counter = 0;
/** A fresh key file path in its own (not yet existing) lab folder. */
const keyFile = () => path.join(dir, `lab${++counter}`, 'session.key');

const running: AgentServer[] = [];
const clients: TestClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(running.splice(0).map((s) => s.close()));
});

function welcomeOnly(session: ClientSession): void {
  session.send(stubWelcome(session));
}

async function start(
  overrides: Partial<AgentServerOptions> = {},
): Promise<{ server: AgentServer; logs: string[] }> {
  const logs: string[] = [];
  const server = await startAgentServer({
    port: 0,
    listen: '127.0.0.1',
    labName: 'test',
    health: () => ({ ok: true }),
    onSession: welcomeOnly,
    log: (line) => logs.push(line),
    ...overrides,
  });
  running.push(server);
  return { server, logs };
}

/** Closes a server and starts another on the same port (cookie names carry the port, as after a real restart). */
async function restart(
  server: AgentServer,
  overrides: Partial<AgentServerOptions>,
): Promise<{ server: AgentServer; logs: string[] }> {
  await server.close();
  running.splice(running.indexOf(server), 1);
  return start({ port: server.port, ...overrides });
}

async function welcomeWith(server: AgentServer, cookie: string) {
  const client = await connect(server.origin, cookie);
  clients.push(client);
  return client.hello();
}

const sessionAnswer = (server: AgentServer, cookie?: string, host?: string) =>
  httpRequest(`${server.origin}/api/session`, {
    headers: { ...(cookie === undefined ? {} : { cookie }), ...(host === undefined ? {} : { host }) },
  });

const tokenOf = (url: string): string => new URL(url).search.split('=')[1] ?? '';

describe('sessions that survive a restart', () => {
  test('a second server with the same key file accepts the first one’s cookies and has the same viewer link', async () => {
    const file = keyFile();
    const { server: first } = await start({ sessionKeyFile: file });
    const editor = await exchangeToken(first.editorUrl);
    const viewer = await exchangeToken(first.viewerUrl);
    const before = await welcomeWith(first, editor);
    const viewerUrl = first.viewerUrl;

    const { server: second } = await restart(first, { sessionKeyFile: file });
    expect(second.viewerUrl).toBe(viewerUrl);
    const after = await welcomeWith(second, editor);
    expect(after.role).toBe('editor');
    expect(after.clientId).toBe(before.clientId);
    expect((await welcomeWith(second, viewer)).role).toBe('viewer');
    // The old viewer link still opens a session; the old one-time editor link does not.
    expect(await exchangeToken(viewerUrl)).toMatch(/=/);
    expect((await httpRequest(first.editorUrl)).status).toBe(403);
  });

  test('new links (rotate): every old cookie and the old viewer link are refused; the new key is kept', async () => {
    const file = keyFile();
    const { server: first } = await start({ sessionKeyFile: file });
    const editor = await exchangeToken(first.editorUrl);
    const viewer = await exchangeToken(first.viewerUrl);
    const oldKey = readFileSync(file, 'utf8');

    const { server: second, logs } = await restart(first, { sessionKeyFile: file, newLinks: true });
    expect(second.viewerUrl).not.toBe(first.viewerUrl);
    expect(readFileSync(file, 'utf8')).not.toBe(oldKey);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(await refusedStatus(second.origin, editor)).toBe(401);
    expect(await refusedStatus(second.origin, viewer)).toBe(401);
    expect((await sessionAnswer(second, editor)).status).toBe(401);
    expect((await httpRequest(`${second.origin}/?view=${tokenOf(first.viewerUrl)}`)).status).toBe(403);
    expect(logs.some((line) => /renew/i.test(line))).toBe(true);

    // The renewed key is the one kept: a plain restart after it keeps the new link and sessions.
    const fresh = await exchangeToken(second.editorUrl);
    const { server: third } = await restart(second, { sessionKeyFile: file });
    expect(third.viewerUrl).toBe(second.viewerUrl);
    expect((await welcomeWith(third, fresh)).role).toBe('editor');
  });

  test('an expired session is refused on the WebSocket and by /api/session; a live one is not', async () => {
    let now = Date.parse('2030-01-01T00:00:00Z');
    const clock = () => now;
    const { server } = await start({ sessionKeyFile: keyFile(), clock });
    const editor = await exchangeToken(server.editorUrl);
    const viewer = await exchangeToken(server.viewerUrl);
    now += 6 * DAY;
    expect((await welcomeWith(server, editor)).role).toBe('editor');
    now += 2 * DAY;
    expect(await refusedStatus(server.origin, editor)).toBe(401);
    const answer = await sessionAnswer(server, editor);
    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.body)).toMatchObject({ reason: 'expired' });
    // Viewer sessions expire too (the viewer link itself does not: it opens a new one).
    now += 30 * DAY;
    expect(await refusedStatus(server.origin, viewer)).toBe(401);
    expect((await welcomeWith(server, await exchangeToken(server.viewerUrl))).role).toBe('viewer');
  });

  test('a session is refreshed on use: /api/session re-issues the cookie, and the new one lives on', async () => {
    let now = Date.parse('2030-01-01T00:00:00Z');
    const { server } = await start({ sessionKeyFile: keyFile(), clock: () => now });
    const editor = await exchangeToken(server.editorUrl);
    const { clientId } = await welcomeWith(server, editor);
    now += 5 * DAY;
    const answer = await sessionAnswer(server, editor);
    expect(answer.status).toBe(200);
    const renewed = (answer.headers['set-cookie'] as string[] | undefined)?.[0] ?? '';
    expect(renewed).toContain('HttpOnly');
    expect(renewed).toContain('SameSite=Strict');
    const cookie = renewed.split(';')[0] ?? '';
    now += 5 * DAY;
    expect(await refusedStatus(server.origin, editor)).toBe(401);
    const again = await welcomeWith(server, cookie);
    expect(again).toMatchObject({ role: 'editor', clientId });
  });

  test('the same cookie is the same client on every connection; another cookie is another client', async () => {
    const { server } = await start({ sessionKeyFile: keyFile() });
    const editor = await exchangeToken(server.editorUrl);
    const a = await welcomeWith(server, editor);
    const b = await welcomeWith(server, editor);
    expect(b.clientId).toBe(a.clientId);
    expect(a.clientId).toMatch(/^c-[0-9a-f]{8}$/);
    const other = await welcomeWith(server, await exchangeToken(server.newEditorUrl()));
    expect(other.clientId).not.toBe(a.clientId);
    const viewer1 = await welcomeWith(server, await exchangeToken(server.viewerUrl));
    const viewer2 = await welcomeWith(server, await exchangeToken(server.viewerUrl));
    expect(viewer1.clientId).not.toBe(viewer2.clientId);
  });
});

describe('GET /api/session', () => {
  let server: AgentServer;
  let logs: string[];
  let file: string;
  beforeAll(async () => {
    file = keyFile();
    ({ server, logs } = await start({ sessionKeyFile: file }));
    running.splice(running.indexOf(server), 1); // kept for the whole group
  });
  afterAll(() => server.close());

  test('answers 401 without a valid cookie, with why, and no-store', async () => {
    const editor = await exchangeToken(server.newEditorUrl());
    const name = editor.split('=')[0] ?? '';
    const value = editor.split('=')[1] ?? '';
    const cases: [string | undefined, string][] = [
      [undefined, 'none'],
      ['other=1', 'none'],
      [`${name}=made-up`, 'unknown'],
      [`${name}=${value.slice(0, -2)}xx`, 'unknown'],
      [`${name}=${tokenOf(server.viewerUrl)}`, 'unknown'],
      [`${name}=${'x'.repeat(5000)}`, 'unknown'],
      // A real cookie under another agent's name (another port) is not this agent's session.
      [`netcanvas_session_1=${value}`, 'none'],
    ];
    for (const [cookie, reason] of cases) {
      const answer = await sessionAnswer(server, cookie);
      expect(answer.status, String(cookie)).toBe(401);
      expect(answer.headers['cache-control']).toBe('no-store');
      expect(answer.headers['set-cookie']).toBeUndefined();
      expect(JSON.parse(answer.body)).toMatchObject({ reason });
    }
  });

  test('answers the role and client id for a valid cookie, and carries no secret', async () => {
    const editor = await exchangeToken(server.newEditorUrl());
    const { clientId } = await welcomeWith(server, editor);
    const answer = await sessionAnswer(server, editor);
    expect(answer.status).toBe(200);
    expect(answer.headers['cache-control']).toBe('no-store');
    expect(JSON.parse(answer.body)).toEqual({ role: 'editor', clientId });
    const viewer = await exchangeToken(server.viewerUrl);
    expect(JSON.parse((await sessionAnswer(server, viewer)).body)).toMatchObject({ role: 'viewer' });
    const key = readFileSync(file, 'utf8').trim();
    for (const body of [answer.body, (await sessionAnswer(server)).body])
      for (const secret of [key, tokenOf(server.viewerUrl), tokenOf(server.editorUrl), editor.split('=')[1]!])
        expect(body).not.toContain(secret);
    // Host is checked like on every other route (DNS rebinding).
    const rebound = await sessionAnswer(server, editor, `evil.example:${server.port}`);
    expect(rebound.status).toBe(421);
    expect(rebound.body).not.toContain(clientId);
  });

  test('logs carry neither the key nor a cookie', async () => {
    const editor = await exchangeToken(server.newEditorUrl());
    await sessionAnswer(server, `${editor}x`);
    await refusedStatus(server.origin, `${editor}x`);
    const key = readFileSync(file, 'utf8').trim();
    expect(logs.length).toBeGreaterThan(0);
    for (const line of logs)
      for (const secret of [key, editor.split('=')[1]!, tokenOf(server.viewerUrl)])
        expect(line).not.toContain(secret);
  });
});

describe('the key file', () => {
  test('is created with mode 0600 in a new folder, holding 256 random bits, and no temp file is left', async () => {
    const file = keyFile();
    const { server } = await start({ sessionKeyFile: file });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(file)).mode & 0o077).toBe(0);
    expect(readFileSync(file, 'utf8')).toMatch(/^[0-9a-f]{64}\n$/);
    const { readdirSync } = await import('node:fs');
    expect(readdirSync(path.dirname(file))).toEqual(['session.key']);
    // Another lab (another key file) has another viewer link.
    const other = await start({ sessionKeyFile: keyFile() });
    expect(tokenOf(other.server.viewerUrl)).not.toBe(tokenOf(server.viewerUrl));
  });

  test('a key file others could read, or a damaged one, is replaced (with a warning), never used', async () => {
    const file = keyFile();
    const { server } = await start({ sessionKeyFile: file });
    const cookie = await exchangeToken(server.editorUrl);
    chmodSync(file, 0o644);
    const { server: second, logs } = await restart(server, { sessionKeyFile: file });
    expect(second.viewerUrl).not.toBe(server.viewerUrl);
    expect(await refusedStatus(second.origin, cookie)).toBe(401);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(logs.some((line) => line.includes(file))).toBe(true);

    writeFileSync(file, 'not a key\n', { mode: 0o600 });
    const { server: third, logs: logs3 } = await restart(second, { sessionKeyFile: file });
    expect(third.viewerUrl).not.toBe(second.viewerUrl);
    expect(readFileSync(file, 'utf8')).toMatch(/^[0-9a-f]{64}\n$/);
    expect(logs3.some((line) => line.includes(file))).toBe(true);
  });
});
