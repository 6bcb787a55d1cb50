import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { Lab, listLabs } from '@netcanvas/kernel';
import { CLASS_LAB_LIMITS, ErrorCode, type ServerMessage, type StudentStatus } from '@netcanvas/model';
import { Classroom, type ClassOptions } from '../src/class/classroom';
import { startAgent, type RunningAgent } from '../src/core/agent';
import { labStateDir } from '../src/core/state-dir';
import { edit, requestId } from './agent-fixture';
import { connect, exchangeToken, UpgradeRefused, type TestClient } from './helpers/ws-client';
import { testLabName, topology } from '../../../packages/kernel/test/lab-fixture';

const start = topology({
  schemaVersion: 1,
  namespaces: [{ name: 'ns0' }, { name: 'ns1' }],
  links: [
    {
      a: { node: 'ns0', ifname: 'veth0', addresses: ['10.0.1.1/24'] },
      b: { node: 'ns1', ifname: 'veth1', addresses: ['10.0.1.2/24'] },
    },
  ],
});

const classOptions = (name: string, size: number, port: number): ClassOptions => ({
  name,
  size,
  port,
  start,
  lesson: null,
  listen: '127.0.0.1',
  terminals: true,
  log: () => undefined,
});

const labsOf = async (name: string) =>
  (await listLabs()).map((l) => l.lab).filter((lab) => lab.startsWith(`${name}-s`));

/** Why a WebSocket upgrade with this cookie was refused (its HTTP status), or 0 if it was not. */
async function refusedWith(origin: string, cookie: string): Promise<number> {
  try {
    const client = await connect(origin, cookie);
    await client.close();
    return 0;
  } catch (error) {
    if (error instanceof UpgradeRefused) return error.status;
    throw error;
  }
}

let stateDir: string;
beforeAll(async () => {
  stateDir = await mkdtemp(path.join(tmpdir(), 'netcanvas-class-test-'));
  process.env.NETCANVAS_STATE_DIR = stateDir;
});
afterAll(async () => rm(stateDir, { recursive: true, force: true }));

describe('a class of 3', () => {
  const name = testLabName('class');
  let classroom: Classroom;
  let trainer: RunningAgent;
  const clients: TestClient[] = [];
  const student = (id: string) => classroom.students.find((s) => s.id === id)!;
  const open = async (url: string, origin = new URL(url).origin) => {
    const client = await connect(origin, await exchangeToken(url));
    clients.push(client);
    await client.hello();
    return client;
  };

  beforeAll(async () => {
    classroom = new Classroom(classOptions(name, 3, 0));
    trainer = await startAgent({ selector: { lab: name }, port: 0, listen: '127.0.0.1', classroom });
    await classroom.make();
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await classroom?.destroy().catch(() => undefined);
    await trainer?.stop();
    await trainer?.lab.destroy({ force: true });
    // Whatever happened above, no student's lab outlives the test.
    for (const lab of await labsOf(name))
      await (await Lab.open({ lab }, { create: false }).catch(() => null))?.destroy({ force: true });
  });

  test("each student has a sandbox lab of its own, started from the class's topology", async () => {
    expect((await labsOf(name)).sort()).toEqual([`${name}-s01`, `${name}-s02`, `${name}-s03`]);
    const ports = new Set(classroom.students.map((s) => s.running!.server.port));
    expect(ports.size).toBe(3);
    for (const s of classroom.students) {
      expect(s.status()).toMatchObject({ state: 'ready', version: 0 });
      const observed = await s.running!.lab.observe();
      expect(observed.namespaces.map((ns) => ns.name).sort()).toEqual(['ns0', 'ns1', 'root']);
    }
  });

  test("a student's cookie is refused at another student's agent and at the trainer's", async () => {
    const s1 = student('s01').running!.server;
    const s2 = student('s02').running!.server;
    const cookie = await exchangeToken(s1.newEditorUrl());
    expect(await refusedWith(s1.origin, cookie)).toBe(0);
    expect(await refusedWith(s2.origin, cookie)).toBe(401);
    expect(await refusedWith(trainer.server.origin, cookie)).toBe(401);
    // Renamed for the other port, the cookie is still not signed by that lab's key.
    const value = cookie.split('=')[1];
    expect(await refusedWith(s2.origin, `netcanvas_session_${s2.port}=${value}`)).toBe(401);
    expect(
      await refusedWith(trainer.server.origin, `netcanvas_session_${trainer.server.port}=${value}`),
    ).toBe(401);
  });

  test("the class's status is for the trainer's editors only", async () => {
    const viewer = await open(trainer.server.viewerUrl);
    const asked = requestId();
    viewer.send({ type: 'classWatch', requestId: asked });
    expect(await viewer.nextOfType('rejected')).toMatchObject({
      requestId: asked,
      code: ErrorCode.forbidden,
    });
    // A student's editor, on its own agent: that agent runs no class.
    const s1 = await open(student('s01').newEditorUrl()!);
    s1.send({ type: 'classWatch', requestId: asked });
    expect(await s1.nextOfType('rejected')).toMatchObject({ requestId: asked, path: 'type' });
    expect(viewer.buffered.some((m) => m.type.startsWith('class'))).toBe(false);
  });

  test("the trainer's overview gets a student's edit as it happens", async () => {
    const watcher = await open(trainer.server.newEditorUrl());
    watcher.send({ type: 'classWatch', requestId: requestId() });
    const status = await watcher.nextOfType('classStatus');
    expect(status.students.map((s) => s.id)).toEqual(['s01', 's02', 's03']);
    expect(status.class.limits).toEqual({ ...CLASS_LAB_LIMITS });
    expect(status.students[0]!.viewerUrl).toBe(student('s01').running!.server.viewerUrl);

    const s2 = await open(student('s02').newEditorUrl()!);
    const reply = await edit(s2, 0, [{ type: 'addNamespace', name: 'only-s02' }]);
    expect(reply.type).toBe('accepted');
    const seen = (await watcher.next(
      (m) => m.type === 'classStudents' && m.students.some((s) => s.id === 's02' && hasNode(s, 'only-s02')),
      10_000,
    )) as Extract<ServerMessage, { type: 'classStudents' }>;
    expect(seen.students.map((s) => s.id)).toEqual(['s02']);

    // A fresh link for a student: issued to the trainer, and it opens that student's lab.
    const linkId = requestId();
    watcher.send({ type: 'classLink', requestId: linkId, student: 's03' });
    const issued = await watcher.nextOfType('classLinkIssued');
    expect(issued).toMatchObject({ requestId: linkId, student: 's03' });
    expect(new URL(issued.editorUrl).origin).toBe(student('s03').running!.server.origin);
    const wrong = requestId();
    watcher.send({ type: 'classLink', requestId: wrong, student: 's09' });
    expect(await watcher.nextOfType('rejected')).toMatchObject({ requestId: wrong, path: 'student' });
  });

  test("a reset of one student converges that lab's kernel to the start and leaves the others alone", async () => {
    const trainerEditor = await open(trainer.server.newEditorUrl());
    const s1 = await open(student('s01').newEditorUrl()!);
    const s2 = await open(student('s02').newEditorUrl()!);
    // s01 adds a namespace and changes an address by edit, and takes a link down by hand.
    expect(
      await edit(s1, student('s01').status().version, [
        { type: 'addNamespace', name: 'extra-s01' },
        { type: 'setInterface', node: 'ns0', ifname: 'veth0', addresses: ['10.0.9.1/24'] },
      ]),
    ).toMatchObject({ type: 'accepted', outcome: { ok: true } });
    const s1Lab = student('s01').running!.lab;
    expect((await s1Lab.run('ns1', ['ip', 'link', 'set', 'veth1', 'down'])).exitCode).toBe(0);
    // And makes a namespace by hand, with a veth to the lab's root and an address on it.
    const byHand =
      'ip netns add hand-s01 && ip link add hv0 type veth peer name hv1 netns hand-s01 && ' +
      'ip addr add 10.7.0.1/24 dev hv0 && ip link set hv0 up && ip -n hand-s01 link set lo up';
    expect((await s1Lab.run('root', ['sh', '-c', byHand])).exitCode).toBe(0);
    expect(
      await edit(s2, student('s02').status().version, [{ type: 'addNamespace', name: 'keep-s02' }]),
    ).toMatchObject({ type: 'accepted' });

    const asked = requestId();
    trainerEditor.send({ type: 'classReset', requestId: asked, students: ['s01'], to: { start: true } });
    const done = (await trainerEditor.next((m) => m.type === 'classResetDone', 60_000)) as Extract<
      ServerMessage,
      { type: 'classResetDone' }
    >;
    expect(done).toMatchObject({ requestId: asked, results: [{ student: 's01', ok: true }] });

    // s01's kernel, read whole, is the start: nothing left to plan; its document is the start's.
    // What s01 made by hand went too: the lab is the class's own sandbox, and the reset says
    // the work done since is lost, in the kernel too.
    const observed = await s1Lab.observe();
    expect(observed.namespaces.map((ns) => ns.name).sort()).toEqual(['ns0', 'ns1', 'root']);
    const rootLinks = observed.namespaces.find((ns) => ns.name === 'root')?.interfaces ?? [];
    expect(rootLinks.map((i) => i.ifname)).not.toContain('hv0');
    expect(s1Lab.plan(start, observed).steps).toEqual([]);
    // s02 keeps its work.
    const s02 = await student('s02').running!.lab.observe();
    expect(s02.namespaces.map((ns) => ns.name)).toContain('keep-s02');

    // An unknown student: refused by field, nobody reset.
    const wrong = requestId();
    trainerEditor.send({
      type: 'classReset',
      requestId: wrong,
      students: ['s02', 's09'],
      to: { start: true },
    });
    expect(await trainerEditor.nextOfType('rejected')).toMatchObject({
      requestId: wrong,
      path: 'students[1]',
    });
    expect((await student('s02').running!.lab.observe()).namespaces.map((ns) => ns.name)).toContain(
      'keep-s02',
    );
  });

  test('a reset to a checkpoint takes back the lab that saved it; one that did not is told so, unchanged', async () => {
    const trainerEditor = await open(trainer.server.newEditorUrl());
    const s2 = await open(student('s02').newEditorUrl()!);
    const saved = requestId();
    s2.send({ type: 'checkpointSave', requestId: saved, name: 'mine' });
    expect(await s2.next((m) => 'requestId' in m && m.requestId === saved, 10_000)).toMatchObject({
      type: 'checkpointSaved',
    });
    // The trainer's overview offers what each lab saved.
    await vi.waitFor(() => expect(student('s02').status().checkpoints).toEqual(['mine']), {
      timeout: 10_000,
    });
    expect(student('s01').status().checkpoints).toEqual([]);
    expect(
      await edit(s2, student('s02').status().version, [{ type: 'addNamespace', name: 'later-s02' }]),
    ).toMatchObject({ type: 'accepted', outcome: { ok: true } });
    const s01Version = student('s01').status().version;

    const asked = requestId();
    trainerEditor.send({
      type: 'classReset',
      requestId: asked,
      students: ['s01', 's02'],
      to: { checkpoint: 'mine' },
    });
    const done = (await trainerEditor.next((m) => m.type === 'classResetDone', 60_000)) as Extract<
      ServerMessage,
      { type: 'classResetDone' }
    >;
    expect(done.results.map((r) => [r.student, r.ok])).toEqual([
      ['s01', false],
      ['s02', true],
    ]);
    expect(done.results[0]!.message).toContain('no checkpoint named "mine"');
    const s02 = (await student('s02').running!.lab.observe()).namespaces.map((ns) => ns.name);
    expect(s02).toContain('keep-s02');
    expect(s02).not.toContain('later-s02');
    expect(student('s01').status().version).toBe(s01Version);
  });

  test("a class's limits are refused by field, with nothing changed", async () => {
    const s3 = await open(student('s03').newEditorUrl()!);
    const welcome = student('s03').status();
    const many = Array.from({ length: CLASS_LAB_LIMITS.namespaces - 1 }, (_, i) => ({
      type: 'addNamespace',
      name: `extra${i}`,
    }));
    const refused = await edit(s3, welcome.version, many);
    expect(refused).toMatchObject({ type: 'rejected', code: ErrorCode.invalid, path: 'namespaces' });
    // The field is the path: the words do not say it again (a client shows "at namespaces: …").
    expect((refused as { message: string }).message).toMatch(/^this lab may hold at most 12 namespaces/);
    const observed = await student('s03').running!.lab.observe();
    expect(observed.namespaces.map((ns) => ns.name).sort()).toEqual(['ns0', 'ns1', 'root']);
    expect(student('s03').running!.reconciled).toBeDefined();

    const capture = requestId();
    s3.send({
      type: 'captureStart',
      requestId: capture,
      namespace: 'ns0',
      ifname: 'veth0',
      maxBytes: CLASS_LAB_LIMITS.captureBytes + 1,
    });
    expect(await s3.nextOfType('rejected')).toMatchObject({ requestId: capture, path: 'maxBytes' });
    // One capture at once: a second, sent with the first, is refused naming the limit.
    const [c1, c2] = [requestId(), requestId()];
    for (const id of [c1, c2])
      s3.send({ type: 'captureStart', requestId: id, namespace: 'ns0', ifname: 'veth0' });
    const started = await s3.nextOfType('captureStarted', 15_000);
    expect(started.requestId).toBe(c1);
    expect(await s3.nextOfType('rejected')).toMatchObject({
      requestId: c2,
      code: ErrorCode.busy,
      path: 'captures',
      message: 'at most 1 capture at once: stop one first',
    });
    s3.send({ type: 'captureStop', requestId: requestId(), captureId: started.capture.id });
    await s3.nextOfType('captureEnded', 15_000);

    // One terminal open, then three sent together: exactly one more attached, two refused.
    const terminalIn = (namespace: string) => {
      const id = requestId();
      s3.send({ type: 'terminalOpen', requestId: id, namespace, cols: 80, rows: 24 });
      return id;
    };
    terminalIn('ns0');
    const opened = [(await s3.nextOfType('terminalAttached', 15_000)).terminal.id];
    const together = [terminalIn('ns0'), terminalIn('ns1'), terminalIn('root')];
    const answers: ServerMessage[] = [];
    while (answers.length < together.length)
      answers.push(
        await s3.next(
          (m) => (m.type === 'terminalAttached' || m.type === 'rejected') && together.includes(m.requestId),
          15_000,
        ),
      );
    for (const m of answers) if (m.type === 'terminalAttached') opened.push(m.terminal.id);
    expect(opened).toHaveLength(CLASS_LAB_LIMITS.terminals);
    const refusals = answers.filter((m) => m.type === 'rejected');
    expect(refusals).toHaveLength(2);
    for (const m of refusals)
      expect(m).toMatchObject({
        code: ErrorCode.busy,
        path: 'terminals',
        message: 'at most 2 terminals at once: close one first',
      });
    for (const terminalId of opened) s3.send({ type: 'terminalClose', requestId: requestId(), terminalId });
  });

  test("namespaces made by hand in a student's lab count against its limit", async () => {
    const s3 = await open(student('s03').newEditorUrl()!);
    const lab = student('s03').running!.lab;
    const byHand = Array.from({ length: 9 }, (_, i) => `hand${i}`);
    try {
      for (const name of byHand)
        expect((await lab.run('root', ['ip', 'netns', 'add', name])).exitCode).toBe(0);
      // 2 in the document and 9 by hand: one more fits, two do not.
      const refused = await edit(s3, student('s03').status().version, [
        { type: 'addNamespace', name: 'more0' },
        { type: 'addNamespace', name: 'more1' },
      ]);
      expect(refused).toMatchObject({ type: 'rejected', code: ErrorCode.invalid, path: 'namespaces' });
      expect((refused as { message: string }).message).toContain(
        `the edit would make 13 (9 of them made by hand: ${byHand.slice(0, 5).join(', ')}, …)`,
      );
      expect((await lab.namespaces()).sort()).toEqual([...byHand, 'ns0', 'ns1'].sort());
    } finally {
      for (const name of byHand) await lab.run('root', ['ip', 'netns', 'del', name]);
    }
  });

  test("a student's terminal sees the student's own lab only", async () => {
    // s02 has a namespace named only-s02 (made above); s01's shell must not see it.
    const s1 = await open(student('s01').newEditorUrl()!);
    s1.send({ type: 'terminalOpen', requestId: requestId(), namespace: 'ns0', cols: 120, rows: 24 });
    const id = (await s1.nextOfType('terminalAttached', 15_000)).terminal.id;
    s1.send({ type: 'terminalInput', terminalId: id, data: 'ls /run/netns; ip -o link; echo "EN""D"\r' });
    let seen = '';
    while (!seen.includes('END')) {
      const m = (await s1.next((x) => x.type === 'terminalOutput' && x.terminalId === id, 10_000)) as Extract<
        ServerMessage,
        { type: 'terminalOutput' }
      >;
      seen += m.data;
    }
    expect(seen).toMatch(/^ns0\s+ns1\s*$/m);
    expect(seen).toContain('veth0');
    expect(seen).not.toContain('only-s02');
    // Its prompt names its own lab; nothing names another student's.
    expect(seen).toContain(`${name}-s01`);
    expect(seen).not.toMatch(new RegExp(`${name}-s0[23]`));
    s1.send({ type: 'terminalClose', requestId: requestId(), terminalId: id });
  });

  test('the class destroyed: every student lab and its saved state gone, the trainer goes on', async () => {
    await classroom.destroy();
    expect(await labsOf(name)).toEqual([]);
    for (const s of classroom.students) {
      expect(s.status().state).toBe('stopped');
      expect(existsSync(labStateDir(s.lab))).toBe(false);
    }
    expect((await fetch(`${trainer.server.origin}/api/health`)).status).toBe(200);
  });
});

test('a class that cannot be made whole leaves no lab behind', async () => {
  const name = testLabName('classfail');
  // s02's port is taken: s01 and s03 are made, then all destroyed.
  const blocker: Server = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const taken = (blocker.address() as { port: number }).port;
  const classroom = new Classroom(classOptions(name, 3, taken - 2));
  try {
    await expect(classroom.make()).rejects.toThrow(/1 of 3 labs failed.*s02/);
    expect(await labsOf(name)).toEqual([]);
    expect(classroom.students.map((s) => s.state)).toEqual(['stopped', 'stopped', 'stopped']);
  } finally {
    await new Promise((resolve) => blocker.close(resolve));
    for (const lab of await labsOf(name))
      await (await Lab.open({ lab }, { create: false }).catch(() => null))?.destroy({ force: true });
  }
});

function hasNode(s: StudentStatus, node: string): boolean {
  return s.miniature.nodes.some((n) => n.name === node);
}
