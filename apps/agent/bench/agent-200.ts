import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Lab } from '@netcanvas/kernel';
import {
  findInterface,
  namespaceWithoutCounters,
  sameJson,
  type EditInput,
  type ObservedNamespace,
  type ObservedPatch,
  type ObservedState,
  type ServerMessage,
  type Topology,
} from '@netcanvas/model';
import { benchToggles } from '@netcanvas/kernel/testing';
import { bridgedTopology } from '../../../packages/kernel/bench/topology-200';
import { startAgent } from '../src/core/agent';
import { DocumentStore } from '../src/core/document-store';
import { connect, exchangeToken, observedAfter, type TestClient } from '../test/helpers/ws-client';
import { answerClient } from './answer-client';
import { editCpu, shapesCpu } from './edit-cpu';
import { Turns, describePaced, paced, type Paced } from './paced';
import { profiled } from './profile';

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
 * pnpm bench:agent — a real agent on a sandbox lab, and a real WebSocket client, at each size of
 * BENCH_NAMESPACES (e.g. `200,1000`; default 200): bridges of 10 namespaces, of 50 from 500 up.
 * At rest first: the process's CPU and event-loop delay while nothing changes, with the firewall
 *     readers and with every firewall read spawned, in turns (BENCH_IDLE_SECONDS each, 10);
 * (a) a change made by hand in the kernel → the observed patch at the client (median, p95);
 * (b) an edit adding one namespace with a veth → `accepted` (timed by the strict client, then by
 *     one that reads only its answers: BENCH_EDIT_CLIENTS), edit by edit in turns between the
 *     sample's ways of reading the root's counters (BENCH_ROOT_COUNTERS, paced.ts `Turns`);
 * (a) and (b) are spread over time (they meet the background's whole-lab read), in windows that
 *     alternate the sliced sweep with the old whole read (paced.ts): both in the same run;
 * (c) bytes per second sent to the client while all namespaces' counters move, and in the same
 *     run what the old whole-namespace patches would have been (up to BENCH_TRAFFIC_MAX
 *     namespaces, 200 unless set; docs/benchmarks.md).
 * BENCH_PROFILE=DIR: a CPU profile of (a) and of (b) each, into DIR (profile.ts).
 */
const SIZES = (process.env.BENCH_NAMESPACES ?? '200').split(',').map(Number);
const CHANGES = Number(process.env.BENCH_CHANGES ?? 60);
const EDITS = Number(process.env.BENCH_EDITS ?? 40);
const TRAFFIC_SECONDS = Number(process.env.BENCH_TRAFFIC_SECONDS ?? 6);
const TRAFFIC_MAX = Number(process.env.BENCH_TRAFFIC_MAX ?? 200);
/**
 * Who times (b): `strict` (the test client, as before 2026-12-02), `answers` (answer-client.ts), or
 * both, in that order (BENCH_EDIT_CLIENTS=strict,answers, the default).
 */
const EDIT_CLIENTS = (process.env.BENCH_EDIT_CLIENTS ?? 'strict,answers').split(',');
/** Off (BENCH_COMPARE=0): the sliced sweep throughout, no old whole read. */
const COMPARE = process.env.BENCH_COMPARE !== '0';

/** Each of the four windows at rest (readers, spawned, readers, spawned): over a sweep (10 s). */
const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 10);

const f = (ms: number) => `${ms.toFixed(1)} ms`;

/**
 * What the agent costs while nothing changes (its samples and sweep, and this client's share):
 * the process's CPU and how late the event loop runs, which every edit's steps wait on.
 */
async function idleCost(seconds: number): Promise<string> {
  const delay = monitorEventLoopDelay({ resolution: 5 });
  const cpu = process.cpuUsage();
  delay.enable();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  delay.disable();
  const used = process.cpuUsage(cpu);
  const share = (used.user + used.system) / 1000 / (seconds * 1000);
  const lag = (q: number) => f(delay.percentile(q) / 1e6);
  return `CPU ${(share * 100).toFixed(0)} % of a core; event loop late by median ${lag(50)}, p99 ${lag(99)}, max ${f(delay.max / 1e6)}`;
}

const stateDir = await mkdtemp(path.join(tmpdir(), 'netcanvas-bench-agent-'));
process.env.NETCANVAS_STATE_DIR = stateDir;

// Interrupted (Ctrl-C, a timeout). `on`, not `once`: execa's exit hook kills the process at once
// if it finds itself the only listener left. Stopping the agent ends the run in progress, whose
// `finally` removes the lab and its state.
const running: { agent?: Awaited<ReturnType<typeof startAgent>> } = {};
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => {
    interrupted = true;
    process.exitCode = 130;
    void running.agent?.stop();
  });

try {
  for (const size of SIZES) if (!interrupted) await benchSize(size);
} finally {
  await rm(stateDir, { recursive: true, force: true });
}

/** (b)'s edit number `i`: a namespace `extraI`, and a veth from bridge br0's port `xI` to it. */
function editMessage(i: number, baseVersion: number) {
  const edits: EditInput[] = [
    { type: 'addNamespace', name: `extra${i}` },
    {
      type: 'connect',
      a: { node: 'br0', ifname: `x${i}` },
      b: {
        node: `extra${i}`,
        ifname: 'eth0',
        addresses: [`10.99.${Math.floor(i / 250)}.${(i % 250) + 1}/16`],
      },
    },
  ];
  return { type: 'edit', requestId: `e${i}`, baseVersion, edits };
}

async function benchSize(size: number): Promise<void> {
  const perBridge = size >= 500 ? 50 : 10;
  const doc = bridgedTopology(Math.max(1, Math.round(size / perBridge)), perBridge);
  const labName = `bench-agent-${process.pid}-${size}`;
  await new DocumentStore(labName).save({ version: 1, document: doc });
  const t = performance.now();
  const agent = await startAgent({
    selector: { lab: labName },
    port: 0,
    listen: '127.0.0.1',
    log: (line) => console.log(`  agent: ${line}`), // its troubles (a live-state read that hangs, say)
  });
  const startMs = performance.now() - t;
  running.agent = agent;
  if (interrupted) void agent.stop();
  const changer = agent.lab.byHand();
  try {
    // The editor link is used once; its cookie opens the benchmark's later connections too.
    const cookie = await exchangeToken(agent.server.editorUrl);
    const client = await connect(agent.server.origin, cookie);
    const welcome = await client.hello(undefined, 120_000); // the machine may be loaded
    console.log(
      `netcanvas agent benchmark: ${doc.namespaces.length} namespaces, ${doc.links.length} veths, ${doc.bridges.length} bridges (load average ${loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')})`,
    );
    console.log(
      `  agent start (sandbox, reconcile ${agent.reconciled.records.length} commands, first observe): ${f(startMs)}`,
    );
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await client.next(() => false, 1).catch(() => undefined); // let start-up messages arrive
    // At rest, in turns: the firewall readers, and every firewall read spawned as before them.
    for (const via of ['readers', 'spawned', 'readers', 'spawned'] as const) {
      benchToggles.firewallReading = via;
      console.log(`  at rest, firewalls read by ${via}: ${await idleCost(IDLE_SECONDS)}`);
    }
    benchToggles.firewallReading = 'readers';

    // (a) kernel change by hand → patch at the client.
    const delays = await profiled(`changes-${size}`, () =>
      paced(CHANGES, COMPARE, async (i) => {
        // One port per bridge taken down, then the same ports up again, then the next ports.
        const round = Math.floor(i / doc.bridges.length);
        const port = `p${i % doc.bridges.length}-${Math.floor(round / 2) % 10}`;
        const up = round % 2 === 1;
        const seen = client.next(
          (m: ServerMessage) =>
            m.type === 'observed' &&
            findInterface(observedAfter(m) ?? welcome.observed, 'root', port)?.up === up,
          30_000, // a loaded machine
        );
        const started = performance.now();
        const done = await changer.ip(['link', 'set', 'dev', port, up ? 'up' : 'down']);
        if (!done.ok) throw new Error(done.error);
        await seen.catch((error: unknown) => {
          // Say what the client held when it gave up: a patch lost, or only a slow read.
          const held = client.observed ? findInterface(client.observed, 'root', port) : undefined;
          console.log(
            `  change ${i} (${port} ${up ? 'up' : 'down'}) not seen; the client holds up=${held?.up}`,
          );
          throw error;
        });
        return performance.now() - started;
      }),
    );
    console.log(`  (a) change by hand → patch at client (target p95 < 250 ms): ${describePaced(delays)}`);

    // (b) edit: one namespace and a veth to a bridge → accepted; timed by the strict client (as
    // before 2026-12-02), then by a client that reads only its answers (answer-client.ts).
    const target = size >= 1000 ? 250 : 150;
    const say = (by: string, times: Paced) => {
      console.log(
        `  (b) edit adding a namespace + veth → accepted, ${by} (target p95 < ${target} ms, ≤ 2x median): ${describePaced(times)} (load ${loadavg()[0]?.toFixed(1)})`,
      );
      console.log(`      the new namespace's lines ${newLines.describe()}`);
      console.log(`      the sample's root counters ${rootCounters.describe()}`);
      console.log(`      reads during an edit ${holding.describe()}`);
      console.log(`      the sample under way when an edit waits ${yielding.describe()}`);
      console.log(`      the root's lines of an apply in a session ${rootApply.describe()}`);
      console.log(`      marks pending as the sample starts, read ${sampleMarks.describe()}`);
      console.log(`      the sample's learned MACs when an edit waits ${learnedMacs.describe()}`);
      console.log(`      links changed under the sample, the namespace ${changedLinks.describe()}`);
      console.log(`      the sweep's root dump while a user edits ${sweepRoot.describe()}`);
      console.log(`      a slice's firewalls when an edit runs ${sliceFirewalls.describe()}`);
    };
    const newLines = new Turns('newNamespaceLines', process.env.BENCH_NEW_LINES ?? 'via-root', 'via-root');
    const rootCounters = new Turns(
      'rootCounters',
      process.env.BENCH_ROOT_COUNTERS ?? 'scheduled',
      'scheduled',
    );
    const holding = new Turns('readsDuringApply', process.env.BENCH_READS_DURING_APPLY ?? 'held', 'held');
    const yielding = new Turns('sampleYields', process.env.BENCH_SAMPLE_YIELDS ?? 'yield', 'yield');
    const rootApply = new Turns('rootApplySession', process.env.BENCH_ROOT_APPLY ?? 'own', 'own');
    const sampleMarks = new Turns('sampleMarks', process.env.BENCH_SAMPLE_MARKS ?? 'apart', 'apart');
    const learnedMacs = new Turns('learnedMacs', process.env.BENCH_LEARNED_MACS ?? 'leave', 'leave');
    const changedLinks = new Turns(
      'sampleChangedLinks',
      process.env.BENCH_SAMPLE_CHANGED_LINKS ?? 'leave',
      'leave',
    );
    const sweepRoot = new Turns(
      'sweepRoot',
      // The agent's way alone unless asked (`when-quiet,always` compares): the headline "now" is
      // the product as it runs (until session 20 the default compared, and half of the edits
      // behind the headline figures ran the old way).
      process.env.BENCH_SWEEP_ROOT ?? 'when-quiet',
      'when-quiet',
    );
    const sliceFirewalls = new Turns('sliceFirewalls', process.env.BENCH_SLICE_FIREWALLS ?? 'leave', 'leave');
    const turns = [
      newLines,
      rootCounters,
      holding,
      yielding,
      rootApply,
      sampleMarks,
      learnedMacs,
      changedLinks,
      sweepRoot,
      sliceFirewalls,
    ];
    /** Each edit's ways (set already); the returned function files its time under each. */
    const nextTurn = () => {
      const each = turns.map((t) => t.next());
      return (ms: number) => each.reduce((time, t) => t.took(time), ms);
    };
    let version = welcome.version;
    if (EDIT_CLIENTS.includes('strict')) {
      const times = await profiled(`edits-${size}`, () =>
        paced(EDITS, COMPARE, async (i) => {
          const took = nextTurn();
          const started = performance.now();
          client.send(editMessage(i, version));
          const reply = await client.next(
            (m) => (m.type === 'accepted' || m.type === 'rejected') && m.requestId === `e${i}`,
            60_000,
          );
          if (reply.type !== 'accepted') throw new Error(JSON.stringify(reply));
          version = reply.version;
          return took(performance.now() - started);
        }),
      );
      say('timed by the strict client (it parses every message, in the agent’s process)', times);
    }
    await client.close();
    if (EDIT_CLIENTS.includes('answers')) {
      const editor = await answerClient(agent.server.origin, cookie, 120_000);
      version = editor.version;
      for (const t of turns) t.reset();
      const times = await profiled(`edits-answers-${size}`, () =>
        paced(EDITS, COMPARE, async (k) => {
          const i = EDITS + k; // new names: the strict client's edits made e0…
          const took = nextTurn();
          const started = performance.now();
          const reply = await editor.request(editMessage(i, version), 60_000);
          if (reply.type !== 'accepted') throw new Error(JSON.stringify(reply));
          version = reply.version;
          return took(performance.now() - started);
        }),
      );
      await editor.close();
      say('timed by a client that reads only its answers', times);
    }
    for (const t of turns) t.done();
    const cpu = editCpu(welcome.document, welcome.observed, agent.lab, (i) => editMessage(i, 0).edits);
    console.log(`  an edit's CPU before it runs (same run): ${cpu}`);
    const shapes = shapesCpu(welcome.document, welcome.observed, agent.lab, (i) => editMessage(i, 0).edits);
    console.log(`  the plan by how the interfaces were built (same run): ${shapes}`);

    if (size <= TRAFFIC_MAX && TRAFFIC_SECONDS > 0) {
      const watcher = await connect(agent.server.origin, cookie);
      await watcher.hello(undefined, 120_000);
      await trafficBytes(watcher, doc, labName);
      await watcher.close();
    }
  } catch (error) {
    if (!interrupted) throw error;
  } finally {
    await changer.close().catch(() => undefined);
    await agent.stop().catch(() => undefined);
    await agent.lab.destroy({ force: true });
  }
}

/** (c) bytes per second to a client while every namespace's counters move. */
async function trafficBytes(client: TestClient, doc: Topology, labName: string): Promise<void> {
  let bytes = 0;
  const countAll = (data: Buffer) => (bytes += data.length);
  client.socket.on('message', countAll);
  const lab = await Lab.open({ lab: labName }, { create: false });
  const pings: Promise<unknown>[] = [];
  try {
    for (const ns of doc.namespaces) {
      const [b, n] = (/^h(\d+)-(\d+)$/.exec(ns.name) ?? []).slice(1).map(Number) as [number, number];
      const peer = `10.${b}.0.${((n + 1) % 10) + 1}`;
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
    const t = performance.now();
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
  } finally {
    client.socket.off('message', countAll);
    await Promise.allSettled(pings);
    await lab.close();
  }
}
