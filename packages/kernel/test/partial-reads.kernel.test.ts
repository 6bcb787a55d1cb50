import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab, LiveState } from '@netcanvas/kernel';
import {
  ROOT,
  type ObservedRoute,
  type ObservedNamespace,
  type ObservedPatch,
  type ObservedState,
  type RateTuple,
} from '@netcanvas/model';
import { benchToggles, run } from '@netcanvas/kernel/testing';
import { loadExample, testLab } from './lab-fixture';

/**
 * The live state reads only what an event names (a port of the root, an address of one
 * interface) and, once a second, only links and counters (observe-partial.ts). Whatever a person
 * types, what it keeps must be what a whole read of the kernel says: each change below is made
 * by hand, and the live state is then compared with a fresh whole read.
 */

/** What a partial read must get right: everything but counters, learned MACs and firewalls. */
function comparable(state: ObservedState): unknown {
  const ns = (n: ObservedNamespace) => ({
    name: n.name,
    managed: n.managed,
    forwarding: n.forwarding,
    routes: [...(n.routes ?? [])].map((r) => JSON.stringify(r)).sort(),
    interfaces: n.interfaces.map(({ stats: _stats, ...rest }) => rest).sort((a, b) => a.ifindex - b.ifindex),
  });
  return state.namespaces.map(ns).sort((a, b) => a.name.localeCompare(b.name));
}

let lab: Lab;
let live: LiveState;
const errors: unknown[] = [];
const reads: string[] = [];
const sent: ObservedPatch[] = [];
const rates: RateTuple[] = [];

beforeAll(async () => {
  lab = await testLab('partial', 'live');
  const report = await lab.apply(lab.plan(loadExample('bridge.json'), await lab.observe()));
  expect(report.ok).toBe(true);
  live = lab.live({
    patches: (patches) => {
      reads.push(...patches.map((p) => p.op));
      sent.push(...patches);
    },
    rates: (tuples) => rates.push(...tuples),
    ruleCounters: () => undefined,
    fdbAges: () => undefined,
    error: (error) => errors.push(error),
  });
  await live.start();
  await settledAddresses();
  await converges();
});

/**
 * Waits until no IPv6 address in the lab is still `tentative`: duplicate detection ends a second
 * or more after a link comes up (more on a loaded machine), and says so with an event, which a
 * test that counts on a namespace not being read would meet.
 */
async function settledAddresses(withinMs = 15_000): Promise<void> {
  const until = Date.now() + withinMs;
  const names = [ROOT, ...(await lab.observe({ firewall: false })).namespaces.map((n) => n.name)];
  for (const name of new Set(names)) {
    for (;;) {
      const tentative = await run(lab.execArgv(name, ['ip', '-6', '-o', 'addr', 'show', 'tentative']));
      if (tentative.stdout.trim() === '' || Date.now() > until) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

afterAll(async () => {
  await live?.stop();
  await lab?.destroy({ force: true });
});

/** Runs `ip ARGS` by hand in a namespace, lets the events be read, and compares with a whole read. */
async function byHand(namespace: string, ...commands: string[][]): Promise<void> {
  const hand = lab.byHand(namespace);
  try {
    for (const args of commands) {
      const done = await hand.ip(args);
      if (!done.ok) throw new Error(`ip ${args.join(' ')}: ${done.error}`);
    }
  } finally {
    await hand.close();
  }
  await converges();
}

/**
 * The live state comes to what a whole read says. Not at once: the kernel finishes some changes
 * on its own time and says so later (an IPv6 link-local address, `tentative` for a second after a
 * link comes up, is announced when duplicate detection ends), so both are read until they agree.
 */
async function converges(withinMs = 4_000): Promise<void> {
  const until = Date.now() + withinMs;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const kept = comparable(await live.fresh());
    const whole = comparable(await lab.observe({ firewall: false }));
    if (Date.now() > until) return void expect(kept).toEqual(whole);
    if (JSON.stringify(kept) === JSON.stringify(whole)) return;
  }
}

describe('the live state read in part stays equal to a whole read', () => {
  it('a port of the root down and up', async () => {
    await byHand(ROOT, ['link', 'set', 'dev', 'veth-ns1', 'down']);
    expect(
      live.observed.namespaces.find((n) => n.name === ROOT)?.interfaces.find((i) => i.ifname === 'veth-ns1')
        ?.up,
    ).toBe(false);
    await byHand(ROOT, ['link', 'set', 'dev', 'veth-ns1', 'up']);
  });

  it("a port of the root renamed: its peer's namespace, not read, names it; the others are kept as they were", async () => {
    const ns = (name: string) => live.observed.namespaces.find((n) => n.name === name);
    const peerOfEth0 = () => ns('ns1')?.interfaces.find((i) => i.ifname === 'eth0')?.peer?.ifname;
    // No sweep slice or sample meanwhile (they read ns2 whole, as they should, every tenth second):
    // only the reads this change asks for (`fresh()` is still served while held).
    const release = live.holdReads();
    const ns2 = ns('ns2');
    try {
      await byHand(
        ROOT,
        ['link', 'set', 'dev', 'veth-ns1', 'down'],
        ['link', 'set', 'dev', 'veth-ns1', 'name', 'vx-ns1'],
      );
      expect(peerOfEth0()).toBe('vx-ns1');
      // Unread and resolving the same: handed back as the very object (only what changed is compared).
      expect(ns('ns2')).toBe(ns2);
    } finally {
      release();
    }
    await byHand(
      ROOT,
      ['link', 'set', 'dev', 'vx-ns1', 'name', 'veth-ns1'],
      ['link', 'set', 'dev', 'veth-ns1', 'master', 'br0'],
      ['link', 'set', 'dev', 'veth-ns1', 'up'],
    );
    expect(peerOfEth0()).toBe('veth-ns1');
  });

  it('an address added and deleted in a namespace (and the connected route with it)', async () => {
    await byHand('ns2', ['addr', 'add', '10.77.0.2/24', 'dev', 'eth0']);
    await byHand('ns2', ['addr', 'del', '10.77.0.2/24', 'dev', 'eth0']);
  });

  it('an interface renamed, its routes following it', async () => {
    await byHand('ns3', ['addr', 'add', '10.78.0.3/24', 'dev', 'eth0']);
    await byHand(
      'ns3',
      ['link', 'set', 'dev', 'eth0', 'down'],
      ['link', 'set', 'dev', 'eth0', 'name', 'lan0'],
    );
    await byHand('ns3', ['link', 'set', 'dev', 'lan0', 'up']);
  });

  it('a veth made, joined to the bridge, and deleted', async () => {
    await byHand(ROOT, ['link', 'add', 'hx0', 'type', 'veth', 'peer', 'name', 'hx1']);
    await byHand(ROOT, ['link', 'set', 'dev', 'hx0', 'master', 'br0'], ['link', 'set', 'dev', 'hx0', 'up']);
    await byHand(ROOT, ['link', 'del', 'dev', 'hx0']);
  });

  it("namespaces numbered by hand and joined to the root: their ids from the monitor's lines", async () => {
    await byHand(
      ROOT,
      ['netns', 'add', 'hand7'],
      ['netns', 'set', 'hand7', 'auto'],
      ['netns', 'add', 'hand8'],
      ['link', 'add', 'hz0', 'type', 'veth', 'peer', 'name', 'hz1', 'netns', 'hand8'],
      ['link', 'add', 'hw0', 'type', 'veth', 'peer', 'name', 'hw1', 'netns', 'hand7'],
    );
    const peerOf = (ns: string, ifname: string) =>
      live.observed.namespaces.find((n) => n.name === ns)?.interfaces.find((i) => i.ifname === ifname)?.peer;
    expect(peerOf('hand8', 'hz1')).toMatchObject({ namespace: ROOT, ifname: 'hz0' });
    expect(peerOf(ROOT, 'hw0')).toMatchObject({ namespace: 'hand7', ifname: 'hw1' });
    await byHand(ROOT, ['netns', 'del', 'hand7'], ['netns', 'del', 'hand8']);
  });

  it('a namespace made and deleted by hand', async () => {
    await byHand(
      ROOT,
      ['netns', 'add', 'hand9'],
      ['link', 'add', 'hy0', 'type', 'veth', 'peer', 'name', 'hy1', 'netns', 'hand9'],
    );
    await byHand(ROOT, ['netns', 'del', 'hand9']);
  });

  it('routes and forwarding typed by hand are read from their events, not left to the sweep', async () => {
    const ns = (name: string) => live.observed.namespaces.find((n) => n.name === name);
    const routeTo = (name: string, to: string) => ns(name)?.routes?.find((r) => r.to === to);
    const sysctl = (name: string, value: 0 | 1) =>
      run(lab.execArgv(name, ['sysctl', '-qw', `net.ipv4.ip_forward=${value}`]));
    /** Asks the live state until `seen` holds: held, only what events marked is read. */
    const seenFromEvents = async (seen: () => boolean) => {
      for (let k = 0; k < 30 && !seen(); k++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        await live.fresh();
      }
      expect(seen()).toBe(true);
    };
    // No sweep slice and no sample meanwhile (the sweep read routes and forwarding before this):
    // `fresh()` reads only what the monitor's lines marked.
    const release = live.holdReads();
    try {
      const hand = lab.byHand(ROOT);
      const handNs2 = lab.byHand('ns2');
      try {
        for (const [who, args] of [
          [handNs2, ['route', 'add', '10.99.0.0/16', 'via', '10.0.2.1']],
          [hand, ['route', 'add', 'blackhole', '10.98.0.0/16']],
          [hand, ['route', 'add', '10.97.0.0/16', 'dev', 'br0']],
        ] as const) {
          const done = await who.ip([...args]);
          if (!done.ok) throw new Error(`ip ${args.join(' ')}: ${done.error}`);
        }
      } finally {
        await hand.close();
        await handNs2.close();
      }
      expect((await sysctl('ns3', 1)).exitCode).toBe(0);
      await seenFromEvents(
        () =>
          routeTo('ns2', '10.99.0.0/16')?.via === '10.0.2.1' &&
          routeTo(ROOT, '10.98.0.0/16') !== undefined &&
          routeTo(ROOT, '10.97.0.0/16')?.dev === 'br0' &&
          ns('ns3')?.forwarding === true,
      );
    } finally {
      release();
    }
    await converges();
    await byHand('ns2', ['route', 'del', '10.99.0.0/16']);
    await byHand(ROOT, ['route', 'del', 'blackhole', '10.98.0.0/16'], ['route', 'del', '10.97.0.0/16']);
    expect((await sysctl('ns3', 0)).exitCode).toBe(0);
    const release2 = live.holdReads();
    try {
      await seenFromEvents(
        () =>
          routeTo('ns2', '10.99.0.0/16') === undefined &&
          routeTo(ROOT, '10.98.0.0/16') === undefined &&
          ns('ns3')?.forwarding === false,
      );
    } finally {
      release2();
    }
    await converges();
  });

  it('the same routes read in part and then whole, in another order, are no change: no patch says them again', async () => {
    const routesOf = (routes: readonly ObservedRoute[] | null | undefined) =>
      (routes ?? [])
        .map((r) => `${r.to} ${r.dev} ${r.protocol}`)
        .sort()
        .join(', ');
    let last = routesOf(live.observed.namespaces.find((n) => n.name === 'ns2')?.routes);
    const from = sent.length;
    // A second and third device in ns2: their routes, read in part as they come, are put together
    // after eth0's; the kernel (and a whole read) lists IPv4 first, then IPv6.
    await byHand(
      'ns2',
      ['link', 'add', 'd0', 'type', 'veth', 'peer', 'name', 'd1'],
      ['addr', 'add', '10.79.0.2/24', 'dev', 'd0'],
      ['link', 'set', 'd0', 'up'],
      ['link', 'set', 'd1', 'up'],
    );
    await settledAddresses();
    live.invalidate('all');
    await live.refresh();
    await converges();
    const said: string[] = [];
    for (const p of sent.slice(from)) {
      if (p.op !== 'routes' || p.ns !== 'ns2') continue;
      const now = routesOf(p.routes);
      if (now === last) said.push(now);
      last = now;
    }
    expect(said).toEqual([]);
    await byHand('ns2', ['link', 'del', 'd0']);
  });

  it('a rule typed into an empty firewall is read from its event (netcanvas-nfwatch), in part, not left to the sweep', async () => {
    // iptables raises no rtnetlink event: before the helper, an empty firewall was read only by
    // the sweep. Held, only what events marked is read (no sample, no sweep). The read is in part:
    // what it reads must reach the namespace handed back (not the same object kept as unread).
    const rulesOf = (name: string) =>
      live.observed.namespaces.find((n) => n.name === name)?.firewall?.rules ?? [];
    const typed = (name: string, op: '-A' | '-D', port: string) =>
      run(lab.execArgv(name, ['iptables', op, 'INPUT', '-p', 'tcp', '--dport', port, '-j', 'ACCEPT']));
    const release = live.holdReads();
    try {
      for (const [name, port] of [
        ['ns2', '4301'],
        [ROOT, '4302'],
      ] as const) {
        expect(rulesOf(name).some((r) => r.args.includes(port))).toBe(false);
        expect((await typed(name, '-A', port)).exitCode).toBe(0);
        for (let k = 0; k < 30 && !rulesOf(name).some((r) => r.args.includes(port)); k++) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          await live.fresh();
        }
        expect(rulesOf(name).some((r) => r.args.includes(port))).toBe(true);
        expect((await typed(name, '-D', port)).exitCode).toBe(0);
        for (let k = 0; k < 30 && rulesOf(name).length > 0; k++) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          await live.fresh();
        }
        expect(rulesOf(name)).toEqual([]);
      }
      // A namespace made by hand and given a rule at once, before the helper had a socket in it:
      // it says the namespace changed once it has one (seen trying the product: 2–10 s before).
      const made = await run(
        lab.execArgv(ROOT, [
          'sh',
          '-c',
          'ip netns add hand5 && ip netns exec hand5 iptables -A INPUT -p udp --dport 4303 -j DROP',
        ]),
      );
      expect(made.exitCode).toBe(0);
      for (let k = 0; k < 30 && !rulesOf('hand5').some((r) => r.args.includes('4303')); k++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        await live.fresh();
      }
      expect(rulesOf('hand5').some((r) => r.args.includes('4303'))).toBe(true);
    } finally {
      release();
      await run(lab.execArgv(ROOT, ['ip', 'netns', 'del', 'hand5']));
    }
  });

  it("takes the root's counters from /proc: rates while ns1 pings ns3, the same counters a whole read has", async () => {
    benchToggles.rootCounters = 'proc';
    try {
      await new Promise((resolve) => setTimeout(resolve, 1_200)); // a sample the /proc way first
      rates.splice(0);
      const ping = await run(lab.execArgv('ns1', ['ping', '-c', '10', '-i', '0.2', '-W', '1', '10.0.2.3']));
      expect(ping.exitCode).toBe(0);
      await new Promise((resolve) => setTimeout(resolve, 1_200));
      // ns1's eth0 mirrors the root's veth-ns1: it sent ~5 pings a second.
      const sent = rates.filter(([ns, ifname]) => ns === 'ns1' && ifname === 'eth0').map((r) => r[5]);
      expect(Math.max(0, ...sent)).toBeGreaterThanOrEqual(3);
      const port = (state: ObservedState) =>
        state.namespaces.find((n) => n.name === ROOT)?.interfaces.find((i) => i.ifname === 'veth-ns3')?.stats;
      const kept = port(live.observed);
      const whole = port(await lab.observe({ firewall: false }));
      // The whole read comes later: the same counters, or a few packets more (neighbour discovery).
      expect(kept?.txPackets).toBeGreaterThanOrEqual(10);
      expect(whole?.txPackets).toBeGreaterThanOrEqual(kept?.txPackets ?? Infinity);
      expect((whole?.txPackets ?? 0) - (kept?.txPackets ?? 0)).toBeLessThan(10);
    } finally {
      benchToggles.rootCounters = 'scheduled';
    }
  });

  it('the once-a-second sample keeps links current too, and nothing failed', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    await converges();
    expect(errors).toEqual([]);
  });
});
