import { readdir, readFile, readlink } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Lab } from '@netcanvas/kernel';
import { ROOT } from '@netcanvas/model';
import { IpSession } from '../src/session';
import { namespaceIo } from '../src/io';
import { SessionPool } from '../src/pool';
import { watchLab, type WatchEvent } from '../src/watch';
import { run } from '@netcanvas/kernel/testing';
import { testLab, topology } from './lab-fixture';

// A session's `ip -batch` can die under it (its namespace deleted between spawn and read, or the
// process killed): the agent must go on, never crash on an unhandled rejection.

const unhandled: unknown[] = [];
const record = (reason: unknown) => unhandled.push(reason);
beforeAll(() => void process.on('unhandledRejection', record));
afterAll(() => void process.off('unhandledRejection', record));
beforeEach(() => void unhandled.splice(0));

let labs: Lab[] = [];
afterEach(async () => {
  for (const lab of labs) await lab.destroy({ force: true });
  labs = [];
});
const liveLab = async (tag: string) => {
  const lab = await testLab(tag, 'live');
  labs.push(lab);
  return lab;
};

const doc = (address: string) =>
  topology({
    schemaVersion: 1,
    namespaces: [
      { name: 'ns0', loUp: true, position: { x: 0, y: 0 } },
      { name: 'ns1', loUp: true, position: { x: 400, y: 0 } },
    ],
    bridges: [],
    links: [
      {
        a: { node: 'ns0', ifname: 'veth0', addresses: ['10.0.1.1/24'], up: true },
        b: { node: 'ns1', ifname: 'veth1', addresses: [address], up: true },
      },
    ],
  });

/** `doc`, and a third namespace ns2 joined to ns1 by a veth: what an apply makes anew. */
const withNs2 = () =>
  topology({
    ...doc('10.0.1.2/24'),
    namespaces: [...doc('10.0.1.2/24').namespaces, { name: 'ns2', loUp: true, position: { x: 800, y: 0 } }],
    links: [
      ...doc('10.0.1.2/24').links,
      {
        a: { node: 'ns1', ifname: 'veth12', addresses: ['10.0.2.1/24'], up: true },
        b: { node: 'ns2', ifname: 'veth21', addresses: ['10.0.2.2/24'], up: true },
      },
    ],
  });

/** Lets rejections nobody handled reach the 'unhandledRejection' listeners. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

/** This process's `ip -batch` sessions and `ip monitor` (children, found through /proc). */
async function helperPids(): Promise<number[]> {
  const found: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const argv = (await readFile(`/proc/${entry}/cmdline`, 'utf8')).split('\0');
      if (ppid === process.pid && argv[0] === 'ip' && (argv.includes('-batch') || argv.includes('monitor')))
        found.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

/** The network namespaces this process's sessions run in (`net:[inode]`, one each). */
async function helperNamespaces(): Promise<Set<string>> {
  const found = new Set<string>();
  for (const pid of await helperPids()) {
    try {
      found.add(await readlink(`/proc/${pid}/ns/net`));
    } catch {
      // Ended while we looked.
    }
  }
  return found;
}

describe('a session that ends', () => {
  it('never crashes the process while namespaces come and go under the readers', async () => {
    const lab = await liveLab('churn');
    expect((await lab.converge(doc('10.0.1.2/24'), { dryRun: false })).report?.ok).toBe(true);
    const observer = lab.observer();
    // Short-lived namespaces: each read lists t1, and its session is often spawned after it went.
    const churn = run(
      lab.execArgv('root', [
        'sh',
        '-c',
        'for i in $(seq 60); do ip netns add t1; sleep 0.01; ip netns del t1; done',
      ]),
      // The loop's own time is not what is tested (at load 17 it took over 30 s and was killed).
      { timeoutMs: 180_000 },
    );
    let finished = false;
    void churn.finally(() => (finished = true));
    let reads = 0;
    while (!finished) {
      const state = await observer.read('all', { fdb: false, firewall: new Set() });
      expect(state.namespaces.map((n) => n.name)).toEqual(expect.arrayContaining(['root', 'ns0', 'ns1']));
      reads++;
    }
    const churned = await churn;
    expect(churned.exitCode, churned.stderr).toBe(0);
    await settle();
    expect(unhandled).toEqual([]);
    expect(reads).toBeGreaterThan(10);
  }, 240_000);

  it('re-opens sessions killed with SIGKILL: the next read and apply work, the monitor restarts', async () => {
    const lab = await liveLab('killed');
    expect((await lab.converge(doc('10.0.1.2/24'), { dryRun: false })).report?.ok).toBe(true);
    const events: WatchEvent[] = [];
    const watcher = watchLab(lab.target, (event) => events.push(event));
    try {
      await watcher.ready;
      const observer = lab.observer();
      await observer.read('all');
      for (let round = 0; round < 12; round++) {
        // The sessions this read will use, killed at a different moment of it each round. On a
        // loaded machine the last round's kill can land after its read was done, leaving nothing
        // running until the monitor restarts (within a second): wait for a helper to kill.
        await expect.poll(helperPids, { timeout: 5000 }).not.toEqual([]);
        const pids = await helperPids();
        const reading = observer.read('all', { fdb: false, firewall: new Set() });
        await new Promise((resolve) => setTimeout(resolve, round % 4));
        for (const pid of pids) process.kill(pid, 'SIGKILL');
        const state = await reading;
        expect(state.namespaces.map((n) => n.name)).toEqual(['root', 'ns0', 'ns1']);
      }
      for (const pid of await helperPids()) process.kill(pid, 'SIGKILL');
      const { plan, report } = await lab.converge(doc('10.0.1.3/24'), { dryRun: false });
      expect(plan.steps.length).toBeGreaterThan(0);
      expect(report?.failed ?? null).toBeNull();
      const ping = await run(lab.execArgv('ns0', ['ping', '-c', '1', '-W', '2', '10.0.1.3']));
      expect(ping.exitCode).toBe(0);

      await expect
        .poll(() => events.some((e) => e.kind === 'resync' && e.why === 'monitor restarted'), {
          timeout: 3000,
        })
        .toBe(true);
    } finally {
      await watcher.stop();
    }
    await settle();
    expect(unhandled).toEqual([]);
  });

  it('reports a batch on a session that died as a failed batch with the reason', async () => {
    const lab = await liveLab('dead-batch');
    expect((await lab.converge(doc('10.0.1.2/24'), { dryRun: false })).report?.ok).toBe(true);
    const observed = await lab.observe({ firewall: false });
    for (const pid of await helperPids()) process.kill(pid, 'SIGKILL');
    // Planned before the kill was noticed: the first batch meets the killed sessions.
    const report = await lab.apply(lab.plan(doc('10.0.1.4/24'), observed));
    await settle();
    expect(unhandled).toEqual([]);
    if (!report.ok) expect(report.failed?.stderr).toMatch(/ip session ended|SIGKILL/);
    // Whatever the first attempt met, the next one runs on fresh sessions.
    const again = await lab.converge(doc('10.0.1.4/24'), { dryRun: false });
    expect(again.report?.failed ?? null).toBeNull();
  });

  it('runs a batch again in a new session when an earlier caller’s line ended the one it was queued on', async () => {
    // The agent's read asks `addr show dev X` of a link its apply just deleted (an event named it):
    // the root's session ends at that line, with the apply's next batch queued behind it. That
    // batch ran nothing: its `netns del` was once taken as "already gone" (the read's "does not
    // exist"), and the namespace lived on while the apply said it was deleted.
    const lab = await liveLab('not-started');
    const session = new IpSession(lab.execArgv('root', ['ip', '-j', '-batch', '-']));
    const [query, batch] = await Promise.allSettled([
      session.query('addr show dev nosuch0'),
      session.run(['link show']),
    ]);
    expect(query.status).toBe('rejected');
    expect(batch).toMatchObject({ status: 'fulfilled', value: { ok: false, notStarted: true } });
    await session.close();

    const pool = new SessionPool(lab.target);
    const io = namespaceIo('live', lab.target, pool);
    // The read fails (a root that cannot answer is an error); the batch behind it still runs.
    const [read, results] = await Promise.allSettled([
      io.query([ROOT], ['addr show dev nosuch0']),
      io.runBatches([{ context: ROOT, lines: ['link add nc-veth0 type veth peer name nc-veth1'] }]),
    ]);
    expect(read.status).toBe('rejected');
    expect(results.status === 'fulfilled' && results.value.get(ROOT)).toMatchObject({ ok: true });
    expect((await run(lab.execArgv(ROOT, ['ip', '-br', 'link', 'show', 'nc-veth0']))).exitCode).toBe(0);
    await pool.closeAll();
    await settle();
    expect(unhandled).toEqual([]);
  });

  it('runs an apply’s lines in the lab’s root beside a read there, not behind it, in a session of their own', async () => {
    // At 1,000 namespaces the sweep's dump of the root (1,000 ports) or the sample's `addr show`
    // takes 200–300 ms; in one session, an edit's lines waited behind it (docs/benchmarks.md,
    // "Edits, session 13"). Here the read's session is stopped outright.
    const lab = await liveLab('apply-beside');
    const pool = new SessionPool(lab.target);
    const io = namespaceIo('live', lab.target, pool);
    await io.query([ROOT], ['link show']);
    const reader = pool.get(ROOT).pid as number;
    process.kill(reader, 'SIGSTOP');
    let reading: Promise<unknown> = Promise.resolve();
    try {
      reading = io.query([ROOT], ['link show']);
      const batch = io.runBatches([
        { context: ROOT, lines: ['link add nc-veth0 type veth peer name nc-veth1'] },
      ]);
      const waited = new Promise<'waited'>((resolve) => setTimeout(() => resolve('waited'), 5000));
      const results = await Promise.race([batch, waited]);
      expect(results === 'waited' ? results : results.get(ROOT)).toMatchObject({ ok: true });
    } finally {
      process.kill(reader, 'SIGCONT');
    }
    await reading;
    // It lives on across applies, as the reads' session does (a spawn from the agent costs more
    // than the line)…
    const first = pool.forApply(ROOT).pid;
    expect(first).not.toBe(reader);
    await io.runBatches([{ context: ROOT, lines: ['link set nc-veth0 up', 'netns add nc-held'] }]);
    expect(pool.forApply(ROOT).pid).toBe(first);
    // …and goes when it holds a namespace that went (it made nc-held: an fd kept open).
    await pool.retain([]);
    expect(pool.forApply(ROOT).pid).not.toBe(first);
    await pool.closeAll();
    await settle();
    expect(unhandled).toEqual([]);
  });

  it('answers a query or a batch on a killed session with an error or a failed batch, never unhandled', async () => {
    const lab = await liveLab('one-session');
    const session = new IpSession(lab.execArgv('root', ['ip', '-j', '-batch', '-']));
    expect(await session.query('link show')).toEqual(expect.any(Array));
    process.kill(session.pid as number, 'SIGKILL');
    const [query, batch] = await Promise.allSettled([session.query('addr show'), session.run(['link show'])]);
    expect(query.status).toBe('rejected');
    expect(batch).toMatchObject({ status: 'fulfilled', value: { ok: false, failedIndex: 0 } });
    if (batch.status === 'fulfilled' && !batch.value.ok) expect(batch.value.stderr).toMatch(/SIGKILL/);
    // Once it is known dead, both still answer (no write to a closed pipe).
    expect(await session.run(['link show'])).toMatchObject({
      ok: false,
      stderr: expect.stringMatching(/SIGKILL/),
    });
    await expect(session.query('addr show')).rejects.toThrow(/ip session ended/);
    await session.close();
    await settle();
    expect(unhandled).toEqual([]);
  });

  it('keeps its sessions across reads and applies while no link or namespace goes (a spawn costs ~3 ms)', async () => {
    const lab = await liveLab('steady');
    expect((await lab.converge(doc('10.0.1.2/24'), { dryRun: false })).report?.ok).toBe(true);
    const observer = lab.observer();
    await observer.read('all');
    const before = (await helperPids()).sort();
    for (let i = 0; i < 10; i++) await observer.read('all', { fdb: false });
    // An address changed: no link went, so the sessions that applied it stay.
    expect((await lab.converge(doc('10.0.1.5/24'), { dryRun: false })).report?.ok).toBe(true);
    await observer.read('all');
    expect((await helperPids()).sort()).toEqual(before);
  });

  it('sets up a namespace an apply makes through the root’s session: no session spawned for it on the way', async () => {
    const lab = await liveLab('new-ns');
    expect((await lab.converge(doc('10.0.1.2/24'), { dryRun: false })).report?.ok).toBe(true);
    await lab.observer().read('all');
    const before = await helperNamespaces();
    const three = withNs2();
    const { plan, report } = await lab.converge(three, { dryRun: false });
    expect(report?.ok).toBe(true);
    expect(plan.steps.some((s) => s.context === 'ns2')).toBe(true);
    // ns2's lines ran as `netns exec ns2 ip …` in the root's session: no session runs in a
    // namespace that had none before (the root's apply session is new, but in the root).
    expect([...(await helperNamespaces())].filter((ns) => !before.has(ns))).toEqual([]);
    const ping = await run(lab.execArgv('ns2', ['ping', '-c', '1', '-W', '2', '10.0.2.1']));
    expect(ping.exitCode).toBe(0);
    const state = await lab.observer().read('all', { fdb: false, firewall: new Set() });
    const ns2 = state.namespaces.find((n) => n.name === 'ns2');
    expect(ns2?.interfaces.find((i) => i.ifname === 'lo')?.up).toBe(true);
  });
});

describe("a new namespace's lines through the root's session", () => {
  it('name the line that failed: the lines before it done, those after it not run', async () => {
    const lab = await liveLab('new-ns-fail');
    expect((await lab.converge(doc('10.0.1.2/24'), { dryRun: false })).report?.ok).toBe(true);
    const planned = lab.plan(withNs2(), await lab.observe());
    const inNs2 = planned.steps.filter((s) => s.context === 'ns2');
    expect(inNs2.length).toBeGreaterThanOrEqual(3);
    // The second of them names a device ns2 does not have: the kernel refuses it.
    const broken = inNs2[1] as (typeof inNs2)[number];
    const steps = planned.steps.map((s) =>
      s === broken ? { ...s, args: ['addr', 'add', '10.0.9.9/24', 'dev', 'nosuch0'] } : s,
    );
    const report = await lab.apply({ ...planned, steps });
    expect(report.ok).toBe(false);
    expect(report.failed?.step.context).toBe('ns2');
    expect(report.failed?.step.args).toEqual(['addr', 'add', '10.0.9.9/24', 'dev', 'nosuch0']);
    expect(report.failed?.stderr).toMatch(/nosuch0/);
    expect(report.failed?.stderr).not.toMatch(/Command failed/);
    const done = new Set(report.done.map((o) => o.step));
    expect(done.has(inNs2[0] as (typeof inNs2)[number])).toBe(true);
    const notRun = new Set(report.notRun);
    for (const step of steps.filter((s) => s.context === 'ns2').slice(2)) expect(notRun.has(step)).toBe(true);
  });
});

describe("the agent's firewall readers", () => {
  /** This process's long-lived `ip -force -batch -` sessions in the lab's root. */
  const readerPids = async () => {
    const pids: number[] = [];
    for (const pid of await helperPids()) {
      const argv = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
      if (argv.split('\0').includes('-force')) pids.push(pid);
    }
    return pids.sort();
  };
  const rulesIn = (
    state: { namespaces: { name: string; firewall?: { rules: unknown[] } }[] },
    name: string,
  ) => state.namespaces.find((n) => n.name === name)?.firewall?.rules.length;

  it('read every namespace’s iptables through the same two sessions, read after read', async () => {
    const lab = await liveLab('readers');
    expect((await lab.converge(doc('10.0.1.2/24'), { dryRun: false })).report?.ok).toBe(true);
    const hand = await run(lab.execArgv('ns0', ['iptables', '-A', 'INPUT', '-p', 'icmp', '-j', 'DROP']));
    expect(hand.exitCode).toBe(0);
    const observer = lab.observer();
    const first = await observer.read('all', { fdb: false, firewall: 'all' });
    expect(rulesIn(first, 'ns0')).toBe(1);
    expect(rulesIn(first, 'ns1')).toBe(0);
    const readers = await readerPids();
    expect(readers).toHaveLength(2); // one per group: ns0's and ns1's lines
    for (let i = 0; i < 5; i++) {
      const state = await observer.read(new Set(['ns0', 'ns1']), {
        fdb: false,
        firewall: new Set(['ns0', 'ns1']),
      });
      expect(rulesIn(state, 'ns0')).toBe(1);
    }
    expect(await readerPids()).toEqual(readers);
  });

  it('go on past a line whose namespace is gone, and are replaced when killed', async () => {
    const lab = await liveLab('readers-faults');
    expect((await lab.converge(doc('10.0.1.2/24'), { dryRun: false })).report?.ok).toBe(true);
    // -force: a failing `netns exec` line (its namespace went between the listing and the read)
    // leaves the reader alive for the lines after it and for the next read.
    const reader = new IpSession(lab.execArgv('root', ['ip', '-j', '-force', '-batch', '-']));
    try {
      expect((await reader.run(['netns exec gone-meanwhile true', 'netns exec ns0 true'])).ok).toBe(true);
      expect(reader.alive).toBe(true);
    } finally {
      await reader.close();
    }
    expect((await run(lab.execArgv('ns1', ['iptables', '-P', 'FORWARD', 'DROP']))).exitCode).toBe(0);
    const observer = lab.observer();
    await observer.read('all', { fdb: false, firewall: 'all' });
    for (const pid of await readerPids()) process.kill(pid, 'SIGKILL');
    const state = await observer.read(new Set(['ns1']), { fdb: false, firewall: new Set(['ns1']) });
    expect(state.namespaces.find((n) => n.name === 'ns1')?.firewall?.chains).toContainEqual(
      expect.objectContaining({ name: 'FORWARD', policy: 'DROP' }),
    );
    await settle();
    expect(unhandled).toEqual([]);
    expect(await readerPids()).toHaveLength(1);
  });
});
