import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { PROTOCOL_VERSION, type PresenterFrame, type ServerMessage } from '@netcanvas/model';
import WebSocket from 'ws';
import { startAgent } from '../src/core/agent';
import { connect, exchangeToken, type TestClient } from '../test/helpers/ws-client';

/**
 * pnpm bench:presenter — 30 viewers (WebSocket clients) following a presenter on one agent, on a
 * lab of 30 namespaces (15 veth pairs). Measures: follow latency (the trainer's frame sent → the
 * frame at each viewer), median and p95 (target p95 < 200 ms), and the trainer's edit → accepted
 * (an MTU change, run on the kernel) with no viewers and then with the 30 following, in the same
 * run. The page sends a frame at most every 60 ms; so does this presenter. Clients run in this
 * process, beside the agent: the CPU figure is the agent's and the 31 clients' together.
 */
const VIEWERS = Number(process.env.BENCH_VIEWERS ?? 30);
const NAMESPACES = 30;
const EDITS = Number(process.env.BENCH_EDITS ?? 30);
const FRAME_GAP_MS = 60;

const quantile = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? NaN;
const describe = (xs: number[]) =>
  `median ${quantile(xs, 0.5).toFixed(1)} ms, p95 ${quantile(xs, 0.95).toFixed(1)} ms, max ${Math.max(...xs).toFixed(1)} ms over ${xs.length}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const frameAt = (i: number): PresenterFrame => ({
  viewport: { x: i, y: 0, zoom: 0.8 },
  visible: { x: -i, y: 0, width: 1800, height: 1100 },
  selection: { kind: 'node', id: `ns${i % NAMESPACES}` },
  section: 'Interfaces',
  netfilter: null,
  pointer: { x: (i * 7) % 1500, y: (i * 3) % 900 },
});

function labOf30(): object[] {
  const edits: object[] = [];
  for (let i = 0; i < NAMESPACES; i++) edits.push({ type: 'addNamespace', name: `ns${i}` });
  for (let i = 0; i < NAMESPACES; i += 2)
    edits.push({
      type: 'connect',
      a: { node: `ns${i}`, ifname: 'eth0', addresses: [`10.9.${i}.1/24`], up: true },
      b: { node: `ns${i + 1}`, ifname: 'eth0', addresses: [`10.9.${i}.2/24`], up: true },
    });
  return edits;
}

/** EDITS MTU changes, one at a time, each timed from send to `accepted`. */
async function editsTimed(
  editor: TestClient,
  firstVersion: number,
): Promise<{ times: number[]; version: number }> {
  let version = firstVersion;
  const times: number[] = [];
  for (let i = 0; i < EDITS; i++) {
    const requestId = `mtu-${version}`;
    const started = performance.now();
    editor.send({
      type: 'edit',
      requestId,
      baseVersion: version,
      edits: [
        {
          type: 'setInterface',
          node: `ns${(i * 2) % NAMESPACES}`,
          ifname: 'eth0',
          mtu: 1400 + (i % 2) * 100,
        },
      ],
    });
    const answer = await editor.next((m) => 'requestId' in m && m.requestId === requestId, 30_000);
    if (answer.type !== 'accepted') throw new Error(JSON.stringify(answer));
    times.push(performance.now() - started);
    version = answer.version;
    await sleep(100);
  }
  return { times, version };
}

/**
 * A viewer as light as can be in this process: the real `ws` client with the viewer's cookie, its
 * hello, and nothing parsed but the presenter's messages (the test client parses every message
 * with the schema: 30 of those in this process would time the bench, not the agent).
 */
function plainViewer(cookie: string): Promise<WebSocket> {
  const origin = agent.server.origin;
  const socket = new WebSocket(`${origin.replace(/^http/, 'ws')}/ws`, {
    headers: { Cookie: cookie },
    origin,
  });
  viewerSockets.push(socket);
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.once('open', () =>
      socket.send(JSON.stringify({ type: 'hello', protocolVersion: PROTOCOL_VERSION })),
    );
    socket.once('message', () => resolve(socket)); // the welcome
  });
}

const viewerSockets: WebSocket[] = [];
const stateDir = await mkdtemp(path.join(tmpdir(), 'netcanvas-bench-presenter-'));
process.env.NETCANVAS_STATE_DIR = stateDir;
const agent = await startAgent({
  selector: { lab: `bench-presenter-${process.pid}` },
  port: 0,
  listen: '127.0.0.1',
});
const clients: TestClient[] = [];
try {
  const editor = await connect(agent.server.origin, await exchangeToken(agent.server.newEditorUrl()));
  clients.push(editor);
  const welcome = await editor.hello();
  editor.send({ type: 'edit', requestId: 'lab', baseVersion: welcome.version, edits: labOf30() });
  const made = await editor.next((m) => 'requestId' in m && m.requestId === 'lab', 120_000);
  if (made.type !== 'accepted' || !made.outcome.ok) throw new Error(JSON.stringify(made).slice(0, 500));
  await sleep(1500);
  console.log(
    `netcanvas presenter benchmark: ${VIEWERS} viewers, ${NAMESPACES} namespaces (load average ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')})`,
  );
  const alone = await editsTimed(editor, made.version);
  console.log(`  trainer's edit → accepted, no viewers: ${describe(alone.times)}`);

  // The class joins: each viewer stamps the frames it gets (a frame's viewport.x is its number).
  const sentAt = new Map<number, number>();
  const follow: number[] = [];
  const viewers = await Promise.all(
    Array.from({ length: VIEWERS }, async () => {
      const viewer = await plainViewer(await exchangeToken(agent.server.viewerUrl));
      viewer.on('message', (data: Buffer) => {
        // Only the presenter's messages are read (a page reads every message, but in its own process).
        if (data.subarray(0, 20).toString() !== '{"type":"presenter",') return;
        const m = JSON.parse(data.toString()) as Extract<ServerMessage, { type: 'presenter' }>;
        const at = m.frame ? sentAt.get(m.frame.viewport.x) : undefined;
        if (at !== undefined) follow.push(performance.now() - at);
      });
      return viewer;
    }),
  );
  editor.send({ type: 'presenting', on: true });
  await sleep(500);
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  let presenting = true;
  const frames = (async () => {
    for (let i = 1; presenting; i++) {
      sentAt.set(i, performance.now());
      editor.send({ type: 'presenterFrame', frame: frameAt(i) });
      await sleep(FRAME_GAP_MS);
    }
  })();
  const under = await editsTimed(editor, alone.version);
  presenting = false;
  await frames;
  await sleep(300);
  const wall = performance.now() - t0;
  const used = process.cpuUsage(cpu);
  console.log(`  trainer's edit → accepted, ${VIEWERS} viewers following: ${describe(under.times)}`);
  console.log(`  follow latency (frame sent → at a viewer), ${sentAt.size} frames: ${describe(follow)}`);
  console.log(
    `  frames delivered: ${follow.length} of ${sentAt.size * viewers.length}; this process's CPU while presenting: ${(((used.user + used.system) / 1000 / wall) * 100).toFixed(0)}% of one core (agent + ${viewers.length + 1} clients)`,
  );
} finally {
  await Promise.all(clients.map((c) => c.close()));
  for (const socket of viewerSockets) socket.terminate();
  await agent.stop();
  await agent.lab.destroy({ force: true });
  await rm(stateDir, { recursive: true, force: true });
}
