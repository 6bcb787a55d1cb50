import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Lab } from '@netcanvas/kernel';
import {
  findInterface,
  namespaceWithoutCounters,
  sameJson,
  type ObservedNamespace,
  type ObservedPatch,
  type ObservedState,
  type ServerMessage,
} from '@netcanvas/model';
import { bridgedTopology } from '../../../packages/kernel/bench/topology-200';
import { startAgent } from '../src/core/agent';
import { DocumentStore } from '../src/core/document-store';
import { connect, exchangeToken, observedAfter } from '../test/helpers/ws-client';

/** The old protocol's patches, for comparison: each namespace that changed, whole, without counters. */
function wholeNamespacePatches(before: ObservedState, after: ObservedState): ObservedPatch[] {
  // The forwarding table compared as a set, as the new patches carry it.
  const canonical = (ns: ObservedNamespace) => {
    const stripped = namespaceWithoutCounters(ns);
    return { ...stripped, fdb: stripped.fdb.map((e) => JSON.stringify(e)).sort() };
  };
  const was = new Map(before.namespaces.map((ns) => [ns.name, canonical(ns)]));
  return after.namespaces.flatMap((ns): ObservedPatch[] =>
    sameJson(was.get(ns.name), canonical(ns))
      ? []
      : [{ op: 'namespace', namespace: namespaceWithoutCounters(ns) }],
  );
}

/**
 * pnpm bench:agent — a real agent on a sandbox lab of 200 namespaces (20 bridges × 10), and a
 * real WebSocket client:
 * (a) a change made by hand in the kernel → the observed patch at the client (median, p95);
 * (b) an edit adding one namespace with a veth → `accepted`;
 * (c) bytes per second sent to the client while all 200 namespaces' counters move, and in the
 *     same run what the old whole-namespace patches would have been (docs/benchmarks.md).
 */
const CHANGES = Number(process.env.BENCH_CHANGES ?? 60);
const EDITS = Number(process.env.BENCH_EDITS ?? 15);
const TRAFFIC_SECONDS = Number(process.env.BENCH_TRAFFIC_SECONDS ?? 6);

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] as number;
};
const f = (ms: number) => `${ms.toFixed(1)} ms`;

const stateDir = await mkdtemp(path.join(tmpdir(), 'netcanvas-bench-agent-'));
process.env.NETCANVAS_STATE_DIR = stateDir;
const labName = `bench-agent-${process.pid}`;
/** 20 bridges of 10 namespaces; fewer bridges (BENCH_BRIDGES) for a smaller lab on a loaded machine. */
const doc = bridgedTopology(Number(process.env.BENCH_BRIDGES ?? 20), 10);
await new DocumentStore(labName).save({ version: 1, document: doc });

// Interrupted (Ctrl-C, a timeout). `on`, not `once`: execa's exit hook kills the process at once
// if it finds itself the only listener left.
// stopping the agent ends the run in progress, whose `finally`
// removes the lab and its state.
const running: { agent?: Awaited<ReturnType<typeof startAgent>> } = {};
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => {
    interrupted = true;
    process.exitCode = 130;
    void running.agent?.stop();
  });

let t = performance.now();
const agent = await startAgent({ selector: { lab: labName }, port: 0, listen: '127.0.0.1' });
const startMs = performance.now() - t;
running.agent = agent;
if (interrupted) void agent.stop();
const changer = agent.lab.byHand();
const pings: Promise<unknown>[] = [];
try {
  const client = await connect(agent.server.origin, await exchangeToken(agent.server.editorUrl));
  const welcome = await client.hello(undefined, 30_000); // the machine may be loaded
  let bytes = 0;
  client.socket.on('message', (data: Buffer) => (bytes += data.length));
  console.log(
    `netcanvas agent benchmark: ${doc.namespaces.length} namespaces, ${doc.links.length} veths, ${doc.bridges.length} bridges`,
  );
  console.log(
    `  agent start (sandbox, reconcile ${agent.reconciled.records.length} commands, first observe): ${f(startMs)}`,
  );
  await new Promise((resolve) => setTimeout(resolve, 1500));
  await client.next(() => false, 1).catch(() => undefined); // let start-up messages arrive

  // (a) kernel change by hand → patch at the client.
  const delays: number[] = [];
  for (let i = 0; i < CHANGES; i++) {
    // One port per bridge taken down, then the same ports up again, then the next ports.
    const round = Math.floor(i / doc.bridges.length);
    const port = `p${i % doc.bridges.length}-${Math.floor(round / 2) % 10}`;
    const up = round % 2 === 1;
    const seen = client.next(
      (m: ServerMessage) =>
        m.type === 'observed' && findInterface(observedAfter(m) ?? welcome.observed, 'root', port)?.up === up,
      15_000, // a loaded machine
    );
    t = performance.now();
    const done = await changer.ip(['link', 'set', 'dev', port, up ? 'up' : 'down']);
    if (!done.ok) throw new Error(done.error);
    await seen;
    delays.push(performance.now() - t);
  }
  console.log(
    `  (a) change by hand → patch at client: median ${f(quantile(delays, 0.5))}, p95 ${f(quantile(delays, 0.95))} over ${CHANGES} changes (target p95 < 250 ms)`,
  );

  // (b) edit: one namespace and a veth to a bridge → accepted.
  const editTimes: number[] = [];
  let version = welcome.version;
  for (let i = 0; i < EDITS; i++) {
    const id = `e${i}`;
    t = performance.now();
    client.send({
      type: 'edit',
      requestId: id,
      baseVersion: version,
      edits: [
        { type: 'addNamespace', name: `extra${i}` },
        {
          type: 'connect',
          a: { node: 'br0', ifname: `x${i}` },
          b: { node: `extra${i}`, ifname: 'eth0', addresses: [`10.99.0.${i + 1}/24`] },
        },
      ],
    });
    const reply = await client.next(
      (m) => (m.type === 'accepted' || m.type === 'rejected') && m.requestId === id,
      10_000,
    );
    editTimes.push(performance.now() - t);
    if (reply.type !== 'accepted') throw new Error(JSON.stringify(reply));
    version = reply.version;
  }
  console.log(
    `  (b) edit adding a namespace + veth → accepted: median ${f(quantile(editTimes, 0.5))}, p95 ${f(quantile(editTimes, 0.95))} over ${EDITS} edits (target < 150 ms)`,
  );

  // (c) bytes per second to a client while every namespace's counters move.
  const lab = await Lab.open({ lab: labName }, { create: false });
  for (const ns of doc.namespaces) {
    const b = Number(/^h(\d+)-/.exec(ns.name)?.[1]);
    const peer = `10.${b}.0.${((Number(ns.name.split('-')[1]) + 1) % 10) + 1}`;
    const quiet = { quiet: true, intervalSeconds: 0.2, deadlineSeconds: TRAFFIC_SECONDS + 2 };
    pings.push(lab.ping(ns.name, peer, quiet, () => undefined).done);
  }
  await new Promise((resolve) => setTimeout(resolve, 1500)); // the pings start
  const before = bytes;
  let ratesMessages = 0;
  const sent = { observed: 0, wholeNamespaces: 0 };
  // The same run's `observed` messages, and what the old protocol (a changed namespace sent
  // whole) would have sent for the same changes, worked out from the states the client held
  // (this listener runs after the client's own, which applied the message).
  let held = client.observed;
  const counting = (data: Buffer) => {
    if (data.includes('"type":"rates"')) ratesMessages++;
    if (!data.includes('"type":"observed"')) return;
    sent.observed += data.length;
    const after = client.observed;
    const whole = held && after ? wholeNamespacePatches(held, after) : [];
    if (whole.length > 0 && after)
      sent.wholeNamespaces += Buffer.byteLength(
        JSON.stringify({ type: 'observed', takenAt: after.takenAt, patches: whole }),
      );
    held = after;
  };
  client.socket.on('message', counting);
  t = performance.now();
  await new Promise((resolve) => setTimeout(resolve, TRAFFIC_SECONDS * 1000));
  const seconds = (performance.now() - t) / 1000;
  client.socket.off('message', counting);
  const perSecond = (bytes - before) / seconds;
  console.log(
    `  (c) while ${doc.namespaces.length} namespaces ping: ${(perSecond / 1024).toFixed(1)} KiB/s to a client, ${(ratesMessages / seconds).toFixed(1)} rates messages/s (target < 20 KB/s)`,
  );
  console.log(
    `      of which observed patches ${Math.round(sent.observed / seconds)} B/s; the same changes as whole namespaces (the old patches) ${Math.round(sent.wholeNamespaces / seconds)} B/s`,
  );
  await Promise.all(pings);
  await client.close();
  await lab.close();
} catch (error) {
  if (!interrupted) throw error;
} finally {
  await changer.close().catch(() => undefined);
  await Promise.allSettled(pings);
  await agent.stop().catch(() => undefined);
  await agent.lab.destroy({ force: true });
  await rm(stateDir, { recursive: true, force: true });
}
