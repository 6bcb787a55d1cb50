import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseLesson, validateTopology, type ServerMessage, type StudentStatus } from '@netcanvas/model';
import { Classroom } from '../src/class/classroom';
import { startAgent } from '../src/core/agent';
import { connect, exchangeToken, type TestClient } from '../test/helpers/ws-client';

/**
 * pnpm bench:class — a class of STUDENTS (30) labs of 6 namespaces (three veth pairs) in one
 * process: the time to make the class; the agent's CPU share at rest and while students edit
 * (each edit takes a veth end down or up: a command in the kernel); how long from a student's edit
 * to the trainer's overview showing it (change → `classStudents` with that link's new state), and
 * to its lesson goal judged again (a goal per veth end: the goals met, as the overview says them),
 * and how often the overview is updated. docs/benchmarks.md, "A class".
 */
const STUDENTS = Number(process.env.BENCH_STUDENTS ?? 30);
const EDITS = Number(process.env.BENCH_EDITS ?? 120);
const REST_MS = 10_000;

const pairs = [0, 1, 2];
const checked = validateTopology({
  schemaVersion: 1,
  namespaces: pairs.flatMap((p) => [
    { name: `h${p}a`, position: { x: p * 300, y: 0 } },
    { name: `h${p}b`, position: { x: p * 300, y: 200 } },
  ]),
  links: pairs.map((p) => ({
    a: { node: `h${p}a`, ifname: 'eth0', addresses: [`10.${p}.0.1/24`] },
    b: { node: `h${p}b`, ifname: 'eth0', addresses: [`10.${p}.0.2/24`] },
  })),
});
if (!checked.ok) throw new Error(JSON.stringify(checked.issues));

/**
 * The class's lesson: one step on the class's own lab, a goal per veth end that the edits take down
 * and up (state goals, judged on every live change), and one that stays unmet (lo is down), so the
 * step never completes and every edit moves the goals.
 */
const lessonText = `lesson: bench-links
title: Links up
steps:
  - id: up
    title: Every link up
    text: Keep every veth end up.
    start: ${JSON.stringify(checked.value)}
    goals:
${pairs.map((p) => `      - text: h${p}a eth0 is up\n        interfaceUp: { namespace: h${p}a, ifname: eth0 }`).join('\n')}
      - text: h0b has 10.99.0.1/24
        address: { namespace: h0b, cidr: 10.99.0.1/24 }
`;
const parsedLesson = parseLesson(lessonText);
if (!parsedLesson.ok) throw new Error(JSON.stringify(parsedLesson.issues));

const quantile = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? NaN;
const describe = (xs: number[]) =>
  `median ${quantile(xs, 0.5).toFixed(0)} ms, p95 ${quantile(xs, 0.95).toFixed(0)} ms, max ${Math.max(...xs).toFixed(0)} ms over ${xs.length}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The process's CPU time over `work`, as a share of one core. */
async function cpuShare(work: () => Promise<unknown>): Promise<{ share: number; ms: number }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  await work();
  const used = process.cpuUsage(cpu);
  const ms = performance.now() - started;
  return { share: (used.user + used.system) / 1000 / ms, ms };
}

const stateDir = await mkdtemp(path.join(tmpdir(), 'netcanvas-bench-class-'));
process.env.NETCANVAS_STATE_DIR = stateDir;
const name = `bench-class-${process.pid}`;
const classroom = new Classroom({
  name,
  size: STUDENTS,
  port: 0,
  start: checked.value,
  lesson: parsedLesson.lesson,
  listen: '127.0.0.1',
  terminals: false,
  log: () => undefined,
});
const trainer = await startAgent({ selector: { lab: name }, port: 0, listen: '127.0.0.1', classroom });
const clients: TestClient[] = [];
try {
  console.log(
    `load before: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  const made = performance.now();
  await classroom.make();
  console.log(`made ${STUDENTS} labs of 6 namespaces in ${((performance.now() - made) / 1000).toFixed(1)} s`);

  const watcher = await connect(trainer.server.origin, await exchangeToken(trainer.server.newEditorUrl()));
  clients.push(watcher);
  await watcher.hello();
  watcher.send({ type: 'classWatch', requestId: 'watch' });
  await watcher.nextOfType('classStatus');
  const students: { client: TestClient; version: number }[] = [];
  for (const s of classroom.students) {
    const client = await connect(s.running!.server.origin, await exchangeToken(s.newEditorUrl()!));
    clients.push(client);
    students.push({ client, version: (await client.hello()).version });
  }
  await sleep(3000);
  const rest = await cpuShare(() => sleep(REST_MS));
  console.log(
    `at rest (${STUDENTS + 1} agents, ${STUDENTS + 1} clients): CPU ${(rest.share * 100).toFixed(1)} % of a core`,
  );

  let updates = 0;
  let studentsSent = 0;
  const latencies: number[] = [];
  const goalLatencies: number[] = [];
  // Which veth ends are up, per student: the goals met are as many.
  const upNow = students.map(() => pairs.map(() => true));
  const editing = await cpuShare(async () => {
    for (let i = 0; i < EDITS; i++) {
      const k = i % STUDENTS;
      const student = students[k]!;
      const id = classroom.students[k]!.id;
      const up = Math.floor(i / STUDENTS) % 2 === 1;
      const pair = Math.floor(i / STUDENTS) % 3;
      const want = up ? 'ok' : 'down';
      upNow[k]![pair] = up;
      const metWanted = upNow[k]!.filter(Boolean).length;
      const started = performance.now();
      let drawnAt = 0;
      let judgedAt = 0;
      const seen = watcher.next((m: ServerMessage) => {
        if (m.type !== 'classStudents') return false;
        updates++;
        studentsSent += m.students.length;
        const s = m.students.find((x: StudentStatus) => x.id === id);
        if (s === undefined) return false;
        if (drawnAt === 0 && s.miniature.edges[pair]?.state === want) drawnAt = performance.now();
        if (judgedAt === 0 && s.goals?.met === metWanted) judgedAt = performance.now();
        return drawnAt > 0 && judgedAt > 0;
      }, 30_000);
      student.client.send({
        type: 'edit',
        requestId: `e${i}`,
        baseVersion: student.version,
        edits: [{ type: 'setInterface', node: `h${pair}a`, ifname: 'eth0', up }],
      });
      const reply = await student.client.next((m) => m.type === 'accepted' || m.type === 'rejected', 30_000);
      if (reply.type !== 'accepted') throw new Error(`edit ${i} refused: ${JSON.stringify(reply)}`);
      student.version = reply.version;
      await seen;
      latencies.push(drawnAt - started);
      goalLatencies.push(judgedAt - started);
    }
  });
  console.log(
    `students editing (${EDITS} edits, one after another, a student each): CPU ${(editing.share * 100).toFixed(1)} % of a core`,
  );
  console.log(`edit → the trainer's overview shows it: ${describe(latencies)}`);
  console.log(
    `edit → its goal judged again, at the trainer's overview (target p95 < 500 ms): ${describe(goalLatencies)}`,
  );
  console.log(
    `overview updates: ${((updates / editing.ms) * 1000).toFixed(1)} a second, ${(studentsSent / Math.max(1, updates)).toFixed(2)} students each`,
  );
  console.log(
    `load after: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
} finally {
  await Promise.all(clients.map((c) => c.close()));
  const destroyed = performance.now();
  await classroom.destroy();
  console.log(`destroyed the class in ${((performance.now() - destroyed) / 1000).toFixed(1)} s`);
  await trainer.stop();
  await trainer.lab.destroy({ force: true });
  await rm(stateDir, { recursive: true, force: true });
}
