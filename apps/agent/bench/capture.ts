import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { findInterface, type ServerMessage } from '@netcanvas/model';
import { startAgent } from '../src/core/agent';
import { connect, exchangeToken, observedAfter, type TestClient } from '../test/helpers/ws-client';

/**
 * pnpm bench:capture — does a capture flood slow the agent's other clients? On the tutorial's veth
 * pair, a change made by hand in the lab (a veth in the lab's root taken down or up) → the
 * `observed` patch at a client, median and p95, first with no capture, then while a capture on
 * veth0 sees ~5,000 packets/s (five `ping -i 0.002`: 2,500 requests and 2,500 replies a second) and a
 * viewer receives its lines. Target: p95 < 250 ms in both. Also: the lines and bytes a second the
 * viewer got, and what tcpdump kept up with.
 */
const CHANGES = Number(process.env.BENCH_CHANGES ?? 60);
const GAP_MS = 150;

const stateDir = await mkdtemp(path.join(tmpdir(), 'netcanvas-bench-capture-'));
process.env.NETCANVAS_STATE_DIR = stateDir;
const agent = await startAgent({
  selector: { lab: `bench-capture-${process.pid}` },
  port: 0,
  listen: '127.0.0.1',
});
const quantile = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? NaN;
const describe = (xs: number[]) =>
  `median ${quantile(xs, 0.5).toFixed(1)} ms, p95 ${quantile(xs, 0.95).toFixed(1)} ms, max ${Math.max(...xs).toFixed(1)} ms over ${xs.length}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Change by hand → patch at `client`, CHANGES times. */
async function changesToPatch(client: TestClient, start: ServerMessage): Promise<number[]> {
  const hand = agent.lab.byHand();
  const times: number[] = [];
  let last = start;
  try {
    for (let i = 0; i < CHANGES; i++) {
      const up = i % 2 === 1;
      const seen = client.next((m) => {
        const ok = m.type === 'observed' && findInterface(observedAfter(m)!, 'root', 'bencha')?.up === up;
        if (ok) last = m;
        return ok;
      }, 30_000);
      const started = performance.now();
      const done = await hand.ip(['link', 'set', 'dev', 'bencha', up ? 'up' : 'down']);
      if (!done.ok) throw new Error(done.error);
      await seen;
      times.push(performance.now() - started);
      await sleep(GAP_MS);
    }
  } finally {
    await hand.close();
  }
  void last;
  return times;
}

try {
  const editor = await connect(agent.server.origin, await exchangeToken(agent.server.newEditorUrl()));
  const welcome = await editor.hello();
  editor.send({
    type: 'edit',
    requestId: 'tutorial',
    baseVersion: welcome.version,
    edits: [
      { type: 'addNamespace', name: 'ns0' },
      { type: 'addNamespace', name: 'ns1' },
      {
        type: 'connect',
        a: { node: 'ns0', ifname: 'veth0', addresses: ['10.0.1.1/24'] },
        b: { node: 'ns1', ifname: 'veth1', addresses: ['10.0.1.2/24'] },
      },
    ],
  });
  await editor.next((m) => m.type === 'accepted', 60_000);
  const made = await agent.lab
    .byHand()
    .ip(['link', 'add', 'bencha', 'type', 'veth', 'peer', 'name', 'benchb']);
  if (!made.ok) throw new Error(made.error);
  const watcher = await connect(agent.server.origin, await exchangeToken(agent.server.viewerUrl));
  const watcherWelcome = await watcher.hello();
  await sleep(1500);
  console.log(
    `netcanvas capture benchmark (load average ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')})`,
  );
  console.log(
    `  change by hand → patch at another client, no capture: ${describe(await changesToPatch(watcher, watcherWelcome))}`,
  );

  const viewer = await connect(agent.server.origin, await exchangeToken(agent.server.viewerUrl));
  await viewer.hello();
  let lines = 0;
  let bytes = 0;
  viewer.socket.on('message', (data: Buffer) => {
    const text = data.toString();
    if (!text.startsWith('{"type":"capturePackets"')) return;
    bytes += text.length;
    lines += (JSON.parse(text) as Extract<ServerMessage, { type: 'capturePackets' }>).lines.length;
  });
  editor.send({
    type: 'captureStart',
    requestId: 'cap',
    namespace: 'ns0',
    ifname: 'veth0',
    maxPackets: 100_000,
    maxBytes: 64 * 1024 * 1024,
  });
  const started = (await editor.next(
    (m) => m.type === 'captureStarted' || m.type === 'rejected',
    15_000,
  )) as ServerMessage;
  if (started.type !== 'captureStarted') throw new Error(JSON.stringify(started));
  const seconds = Math.ceil((CHANGES * (GAP_MS + 20)) / 1000) + 4;
  // Five pings of 500 requests/s each (ping's finest pacing is 2 ms): 2,500 requests and 2,500
  // replies a second on veth0.
  const flood = Promise.all(
    [1, 2, 3, 4, 5].map(() =>
      agent.lab.run('ns1', ['ping', '-n', '-q', '-i', '0.002', '-w', String(seconds), '10.0.1.1'], {
        timeoutMs: (seconds + 10) * 1000,
      }),
    ),
  );
  await sleep(1000);
  const t = performance.now();
  const under = await changesToPatch(watcher, watcherWelcome);
  const elapsed = (performance.now() - t) / 1000;
  const linesSeen = lines;
  const bytesSeen = bytes;
  console.log(`  change by hand → patch at another client, capture at ~5,000 packets/s: ${describe(under)}`);
  console.log(
    `  the viewer got ${Math.round(linesSeen / elapsed)} capture lines/s (${Math.round(bytesSeen / elapsed / 1024)} KiB/s of capture messages)`,
  );
  const pinged = await flood;
  for (const ping of pinged) console.log(`  ping: ${ping.stdout.trim().split('\n').at(-2)}`);
  editor.send({ type: 'captureStop', requestId: 'stop', captureId: started.capture.id });
  const ended = await editor.nextOfType('captureEnded', 15_000);
  const secs = (Date.parse(ended.capture.ended!.at) - Date.parse(ended.capture.startedAt)) / 1000;
  console.log(
    `  capture: ${ended.capture.packets} packets in ${secs.toFixed(1)} s (${Math.round(ended.capture.packets / secs)}/s); ${ended.capture.ended!.message}`,
  );
} finally {
  await agent.stop();
  await agent.lab.destroy({ force: true });
  await rm(stateDir, { recursive: true, force: true });
}
