import { createHmac } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { PROTOCOL_VERSION } from '@netcanvas/model';
import { readCookies, readSession, sessionCookie } from '../src/server/cookies';
import { createHostPolicy, hostName, isLoopbackAddress, urlHost } from '../src/server/hosts';
import { checkHello, formatPath, parseClientMessage, rawDataToText } from '../src/server/incoming';
import { resolveLimits } from '../src/server/limits';
import { RateLimiter, type RateDecision } from '../src/server/rate-limit';
import { Secrets, deriveViewerToken } from '../src/server/secrets';

// The server's pure parts, without sockets: the real-port tests are in server.test.ts.

describe('host policy', () => {
  const policy = createHostPolicy('127.0.0.1', 7878, ['Lab.Example', '192.168.1.5', 'fe80::1']);

  test('accepts the loopback names, the listen address and allowed hosts, with the port', () => {
    for (const host of [
      'localhost:7878',
      '127.0.0.1:7878',
      '[::1]:7878',
      'lab.example:7878',
      '192.168.1.5:7878',
    ])
      expect(policy.hostAllowed(host)).toBe(true);
    expect(policy.hostAllowed('[fe80::1]:7878')).toBe(true);
    expect(policy.hostAllowed('LAB.EXAMPLE:7878')).toBe(true);
  });

  test('refuses other names, other ports, a missing port and suffix or prefix tricks', () => {
    for (const host of [
      undefined,
      '',
      'evil.example:7878',
      'localhost',
      'localhost:7879',
      'localhost:78780',
      'localhost:7878.evil.example',
      'localhost.evil.example:7878',
      'evil.localhost:7878',
      '127.0.0.1.nip.io:7878',
      ' localhost:7878',
    ])
      expect(policy.hostAllowed(host)).toBe(false);
  });

  test('Origin must be exactly http://<allowed name>:<port>', () => {
    expect(policy.originAllowed('http://localhost:7878')).toBe(true);
    expect(policy.originAllowed('http://lab.example:7878')).toBe(true);
    for (const origin of [
      undefined,
      'null',
      'http://localhost:7878/',
      'https://localhost:7878',
      'ws://localhost:7878',
      'http://localhost',
      'http://localhost:7879',
      'http://localhost:7878.evil.example',
      'http://localhost:7878@evil.example',
      'http://evil.example:7878',
    ])
      expect(policy.originAllowed(origin)).toBe(false);
  });

  test('on port 80 browsers omit the port, so the bare name is accepted there only', () => {
    const on80 = createHostPolicy('127.0.0.1', 80);
    expect(on80.hostAllowed('localhost')).toBe(true);
    expect(on80.originAllowed('http://localhost')).toBe(true);
    expect(policy.hostAllowed('localhost')).toBe(false);
  });

  test('an IPv6 listen address is written in brackets', () => {
    expect(createHostPolicy('::1', 9000).names).toContain('[::1]');
    expect(createHostPolicy('fd00::5', 9000).hostAllowed('[fd00::5]:9000')).toBe(true);
  });

  test('host names with a port, a scheme or odd characters are refused up front', () => {
    for (const name of ['lab.example:8080', 'http://lab.example', 'lab example', '*.example', 'lab/x', ''])
      expect(() => hostName(name)).toThrow(/not a host name/);
  });

  test('loopback is 127.0.0.0/8, ::1 and localhost; printed links use loopback for wildcards', () => {
    for (const address of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', '::ffff:127.0.0.1'])
      expect(isLoopbackAddress(address)).toBe(true);
    for (const address of ['0.0.0.0', '::', '192.168.1.5', '128.0.0.1', 'lab.example'])
      expect(isLoopbackAddress(address)).toBe(false);
    expect(urlHost('0.0.0.0')).toBe('127.0.0.1');
    expect(urlHost('::')).toBe('[::1]');
    expect(urlHost('192.168.1.5')).toBe('192.168.1.5');
  });
});

describe('cookies', () => {
  test('the session cookie is HttpOnly, SameSite=Strict, for the whole site, named by port', () => {
    expect(sessionCookie(7878, 'abc')).toBe('netcanvas_session_7878=abc; HttpOnly; SameSite=Strict; Path=/');
  });

  test('a session is read from any value of this agent’s cookie; the reason says what was wrong', () => {
    const secrets = new Secrets(Buffer.alloc(32, 1));
    const good = secrets.createSession('editor');
    expect(readSession(undefined, 7878, secrets)).toEqual({ ok: false, reason: 'none' });
    expect(readSession(`netcanvas_session_7879=${good}`, 7878, secrets)).toEqual({
      ok: false,
      reason: 'none',
    });
    expect(readSession('netcanvas_session_7878=bad', 7878, secrets)).toEqual({
      ok: false,
      reason: 'unknown',
    });
    // A planted value first does not hide the real one.
    expect(
      readSession(`netcanvas_session_7878=bad; netcanvas_session_7878=${good}`, 7878, secrets),
    ).toMatchObject({
      ok: true,
    });
  });

  test('every value of the named cookie is read, others ignored', () => {
    expect(readCookies(undefined, 'a')).toEqual([]);
    expect(readCookies('a=1; b=2; a=3', 'a')).toEqual(['1', '3']);
    expect(readCookies('xa=1; a', 'a')).toEqual([]);
  });
});

describe('secrets', () => {
  const key = Buffer.alloc(32, 7);

  test('an editor token works once; the viewer token always; wrong ones never', () => {
    const secrets = new Secrets(key);
    const viewerToken = secrets.viewerToken;
    const token = secrets.issueEditorToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(secrets.consumeEditorToken('x')).toBe(false);
    expect(secrets.consumeEditorToken('')).toBe(false);
    expect(secrets.consumeEditorToken(`${token}x`)).toBe(false);
    expect(secrets.consumeEditorToken(token)).toBe(true);
    expect(secrets.consumeEditorToken(token)).toBe(false);
    expect(secrets.isViewerToken(viewerToken)).toBe(true);
    expect(secrets.isViewerToken(viewerToken)).toBe(true);
    expect(secrets.isViewerToken(viewerToken.slice(0, -1))).toBe(false);
    expect(secrets.isViewerToken('')).toBe(false);
    expect(secrets.consumeEditorToken(viewerToken)).toBe(false);
  });

  test('several unused editor tokens stay valid', () => {
    const secrets = new Secrets(key);
    const a = secrets.issueEditorToken();
    const b = secrets.issueEditorToken();
    expect(secrets.consumeEditorToken(b)).toBe(true);
    expect(secrets.consumeEditorToken(a)).toBe(true);
  });

  test('the viewer token is HMAC(key, "viewer"): the same for the same key, another for another', () => {
    const token = createHmac('sha256', key).update('viewer').digest().subarray(0, 24).toString('base64url');
    expect(new Secrets(key).viewerToken).toBe(token);
    expect(deriveViewerToken(key)).toBe(token);
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(new Secrets(Buffer.alloc(32, 8)).viewerToken).not.toBe(token);
  });

  test('sessions are signed: role and client id come back; unknown, tampered and oversized ones do not', () => {
    const secrets = new Secrets(key);
    const editor = secrets.createSession('editor');
    const viewer = secrets.createSession('viewer', 'c-0011aabb');
    expect(editor).toMatch(/^e\.[0-9a-f]{8}\.\d+\.[A-Za-z0-9_-]{43}$/);
    expect(secrets.check(editor)).toMatchObject({ ok: true, session: { role: 'editor' } });
    expect(secrets.check(viewer)).toMatchObject({
      ok: true,
      session: { role: 'viewer', clientId: 'c-0011aabb' },
    });
    // Another agent's key (or a renewed one) signed nothing we accept.
    expect(new Secrets(Buffer.alloc(32, 8)).check(editor)).toEqual({ ok: false, reason: 'unknown' });
    const [, id, expiry, mac] = editor.split('.');
    for (const forged of [
      `v.${id}.${expiry}.${mac}`, // a viewer promoted to editor, or the reverse
      `e.00000000.${expiry}.${mac}`,
      `e.${id}.9${expiry}.${mac}`,
      `e.${id}.${expiry}.${mac!.slice(0, -1)}${mac!.endsWith('A') ? 'Q' : 'A'}`, // never the same MAC
      `e.${id}.${expiry}.${mac}x`,
      'made-up',
      '',
      'x'.repeat(10_000),
      undefined,
    ])
      expect(secrets.check(forged)).toEqual({ ok: false, reason: 'unknown' });
  });

  test('a session expires after seven days (the signature is checked first), and wants a refresh after an hour', () => {
    let now = 1_000_000;
    const secrets = new Secrets(key, () => now);
    const editor = secrets.createSession('editor');
    const fresh = secrets.check(editor);
    expect(fresh.ok && secrets.wantsRefresh(fresh.session)).toBe(false);
    now += 2 * 60 * 60 * 1000;
    const used = secrets.check(editor);
    expect(used.ok && secrets.wantsRefresh(used.session)).toBe(true);
    now = 1_000_000 + 7 * 24 * 60 * 60 * 1000;
    expect(secrets.check(editor)).toEqual({ ok: false, reason: 'expired' });
    expect(new Secrets(Buffer.alloc(32, 8), () => now).check(editor)).toEqual({
      ok: false,
      reason: 'unknown',
    });
  });
});

describe('rate limiter', () => {
  /** A limiter on a clock the test moves by hand. */
  function limiter(messagesPerSecond = 20, burst = 40) {
    let now = 0;
    const l = new RateLimiter({ messagesPerSecond, burst }, () => now);
    return {
      send: (count: number): RateDecision[] => Array.from({ length: count }, () => l.check()),
      advance: (ms: number) => (now += ms),
    };
  }

  test('a burst is accepted, then messages are dropped with one warning a second', () => {
    const l = limiter();
    expect(l.send(40)).toEqual(Array(40).fill('accept'));
    expect(l.send(3)).toEqual(['drop-and-warn', 'drop', 'drop']);
    l.advance(500); // 10 tokens back
    expect(l.send(11)).toEqual([...Array(10).fill('accept'), 'drop']);
    l.advance(500);
    expect(l.send(11).slice(10)).toEqual(['drop-and-warn']);
  });

  test('sending at the rate is never limited', () => {
    const l = limiter();
    for (let second = 0; second < 30; second++) {
      expect(l.send(20)).toEqual(Array(20).fill('accept'));
      l.advance(1000);
    }
  });

  test('sending at 5× the rate is throttled but never closed', () => {
    const l = limiter();
    for (let tick = 0; tick < 300; tick++) {
      expect(l.send(10)).not.toContain('close'); // 100 a second
      l.advance(100);
    }
  });

  test('sending at 10× the rate is closed after about three seconds', () => {
    const l = limiter();
    let closedAt: number | undefined;
    for (let tick = 0; tick < 100 && closedAt === undefined; tick++) {
      if (l.send(20).includes('close')) closedAt = tick * 100;
      l.advance(100);
    }
    expect(closedAt).toBeGreaterThanOrEqual(2500);
    expect(closedAt).toBeLessThanOrEqual(4000);
  });

  test('one huge burst is closed once it passes burst + 15 × rate', () => {
    const l = limiter();
    const decisions = l.send(2000);
    expect(decisions.indexOf('close')).toBe(40 + 300);
  });
});

describe('incoming messages', () => {
  test('paths read like the model’s', () => {
    expect(formatPath(['edits', 0, 'a', 'ifname'])).toBe('edits[0].a.ifname');
    expect(formatPath([])).toBe('(message)');
  });

  test('a bad message names the field and what is wrong', () => {
    expect(parseClientMessage('{')).toEqual({ ok: false, error: '(message): not JSON' });
    const bad = parseClientMessage(
      JSON.stringify({ type: 'ping', requestId: 'r', namespace: 'ns 0', address: 'x' }),
    );
    expect(bad).toMatchObject({ ok: false, error: expect.stringMatching(/^namespace: /) });
    const strict = parseClientMessage(
      JSON.stringify({ type: 'preview', requestId: 'r', edits: [1], extra: 1 }),
    );
    expect(strict).toMatchObject({ ok: false, error: expect.stringContaining('extra') });
  });

  test('hello: the version is judged before the schema', () => {
    expect(checkHello(JSON.stringify({ type: 'hello', protocolVersion: PROTOCOL_VERSION }))).toBe('ok');
    expect(
      checkHello(JSON.stringify({ type: 'hello', protocolVersion: PROTOCOL_VERSION + 1, more: 1 })),
    ).toBe('bad-protocol-version');
    expect(checkHello(JSON.stringify({ type: 'hello', protocolVersion: '1' }))).toBe('bad-hello');
    expect(checkHello(JSON.stringify({ type: 'hello', protocolVersion: PROTOCOL_VERSION, more: 1 }))).toBe(
      'bad-hello',
    );
    expect(checkHello('null')).toBe('bad-hello');
  });

  test('ws raw data in any of its three shapes becomes the same text', () => {
    const text = '{"type":"hello"}';
    const bytes = Buffer.from(text);
    expect(rawDataToText(bytes)).toBe(text);
    expect(rawDataToText([bytes.subarray(0, 5), bytes.subarray(5)])).toBe(text);
    const copy = new ArrayBuffer(bytes.length);
    new Uint8Array(copy).set(bytes);
    expect(rawDataToText(copy)).toBe(text);
  });
});

describe('limits', () => {
  test('defaults fill in; a zero, negative or NaN limit is refused', () => {
    expect(resolveLimits({ burst: 5 })).toMatchObject({
      burst: 5,
      messagesPerSecond: 20,
      maxPayload: 256 * 1024,
    });
    for (const bad of [0, -1, Number.NaN])
      expect(() => resolveLimits({ maxViewerConnections: bad })).toThrow(RangeError);
  });
});
