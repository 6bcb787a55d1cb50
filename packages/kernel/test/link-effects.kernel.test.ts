import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Lab } from '@netcanvas/kernel';
import { run } from '@netcanvas/kernel/testing';
import { findInterface, type LinkEffects, type Topology } from '@netcanvas/model';
import { loadExample, testLab } from './lab-fixture';

// Link effects on the real kernel (issue 12 §3), in sandboxes: netcanvas-fx for delay and loss
// (this kernel has no sch_netem), tbf for a rate; observed back, idempotent, a hand-made tbf left
// alone until adopted.

const inLab = (lab: Lab, ns: string, argv: string[]) => run(lab.execArgv(ns, argv), { timeoutMs: 15_000 });

/** The average RTT of three pings, in ms; null when none came back. */
async function rtt(lab: Lab, ns: string, address: string): Promise<number | null> {
  const out = await inLab(lab, ns, ['ping', '-c', '3', '-i', '0.2', '-W', '2', address]);
  const m = /rtt min\/avg\/max\/mdev = [\d.]+\/([\d.]+)\//.exec(out.stdout);
  return m ? Number(m[1]) : null;
}

/** The document with `effects` on one end (undefined: none). */
function withEffects(doc: Topology, node: string, ifname: string, effects?: LinkEffects): Topology {
  const next = structuredClone(doc);
  for (const link of next.links)
    for (const end of [link.a, link.b])
      if (end.node === node && end.ifname === ifname) {
        if (effects) end.effects = effects;
        else delete end.effects;
      }
  return next;
}

async function converge(lab: Lab, doc: Topology) {
  const { plan, report } = await lab.converge(doc, { dryRun: false });
  expect(plan.conflicts).toEqual([]);
  expect(report?.failed ?? null).toBeNull();
  return plan.steps.map((s) => s.argv.join(' '));
}
const planned = async (lab: Lab, doc: Topology) => (await lab.converge(doc, { dryRun: true })).plan;

describe('link effects on a veth pair', () => {
  let lab: Lab;
  const pair = loadExample('veth-pair.json');
  beforeAll(async () => {
    lab = await testLab('fx');
    await converge(lab, pair);
  });
  afterAll(async () => {
    await lab?.destroy({ force: true });
  });

  it('delays, loses and restores, observed back and idempotent', async () => {
    const before = await rtt(lab, 'ns1', '10.0.1.1');
    expect(before).not.toBeNull();

    const delayed = withEffects(pair, 'ns0', 'veth0', { delayMs: 100 });
    expect(await converge(lab, delayed)).toEqual([
      'ip netns exec ns0 netcanvas-fx start --dev veth0 --dir out --delay 100',
    ]);
    expect(((await rtt(lab, 'ns1', '10.0.1.1')) ?? 0) - (before ?? 0)).toBeGreaterThanOrEqual(90);
    const seen = findInterface(await lab.observe(), 'ns0', 'veth0');
    expect(seen?.effects?.out).toMatchObject({ delayMs: 100, lossPercent: 0 });
    expect((await planned(lab, delayed)).steps).toEqual([]);

    const lossy = withEffects(pair, 'ns0', 'veth0', { lossPercent: 100 });
    await converge(lab, lossy);
    expect(await rtt(lab, 'ns1', '10.0.1.1')).toBeNull();

    expect(await converge(lab, pair)).toEqual(['ip netns exec ns0 netcanvas-fx stop --dev veth0 --dir out']);
    expect(await rtt(lab, 'ns1', '10.0.1.1')).toBeLessThan(50);
    expect(findInterface(await lab.observe(), 'ns0', 'veth0')?.effects ?? null).toBeNull();
    expect((await planned(lab, pair)).steps).toEqual([]);
  });

  it('holds a rate with tbf, read back with tc', async () => {
    const slow = withEffects(pair, 'ns0', 'veth0', { rateKbit: 1000 });
    await converge(lab, slow);
    expect(findInterface(await lab.observe(), 'ns0', 'veth0')?.effects?.qdisc).toEqual({
      kind: 'tbf',
      handle: '4e43:',
      managed: true,
      rateKbit: 1000,
    });
    expect((await planned(lab, slow)).steps).toEqual([]);
    await converge(lab, pair);
    expect(findInterface(await lab.observe(), 'ns0', 'veth0')?.effects ?? null).toBeNull();
  });

  it('leaves a tbf made by hand alone, and adopts it at its rate', async () => {
    const tc = [
      'tc',
      'qdisc',
      'add',
      'dev',
      'veth1',
      'root',
      'tbf',
      'rate',
      '2mbit',
      'burst',
      '32kbit',
      'latency',
      '400ms',
    ];
    expect((await inLab(lab, 'ns1', tc)).exitCode).toBe(0);
    const veth1 = async () => findInterface(await lab.observe(), 'ns1', 'veth1');
    expect((await veth1())?.effects?.qdisc).toMatchObject({ kind: 'tbf', managed: false, rateKbit: 2000 });
    // Not in the document: nothing planned for it.
    expect((await planned(lab, pair)).steps).toEqual([]);
    // Another rate over it: a conflict, nothing run.
    const other = await planned(lab, withEffects(pair, 'ns1', 'veth1', { rateKbit: 3000 }));
    expect(other.conflicts.map((c) => c.path)).toEqual(['links[0].b.effects.rateKbit']);
    // Its own rate (what adopting writes): the lab's tbf replaces it, and then nothing more.
    const adopted = withEffects(pair, 'ns1', 'veth1', { rateKbit: 2000 });
    expect(await converge(lab, adopted)).toHaveLength(1);
    expect((await veth1())?.effects?.qdisc).toMatchObject({ managed: true, handle: '4e43:', rateKbit: 2000 });
    expect((await planned(lab, adopted)).steps).toEqual([]);
  });
});

describe('link effects on a bridge port', () => {
  let lab: Lab;
  const bridge = loadExample('bridge.json');
  beforeAll(async () => {
    lab = await testLab('fxbr');
    await converge(lab, bridge);
  });
  afterAll(async () => {
    await lab?.destroy({ force: true });
  });

  it("delays what the bridge sends to the port's namespace, done at its peer", async () => {
    const delayed = withEffects(bridge, 'br0', 'veth-ns1', { delayMs: 100 });
    expect(await converge(lab, delayed)).toEqual([
      'ip netns exec ns1 netcanvas-fx start --dev eth0 --dir in --delay 100',
    ]);
    expect(await rtt(lab, 'ns2', '10.0.2.1')).toBeGreaterThanOrEqual(90);
    expect(await rtt(lab, 'ns2', '10.0.2.3')).toBeLessThan(50);
    expect(findInterface(await lab.observe(), 'ns1', 'eth0')?.effects?.in).toMatchObject({ delayMs: 100 });
    expect((await planned(lab, delayed)).steps).toEqual([]);
    // The link removed: its helper is stopped with it (it would go on matching the name).
    const unlinked = { ...delayed, links: delayed.links.slice(1) };
    expect(await converge(lab, unlinked)).toContain(
      'ip netns exec ns1 netcanvas-fx stop --dev eth0 --dir in',
    );
    const left = await inLab(lab, 'ns1', ['iptables-legacy-save', '-t', 'mangle']);
    expect(left.stdout).not.toContain('NFQUEUE');
  });
});

describe('a lab with link effects destroyed', () => {
  it('ends its helpers and leaves no state file of theirs', async () => {
    const lab = await testLab('fxgone');
    try {
      const pair = loadExample('veth-pair.json');
      await converge(lab, withEffects(pair, 'ns0', 'veth0', { delayMs: 50 }));
      const netns = (await inLab(lab, 'ns0', ['readlink', '/proc/self/ns/net'])).stdout.trim();
      const inode = /\[(\d+)\]/.exec(netns)![1]!;
      const stateFile = `/run/netcanvas-fx/${inode}-out-veth0.json`;
      const { pid } = JSON.parse(await readFile(stateFile, 'utf8')) as { pid: number };
      expect(await processState(pid)).toMatch(/^[RS]$/);

      await lab.destroy({ force: true });
      // Killed: gone, or a zombie only the host's pid 1 can reap (the helper daemonizes, so its
      // parent is pid 1; a pid 1 that reaps no orphans, as in some containers, leaves it so).
      expect(await processState(pid)).toMatch(/^(Z|gone)$/);
      expect(existsSync(stateFile)).toBe(false);
    } finally {
      await lab.destroy({ force: true }).catch(() => undefined);
    }
  });
});

describe('a namespace with a link-effect helper deleted by hand', () => {
  it('has its helper ended at the next read, so the namespace and its veth go (the root end too)', async () => {
    const lab = await testLab('fxdel');
    const other = await testLab('fxother');
    try {
      await converge(other, withEffects(loadExample('veth-pair.json'), 'ns0', 'veth0', { delayMs: 50 }));
      const otherNetns = (await inLab(other, 'ns0', ['readlink', '/proc/self/ns/net'])).stdout.trim();
      const otherLabHelper = JSON.parse(
        await readFile(`/run/netcanvas-fx/${/\[(\d+)\]/.exec(otherNetns)![1]!}-out-veth0.json`, 'utf8'),
      ) as { pid: number };
      const bridge = loadExample('bridge.json');
      const port = bridge.links.find((l) => l.a.node === 'ns1' || l.b.node === 'ns1')!;
      const inNs1 = port.a.node === 'ns1' ? port.a : port.b;
      const rootEnd = port.a.node === 'ns1' ? port.b : port.a;
      await converge(lab, withEffects(bridge, 'ns1', inNs1.ifname, { delayMs: 50 }));
      const netns = (await inLab(lab, 'ns1', ['readlink', '/proc/self/ns/net'])).stdout.trim();
      const stateFile = `/run/netcanvas-fx/${/\[(\d+)\]/.exec(netns)![1]!}-out-${inNs1.ifname}.json`;
      const { pid } = JSON.parse(await readFile(stateFile, 'utf8')) as { pid: number };
      const live = lab.live({
        patches: () => undefined,
        rates: () => undefined,
        ruleCounters: () => undefined,
        fdbAges: () => undefined,
        error: () => undefined,
      });
      await live.start();
      try {
        expect((await inLab(lab, 'root', ['ip', 'netns', 'del', 'ns1'])).exitCode).toBe(0);
        // The monitor names the deletion; the read it asks for ends the helper holding ns1.
        await expect.poll(() => processState(pid), { timeout: 10_000 }).toMatch(/^(Z|gone)$/);
        expect(existsSync(stateFile)).toBe(false);
        // Nothing holds ns1 now: its veth goes with it, and with the veth its end in the root.
        await expect
          .poll(async () => (await inLab(lab, 'root', ['ip', 'link', 'show', rootEnd.ifname])).exitCode, {
            timeout: 10_000,
          })
          .not.toBe(0);
        // Another lab's helper is not this lab's to end (each runs in its own lab's mount namespace).
        expect(await processState(otherLabHelper.pid)).toMatch(/^[RS]$/);
      } finally {
        await live.stop();
      }
    } finally {
      await lab.destroy({ force: true });
      await other.destroy({ force: true });
    }
  });
});

describe('a lab destroyed after a namespace with a helper was deleted by hand (no agent running)', () => {
  it('ends that helper too: nothing is left holding the namespace', async () => {
    const lab = await testLab('fxdel2');
    try {
      await converge(lab, withEffects(loadExample('veth-pair.json'), 'ns0', 'veth0', { delayMs: 50 }));
      const netns = (await inLab(lab, 'ns0', ['readlink', '/proc/self/ns/net'])).stdout.trim();
      const stateFile = `/run/netcanvas-fx/${/\[(\d+)\]/.exec(netns)![1]!}-out-veth0.json`;
      const { pid } = JSON.parse(await readFile(stateFile, 'utf8')) as { pid: number };
      expect((await inLab(lab, 'root', ['ip', 'netns', 'del', 'ns0'])).exitCode).toBe(0);
      await lab.destroy({ force: true });
      expect(await processState(pid)).toMatch(/^(Z|gone)$/);
      expect(existsSync(stateFile)).toBe(false);
    } finally {
      await lab.destroy({ force: true }).catch(() => undefined);
    }
  });
});

describe('a link-effect helper killed', () => {
  it('is not observed as running, zombie or gone', async () => {
    const lab = await testLab('fxkill');
    try {
      const pair = loadExample('veth-pair.json');
      await converge(lab, withEffects(pair, 'ns0', 'veth0', { delayMs: 50 }));
      const netns = (await inLab(lab, 'ns0', ['readlink', '/proc/self/ns/net'])).stdout.trim();
      const stateFile = `/run/netcanvas-fx/${/\[(\d+)\]/.exec(netns)![1]!}-out-veth0.json`;
      const { pid } = JSON.parse(await readFile(stateFile, 'utf8')) as { pid: number };
      process.kill(pid, 'SIGKILL');
      // Its parent is pid 1 (it daemonizes): reaped there, or left a zombie named netcanvas-fx.
      await expect.poll(() => processState(pid)).toMatch(/^(Z|gone)$/);
      expect(findInterface(await lab.observe(), 'ns0', 'veth0')?.effects ?? null).toBeNull();
    } finally {
      await lab.destroy({ force: true });
    }
  });
});

/** A process's state letter (R, S, Z…), or "gone". */
async function processState(pid: number): Promise<string> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  return stat === null ? 'gone' : stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
}
