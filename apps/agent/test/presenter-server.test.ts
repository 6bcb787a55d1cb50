import { afterEach, describe, expect, test } from 'vitest';
import { ErrorCode, type PresenterFrame, type ServerMessage } from '@netcanvas/model';
import { LEAD_GAP_MS, PresenterRelay } from '../src/core/presenter-relay';
import { startAgentServer, type AgentServer, type ClientSession } from '../src/server';
import { stubWelcome } from './helpers/stub-welcome';
import { connect, exchangeToken, type TestClient } from './helpers/ws-client';

// Presenting through the real server (real ports on 127.0.0.1, the real `ws` client, the server's
// role check and rate limit) and the real relay, wired as client-sessions.ts wires it. No root.

const servers: AgentServer[] = [];
const clients: TestClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function startPresenting() {
  const relay = new PresenterRelay();
  const server = await startAgentServer({
    port: 0,
    listen: '127.0.0.1',
    labName: 'test',
    health: () => ({ ok: true }),
    onSession: (session: ClientSession) => {
      session.send(stubWelcome(session));
      relay.join(session);
      session.onClose(() => relay.leave(session));
      session.onMessage((m) => {
        if (m.type === 'presenting') relay.presenting(session, m.on);
        if (m.type === 'presenterFrame') relay.frameFrom(session, m.frame);
      });
    },
  });
  servers.push(server);
  const join = async (url: string) => {
    const client = await connect(server.origin, await exchangeToken(url));
    clients.push(client);
    await client.hello();
    await client.nextOfType('presenter');
    return client;
  };
  return { relay, server, join };
}

const frameAt = (x: number): PresenterFrame => ({
  viewport: { x, y: 0, zoom: 1 },
  visible: { x: -x, y: 0, width: 800, height: 600 },
  selection: { kind: 'node', id: 'ns1' },
  section: null,
  netfilter: null,
  pointer: null,
});
const isFrame = (m: ServerMessage) => m.type === 'presenter' && m.frame !== null;
const frameX = (m: ServerMessage) => (m.type === 'presenter' ? m.frame?.viewport.x : undefined);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('presenting through the agent', () => {
  test('a viewer cannot present: refused, and nobody leads', async () => {
    const { relay, server, join } = await startPresenting();
    const viewer = await join(server.viewerUrl);
    const other = await join(server.viewerUrl);
    viewer.send({ type: 'presenting', on: true });
    viewer.send({ type: 'presenterFrame', frame: frameAt(1) });
    const refused = await viewer.nextOfType('error');
    expect(refused.code).toBe(ErrorCode.forbidden);
    expect(refused.message).toMatch(/a viewer may not send presenting/);
    await sleep(100);
    expect(relay.leadId).toBeNull();
    expect(other.buffered.filter((m) => m.type === 'presenter')).toEqual([]);
  });

  test('a bad frame is refused with its field, and relays nothing', async () => {
    const { server, join } = await startPresenting();
    const lead = await join(server.newEditorUrl());
    const viewer = await join(server.viewerUrl);
    lead.send({ type: 'presenting', on: true });
    await viewer.nextOfType('presenter');
    lead.send({ type: 'presenterFrame', frame: { ...frameAt(1), pointer: { x: 1, y: 1e12 } } });
    const refused = await lead.nextOfType('error');
    expect(refused.code).toBe(ErrorCode.badMessage);
    expect(refused.message).toMatch(/^frame\.pointer\.y: /);
    await sleep(100);
    expect(viewer.buffered.filter(isFrame)).toEqual([]);
  });

  test('a flood from the lead is rate-limited: the lead is told, followers get a few frames, not a hundred', async () => {
    const { server, join } = await startPresenting();
    const lead = await join(server.newEditorUrl());
    const viewer = await join(server.viewerUrl);
    lead.send({ type: 'presenting', on: true });
    await viewer.nextOfType('presenter');
    const arrivals: number[] = [];
    viewer.socket.on('message', (data: Buffer) => {
      if (data.toString().startsWith('{"type":"presenter","lead":"c-')) arrivals.push(performance.now());
    });
    for (let i = 1; i <= 100; i++) lead.send({ type: 'presenterFrame', frame: frameAt(i) });
    const warned = await lead.nextOfType('error');
    expect(warned.code).toBe(ErrorCode.rateLimited);
    await sleep(300);
    const got = viewer.buffered.filter(isFrame).map(frameX) as number[];
    // The first at once, then only the newest let through, at most one per LEAD_GAP_MS (however
    // slowly a busy machine reads the flood, over which the connection's bucket refills).
    expect(got[0]).toBe(1);
    expect(got.every((x, k) => k === 0 || x > got[k - 1]!)).toBe(true);
    const span = arrivals.at(-1)! - arrivals[0]!;
    expect(got.length).toBeLessThanOrEqual(2 + Math.ceil(span / LEAD_GAP_MS));
    expect(got.length).toBeLessThan(50);
    expect(lead.isClosed).toBe(false);
  });

  test('a viewer that stopped reading does not delay the others', async () => {
    const { server, join } = await startPresenting();
    const lead = await join(server.newEditorUrl());
    const slow = await join(server.viewerUrl);
    const fast = await join(server.viewerUrl);
    lead.send({ type: 'presenting', on: true });
    await Promise.all([slow.nextOfType('presenter'), fast.nextOfType('presenter')]);
    const raw = (slow.socket as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    raw.pause();
    // Each frame reaches the reading viewer while the stopped one has read none of them (no time
    // bound: a unit test on a busy machine; bench:presenter measures the delays).
    for (let i = 1; i <= 10; i++) {
      lead.send({ type: 'presenterFrame', frame: frameAt(i) });
      expect(frameX(await fast.next((m) => frameX(m) === i, 5000))).toBe(i);
      await sleep(60);
    }
    expect(slow.buffered.filter(isFrame)).toEqual([]);
    raw.resume();
    await slow.next((m) => frameX(m) === 10, 2000);
  });
});
