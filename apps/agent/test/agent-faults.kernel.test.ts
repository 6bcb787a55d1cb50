import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerMessage } from '@netcanvas/model';
import { Lab } from '@netcanvas/kernel';
import { labDir } from '@netcanvas/kernel/testing';
import { edit, requestId, startHarness, tutorialEdits, type AgentHarness } from './agent-fixture';
import { observedAfter, patchedNamespace } from './helpers/ws-client';

// Issue 8: the agent survives what a terminal (or the disk) does, and never destroys or loses
// what it was not asked to. Each test here failed before its fix.

let harness: AgentHarness | undefined;
afterEach(async () => {
  const seen = harness?.agent.unhandled ?? [];
  await harness?.stop();
  harness = undefined;
  expect(seen, 'unhandled rejections in the agent').toEqual([]);
});

const labFile = (h: AgentHarness, name: string) => path.join(h.stateDir, 'labs', h.labName, name);

const auditLines = async (h: AgentHarness) =>
  (await readFile(labFile(h, 'audit.log'), 'utf8'))
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { pending?: boolean; argv: string[]; exitCode?: number });

/** After `message`, the client holds namespace `ns` with `ifname` up. */
const holdsUpLink = (message: ServerMessage, ns: string, ifname: string) =>
  message.type === 'observed' &&
  observedAfter(message)
    ?.namespaces.find((n) => n.name === ns)
    ?.interfaces.some((i) => i.ifname === ifname && i.up) === true;

const namespacesInKernel = async (h: AgentHarness) =>
  (await h.sh('root', ['ip', 'netns', 'list'])).stdout
    .split('\n')
    .map((l) => l.split(' ')[0])
    .filter((n): n is string => n !== undefined && n !== '')
    .sort();

describe('the agent under faults', () => {
  it('survives namespaces that live for a few milliseconds, and keeps answering', async () => {
    harness = await startHarness('fault-short');
    const client = await harness.editor();
    const welcome = await client.hello();
    // Each namespace appears (inotify → a read) and is gone before or while it is read.
    // The loop's own time is not what is tested: on a loaded machine each add and del takes
    // hundreds of ms, so it has minutes, and says why if it fails.
    const churn = harness.sh(
      'root',
      ['sh', '-c', 'for i in $(seq 1 40); do ip netns add t$i; sleep 0.01; ip netns del t$i; done'],
      { timeoutMs: 180_000 },
    );
    for (let i = 0; i < 6; i++) {
      const reply = await edit(client, welcome.version + i, [{ type: 'addNamespace', name: `keep${i}` }]);
      expect(reply).toMatchObject({ type: 'accepted', outcome: { ok: true } });
    }
    const churned = await churn;
    expect(churned.exitCode, churned.stderr).toBe(0);
    const again = await harness.editor();
    expect((await again.hello()).document.namespaces.map((n) => n.name)).toEqual(
      Array.from({ length: 6 }, (_, i) => `keep${i}`),
    );
  }, 240_000);

  it('removes an adopted namespace that holds a veth, and goes on', async () => {
    harness = await startHarness('fault-adoptdel');
    const client = await harness.editor();
    const welcome = await client.hello();
    await harness.sh('root', ['ip', 'netns', 'add', 'mine']);
    await harness.sh('root', [
      'ip',
      'link',
      'add',
      'hv0',
      'type',
      'veth',
      'peer',
      'name',
      'hv1',
      'netns',
      'mine',
    ]);
    await client.next(
      (m) => patchedNamespace(m, 'mine')?.interfaces.some((i) => i.ifname === 'hv1') === true,
      3000,
    );
    const adopted = await edit(client, welcome.version, [
      { type: 'adopt', namespace: 'mine' },
      { type: 'adopt', namespace: 'mine', ifname: 'hv1' },
    ]);
    expect(adopted).toMatchObject({ type: 'accepted', outcome: { ok: true } });
    const removed = await edit(client, welcome.version + 1, [{ type: 'removeNamespace', name: 'mine' }]);
    expect(removed).toMatchObject({ type: 'accepted', outcome: { ok: true } });
    expect(await namespacesInKernel(harness)).toEqual([]);
    const next = await edit(client, welcome.version + 2, [{ type: 'addNamespace', name: 'after' }]);
    expect(next).toMatchObject({ type: 'accepted', outcome: { ok: true } });
  });

  it('goes on when the lab helper processes are killed', async () => {
    harness = await startHarness('fault-killhelpers');
    const client = await harness.editor();
    const welcome = await client.hello();
    await edit(client, welcome.version, tutorialEdits);
    const pids = await helperPids();
    expect(pids.length).toBeGreaterThan(0);
    for (const pid of pids) process.kill(pid, 'SIGKILL');
    const reply = await edit(client, welcome.version + 1, [
      { type: 'setInterface', node: 'ns0', ifname: 'veth0', addresses: ['10.0.1.1/24', '10.0.9.1/24'] },
    ]);
    expect(reply).toMatchObject({ type: 'accepted', outcome: { ok: true } });
    expect((await harness.sh('ns0', ['ip', '-o', 'addr', 'show', 'dev', 'veth0'])).stdout).toContain(
      '10.0.9.1/24',
    );
    // And the live state still follows a terminal.
    await harness.sh('ns1', ['ip', 'link', 'set', 'dev', 'veth1', 'down']);
    await client.next(
      (m) => patchedNamespace(m, 'ns1')?.interfaces.some((i) => i.ifname === 'veth1' && !i.up) === true,
      5000,
    );
  });

  it('never deletes what it adopts: a veth with one end in the lab root, twelve times', async () => {
    harness = await startHarness('fault-adoptroot');
    const client = await harness.editor();
    let version = (await client.hello()).version;
    expect(await edit(client, version++, [{ type: 'addNamespace', name: 'a0' }])).toMatchObject({
      type: 'accepted',
    });
    // A terminal keeps a0 busy (its events queue ahead of the adopt's marks): the read after an
    // adopt must still include the root end's new mark.
    const stop = path.join(harness.stateDir, 'stop-flood');
    const flood = harness.sh('a0', [
      'timeout',
      '30',
      'sh',
      '-c',
      `ip link add fl0 type veth peer name fl1; while [ ! -e ${stop} ]; do ip link set fl0 up; ip link set fl0 down; done`,
    ]);
    for (let i = 0; i < 12; i++) {
      await harness.sh('root', [
        'ip',
        'link',
        'add',
        `r${i}`,
        'type',
        'veth',
        'peer',
        'name',
        `e${i}`,
        'netns',
        'a0',
      ]);
      const before = (await harness.sh('root', ['cat', `/sys/class/net/r${i}/ifindex`])).stdout.trim();
      await client.next(
        (m) => patchedNamespace(m, 'a0')?.interfaces.some((x) => x.ifname === `e${i}` && !x.managed) === true,
        3000,
      );
      const reply = await edit(client, version++, [{ type: 'adopt', namespace: 'root', ifname: `r${i}` }]);
      expect(reply).toMatchObject({ type: 'accepted', outcome: { ok: true } });
      if (reply.type !== 'accepted') return;
      expect(
        reply.outcome.commands.filter((c) => c.argv.includes('del')).map((c) => c.argv.join(' ')),
      ).toEqual([]);
      const after = (await harness.sh('root', ['cat', `/sys/class/net/r${i}/ifindex`])).stdout.trim();
      expect(after).toBe(before);
    }
    await writeFile(stop, '');
    await flood;
  });

  // One retry: CI's rehearsal of 2026-12-02 met the second edit failing once (ok: false) with four
  // other kernel files running; not met since (alone, under load, ~200 rounds of a stress beside
  // other files). Its outcome is printed even when the retry passes (docs/reliability.md).
  it(
    'the first edit after a namespace was deleted by hand works (no stale ifindex)',
    { retry: 1 },
    async () => {
      harness = await startHarness('fault-enodev');
      const client = await harness.editor();
      let version = (await client.hello()).version;
      const withRootEnd = [
        { type: 'addNamespace', name: 'h1' },
        {
          type: 'connect',
          a: { node: 'root', ifname: 'p1', addresses: ['10.7.0.1/24'] },
          b: { node: 'h1', ifname: 'eth0', addresses: ['10.7.0.2/24'] },
        },
      ];
      expect(await edit(client, version++, withRootEnd)).toMatchObject({
        type: 'accepted',
        outcome: { ok: true },
      });
      // Deleted once the agent has seen it, as a person sees it on the canvas. `accepted` comes
      // before the agent's first read of a namespace its apply made through the root's session:
      // deleted before that read, h1 is never seen, so no removal is ever said (docs/reliability.md).
      await client.next((m) => holdsUpLink(m, 'h1', 'eth0'), 3000);
      await harness.sh('root', ['ip', 'netns', 'del', 'h1']);
      await client.next(
        (m) => m.type === 'observed' && m.patches.some((p) => p.op === 'removeNamespace'),
        3000,
      );
      // The document still wants h1 and its veth: a converge ("Make the kernel match", with an
      // edit) plans them again, and must succeed. (An edit alone leaves that drift as it is.)
      const reply = await edit(client, version++, [{ type: 'addNamespace', name: 'other' }], {
        converge: true,
      });
      if (reply.type !== 'accepted' || !reply.outcome.ok)
        console.log('the edit after h1 was deleted by hand:', JSON.stringify(reply));
      expect(reply, JSON.stringify(reply.type === 'accepted' ? reply.outcome : reply)).toMatchObject({
        type: 'accepted',
        outcome: { ok: true },
      });
      expect(await namespacesInKernel(harness)).toEqual(['h1', 'other']);
      expect((await harness.sh('h1', ['ping', '-c', '1', '-W', '2', '10.7.0.1'])).exitCode).toBe(0);
    },
  );

  it('a failed save changes nothing: no phantom edit later', async () => {
    harness = await startHarness('fault-save');
    const client = await harness.editor();
    const welcome = await client.hello();
    expect(await edit(client, welcome.version, [{ type: 'addNamespace', name: 'first' }])).toMatchObject({
      type: 'accepted',
      version: 1,
    });
    // A directory where the document is: the atomic rename fails (EISDIR), as a full disk would fail it.
    const doc = labFile(harness, 'topology.json');
    const savedBefore = await readFile(doc, 'utf8');
    await rm(doc);
    await mkdir(doc);
    const refused = await edit(client, 1, [{ type: 'addNamespace', name: 'phantom' }]);
    expect(refused).toMatchObject({ type: 'rejected', code: 'ERR_SAVE_FAILED', currentVersion: 1 });
    expect(await namespacesInKernel(harness)).toEqual(['first']);
    await rm(doc, { recursive: true });
    await writeFile(doc, savedBefore);
    const next = await edit(client, 1, [{ type: 'addNamespace', name: 'second' }]);
    expect(next).toMatchObject({ type: 'accepted', version: 2 });
    expect(await namespacesInKernel(harness)).toEqual(['first', 'second']);
    const onDisk = JSON.parse(await readFile(doc, 'utf8')) as {
      document: { namespaces: { name: string }[] };
    };
    expect(onDisk.document.namespaces.map((n) => n.name)).toEqual(['first', 'second']);
  });

  it('an edit that conflicts leaves the saved document as it was, and no half-saved one beside it', async () => {
    // The next version is written aside while the edit plans (docs/benchmarks.md, "Edits,
    // session 13"); a plan with a conflict drops it.
    harness = await startHarness('fault-staged');
    const client = await harness.editor();
    const welcome = await client.hello();
    const doc = labFile(harness, 'topology.json');
    const before = await readFile(doc, 'utf8').catch(() => null);
    await harness.sh('root', ['ip', 'netns', 'add', 'byhand']);
    const reply = await edit(client, welcome.version, [{ type: 'addNamespace', name: 'byhand' }]);
    expect(reply).toMatchObject({ type: 'rejected', code: 'ERR_CONFLICT', currentVersion: welcome.version });
    expect(await readFile(doc, 'utf8').catch(() => null)).toEqual(before);
    // The next edit's save (its own write, sync and rename) ends after the first's write would
    // have: a half-saved version left behind would be there by then.
    const next = await edit(client, welcome.version, [{ type: 'addNamespace', name: 'other' }]);
    expect(next).toMatchObject({ type: 'accepted', version: welcome.version + 1 });
    expect((await readdir(path.dirname(doc))).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('an ownership record it cannot write (beside the save): nothing made, said so, no stray rejection', async () => {
    harness = await startHarness('fault-owned');
    const client = await harness.editor();
    const welcome = await client.hello();
    // A directory where the record is: its atomic rename fails (EISDIR), while the save succeeds.
    const record = path.join(labDir(harness.labName), 'owned.json');
    await rm(record, { force: true });
    await mkdir(record);
    try {
      const reply = await edit(client, welcome.version, [{ type: 'addNamespace', name: 'unrecorded' }]);
      expect(reply).toMatchObject({ type: 'accepted', outcome: { ok: false } });
      // Never made unrecorded: a namespace the lab made but does not know it owns.
      expect(await namespacesInKernel(harness)).toEqual([]);
    } finally {
      await rm(record, { recursive: true, force: true });
    }
    // (afterEach: no unhandled rejection in the agent, though the record failed while the save ran.)
  });

  it('the audit log recovers from a failed write and loses no command', async () => {
    harness = await startHarness('fault-audit');
    const client = await harness.editor();
    const welcome = await client.hello();
    const audit = labFile(harness, 'audit.log');
    await mkdir(audit, { recursive: true }); // appends fail with EISDIR
    const first = await edit(client, welcome.version, [{ type: 'addNamespace', name: 'a1' }]);
    expect(first).toMatchObject({ type: 'accepted', outcome: { ok: true } });
    await rm(audit, { recursive: true });
    const second = await edit(client, 1, [{ type: 'addNamespace', name: 'a2' }]);
    expect(second).toMatchObject({ type: 'accepted', outcome: { ok: true } });
    const lines = await auditLines(harness);
    const done = lines.filter((l) => !l.pending).map((l) => l.argv.join(' '));
    expect(done).toContain('ip netns add a1');
    expect(done).toContain('ip netns add a2');
    expect(lines.filter((l) => l.pending).map((l) => l.argv.join(' '))).toContain('ip netns add a1');
  });

  it('recovers a corrupt or missing document from the owned lab, and deletes nothing', async () => {
    harness = await startHarness('fault-recover');
    const client = await harness.editor();
    const welcome = await client.hello();
    await edit(client, welcome.version, tutorialEdits);
    await harness.stopAgent();
    // Owned (it carries the mark) but not something a document can say: kept, and let go.
    const made = await harness.sh('ns0', [
      'ip',
      'link',
      'add',
      'd0',
      'link',
      'veth0',
      'group',
      '28259',
      'type',
      'macvlan',
    ]);
    expect(made.exitCode).toBe(0);
    const doc = labFile(harness, 'topology.json');
    await writeFile(doc, '{"version": 3, "docu');
    await harness.startAgain();
    expect(harness.agent.reconciled.records).toEqual([]);
    expect(await namespacesInKernel(harness)).toEqual(['ns0', 'ns1']);
    const files = await readdir(path.dirname(doc));
    expect(files.some((f) => f.startsWith('topology.json.corrupt-'))).toBe(true);
    const recovered = await (await harness.editor()).hello();
    expect(recovered.document.namespaces.map((n) => n.name)).toEqual(['ns0', 'ns1']);
    expect(recovered.document.links).toHaveLength(1);
    expect(harness.agent.notes.join('\n')).toContain('interface d0 in ns0 is no longer');
    // The next edit plans the whole lab: d0 is not the lab's any more, so it stays.
    const client2 = await harness.editor();
    const v = (await client2.hello()).version;
    expect(await edit(client2, v, [{ type: 'addNamespace', name: 'later' }])).toMatchObject({
      type: 'accepted',
    });
    expect((await harness.sh('ns0', ['ip', '-o', 'link', 'show', 'dev', 'd0'])).exitCode).toBe(0);
    expect(await namespacesInKernel(harness)).toEqual(['later', 'ns0', 'ns1']);

    // Moved away by hand ("to start empty"): the same.
    await harness.stopAgent();
    await rm(doc);
    await harness.startAgain();
    expect(harness.agent.reconciled.records).toEqual([]);
    expect(await namespacesInKernel(harness)).toEqual(['later', 'ns0', 'ns1']);
    expect((await harness.sh('ns1', ['ping', '-c', '1', '-W', '2', '10.0.1.1'])).exitCode).toBe(0);
  });

  it('welcomes right after a restart with the state the reconcile left', async () => {
    harness = await startHarness('fault-welcome');
    const client = await harness.editor();
    // Enough namespaces that a whole read takes a while: the window in which a welcome could
    // carry the state from before the reconcile's steps.
    const crowd = Array.from({ length: 30 }, (_, i) => ({ type: 'addNamespace', name: `c${i}` }));
    await edit(client, (await client.hello()).version, [...tutorialEdits, ...crowd]);
    for (let round = 0; round < 3; round++) {
      await harness.stopAgent();
      await harness.sh('root', ['ip', 'netns', 'del', 'ns1']);
      await harness.startAgain();
      const welcome = await (await harness.editor()).hello();
      const ns1 = welcome.observed.namespaces.find((n) => n.name === 'ns1');
      expect(ns1?.interfaces.find((i) => i.ifname === 'veth1')?.addresses).toContain('10.0.1.2/24');
    }
    // Three restarts of an agent with 33 namespaces: ~16 s quiet, over 60 s at load 17.
  }, 180_000);

  it('stays up when its lab is destroyed from outside, and says so to every request', async () => {
    harness = await startHarness('fault-labgone');
    const client = await harness.editor();
    const welcome = await client.hello();
    await edit(client, welcome.version, [{ type: 'addNamespace', name: 'a' }]);
    // What `destroy --force` did before it learned to stop the agent first: every process in
    // the sandbox (the agent's sessions and monitor included) ends, and the namespaces with them.
    const outside = await Lab.open({ lab: harness.labName }, { create: false });
    await outside.destroy({ force: true });
    const reply = await edit(client, 1, [{ type: 'addNamespace', name: 'b' }]);
    expect(reply).toMatchObject({ type: 'rejected', currentVersion: 1 });
    if (reply.type === 'rejected') expect(reply.message).toMatch(/sandbox is gone/);
    const health = (await (await fetch(`${harness.agent.server.origin}/api/health`)).json()) as {
      ok: boolean;
    };
    expect(health.ok).toBe(true);
    const late = await harness.editor();
    expect((await late.hello()).version).toBe(1);
  });

  it('plans from what an adopted namespace holds now: it gets an id, so its changes are seen at once', async () => {
    harness = await startHarness('fault-unwatched');
    const client = await harness.editor();
    let version = (await client.hello()).version;
    await harness.sh('root', ['ip', 'netns', 'add', 'mine']);
    await harness.sh('root', ['ip', 'netns', 'add', 'other']);
    await harness.sh('root', [
      'ip',
      'link',
      'add',
      'hv0',
      'netns',
      'other',
      'type',
      'veth',
      'peer',
      'name',
      'hw0',
      'netns',
      'mine',
    ]);
    await client.next(
      (m) => patchedNamespace(m, 'mine')?.interfaces.some((i) => i.ifname === 'hw0') === true,
      3000,
    );
    expect(await edit(client, version++, [{ type: 'adopt', namespace: 'mine' }])).toMatchObject({
      type: 'accepted',
    });
    expect((await harness.sh('root', ['ip', 'netns', 'list'])).stdout).toMatch(/^mine \(id: \d+\)/m);
    // Removed from the document, but it holds a veth made by hand: the namespace stays.
    expect(await edit(client, version++, [{ type: 'removeNamespace', name: 'mine' }])).toMatchObject({
      type: 'accepted',
    });
    expect(await namespacesInKernel(harness)).toContain('mine');
    // The hand-made veth leaves; the very next converge sees it gone and removes the namespace
    // (an edit alone leaves that leftover as drift: model `editSteps`).
    await harness.sh('mine', ['ip', 'link', 'set', 'dev', 'hw0', 'netns', 'other']);
    // Seen at once (its id makes the monitor see into it), as a person sees it before the next
    // click. An edit sent the same millisecond as the command can still plan from the state a few
    // milliseconds before (ci-58, under the kernel stage's load).
    await client.next(
      (m) => patchedNamespace(m, 'mine')?.interfaces.some((i) => i.ifname === 'hw0') === false,
      3000,
    );
    const next = [{ type: 'addNamespace', name: 'x' }];
    expect(await edit(client, version++, next, { converge: true })).toMatchObject({
      type: 'accepted',
      outcome: { ok: true },
    });
    expect(await namespacesInKernel(harness)).toEqual(['other', 'x']);
  });

  it('keeps the command log across a restart (reloaded from the audit log)', async () => {
    harness = await startHarness('fault-logreload');
    const client = await harness.editor();
    const welcome = await client.hello();
    await edit(client, welcome.version, [{ type: 'addNamespace', name: 'before' }]);
    await harness.stopAgent();
    await harness.startAgain();
    const again = await (await harness.editor()).hello();
    expect(again.log.map((r) => [r.argv.join(' '), r.by])).toContainEqual([
      'ip netns add before',
      welcome.clientId,
    ]);
  });

  it('merges a burst of moves and bounds the queue: every request is answered', async () => {
    harness = await startHarness('fault-burst');
    const first = await harness.editor();
    const welcome = await first.hello();
    await edit(first, welcome.version, [{ type: 'addNamespace', name: 'n' }]);
    const movers = await Promise.all(Array.from({ length: 10 }, () => harness!.editor()));
    await Promise.all(movers.map((m) => m.hello()));
    const sent: string[] = [];
    movers.forEach((mover, k) => {
      for (let i = 0; i < 30; i++) {
        const id = requestId();
        sent.push(id);
        mover.send({
          type: 'edit',
          requestId: id,
          baseVersion: 1,
          edits: [{ type: 'setPosition', node: 'n', position: { x: k, y: i } }],
        });
      }
    });
    const answers = await Promise.all(
      movers.map(async (mover) => {
        const replies: ServerMessage[] = [];
        while (replies.length < 30)
          replies.push(await mover.next((m) => m.type === 'accepted' || m.type === 'rejected', 20_000));
        return replies;
      }),
    );
    const flat = answers.flat();
    expect(flat).toHaveLength(sent.length);
    const accepted = flat.filter((m) => m.type === 'accepted');
    // Merged: far fewer versions than moves.
    const versions = new Set(accepted.map((m) => (m.type === 'accepted' ? m.version : 0)));
    expect(versions.size).toBeLessThan(accepted.length / 3);
    // An edit that changes the kernel still gets through.
    const last = Math.max(...versions);
    expect(await edit(first, last, [{ type: 'addNamespace', name: 'm' }])).toMatchObject({
      type: 'accepted',
    });
  });
});

/**
 * The lab's `ip -batch` sessions and `ip monitor`: children of this process (the agent runs in
 * the test's process; vitest gives each file its own), which exec'd into `ip` through setpriv and
 * nsenter, so their command line is ip's own.
 */
async function helperPids(): Promise<number[]> {
  const out: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const [cmdline, status] = await Promise.all([
      readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => ''),
      readFile(`/proc/${entry}/status`, 'utf8').catch(() => ''),
    ]);
    const argv = cmdline.split('\0');
    const mine = /PPid:\s+(\d+)/.exec(status)?.[1] === String(process.pid);
    if (mine && argv[0] === 'ip' && (argv.includes('-batch') || argv.includes('monitor')))
      out.push(Number(entry));
  }
  return out;
}
