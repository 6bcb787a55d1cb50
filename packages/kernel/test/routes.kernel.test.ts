import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { type Lab } from '@netcanvas/kernel';
import { run } from '@netcanvas/kernel/testing';
import { findNamespace, type Topology } from '@netcanvas/model';
import { diesWithParent } from '../src/process';
import { topology } from './lab-fixture';
import { labsOfEachTest } from './lab-cleanup';

// Default routes of both families and a route changed in place, on the real kernel, in sandboxes.

const newLab = labsOfEachTest();
const inLab = (lab: Lab, ns: string, argv: string[]) => run(lab.execArgv(ns, argv), { timeoutMs: 10_000 });

/**
 * h1 between two routers: r1 on 10.0.1.0/24 (and 2001:db8:1::/64), r2 on 10.0.3.0/24; both lead
 * to srv on 10.0.2.0/24, whose default route goes back through r1 (which knows r2's side). h1
 * reaches srv only by its default route.
 */
const lab = (h1Routes: unknown[]): Topology =>
  topology({
    schemaVersion: 1,
    namespaces: [
      { name: 'h1', loUp: true, routes: h1Routes },
      { name: 'r1', forwarding: true, routes: [{ to: '10.0.3.0/24', via: '10.0.4.254' }] },
      { name: 'r2', forwarding: true, routes: [{ to: '10.0.2.0/24', via: '10.0.4.1' }] },
      { name: 'srv', routes: [{ to: '0.0.0.0/0', via: '10.0.2.254' }] },
    ],
    links: [
      {
        a: { node: 'h1', ifname: 'eth0', addresses: ['10.0.1.1/24', '2001:db8:1::1/64'] },
        b: { node: 'r1', ifname: 'eth0', addresses: ['10.0.1.254/24', '2001:db8:1::fe/64'] },
      },
      {
        a: { node: 'h1', ifname: 'eth1', addresses: ['10.0.3.1/24'] },
        b: { node: 'r2', ifname: 'eth0', addresses: ['10.0.3.254/24'] },
      },
      {
        a: { node: 'srv', ifname: 'eth0', addresses: ['10.0.2.1/24'] },
        b: { node: 'r1', ifname: 'eth1', addresses: ['10.0.2.254/24'] },
      },
      {
        a: { node: 'r2', ifname: 'eth1', addresses: ['10.0.4.254/24'] },
        b: { node: 'r1', ifname: 'eth2', addresses: ['10.0.4.1/24'] },
      },
    ],
  });
const viaR1 = [
  { to: '0.0.0.0/0', via: '10.0.1.254' },
  { to: 'default', via: '2001:db8:1::fe' },
];
const viaR2 = [
  { to: 'default', via: '10.0.3.254' },
  { to: '::/0', dev: 'eth0' },
];

async function applyOk(l: Lab, doc: Topology) {
  const { plan, report } = await l.converge(doc, { dryRun: false });
  expect(plan.conflicts).toEqual([]);
  expect(report?.failed ?? null).toBeNull();
  return plan;
}
const secondPlan = async (l: Lab, doc: Topology) =>
  (await l.converge(doc, { dryRun: true })).plan.steps.map((s) => s.argv.join(' '));
const ping = (l: Lab, ns: string, address: string) => inLab(l, ns, ['ping', '-c', '1', '-W', '2', address]);

/** `ip monitor route` in a namespace, ready once it has printed a marker route made for it. */
async function watchRoutes(l: Lab, ns: string) {
  const child = spawn(...splitArgv(diesWithParent(l.execArgv(ns, ['ip', 'monitor', 'route']))));
  let text = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  // A blackhole route to a documentation network: harmless, and not netcanvas's to touch. Made
  // again until the monitor prints it (it may not be listening yet the first time).
  const mark = async (net: string) => {
    for (let attempt = 0; attempt < 20 && !text.includes(net); attempt++) {
      await inLab(l, ns, ['ip', 'route', 'del', 'blackhole', net]);
      expect((await inLab(l, ns, ['ip', 'route', 'add', 'blackhole', net])).exitCode).toBe(0);
      for (let i = 0; i < 10 && !text.includes(net); i++) await new Promise((r) => setTimeout(r, 50));
    }
    expect(text).toContain(net);
  };
  await mark('192.0.2.0/24');
  return {
    /** Everything printed between the first marker and a second one (so no event is still on its way). */
    async stop(): Promise<string> {
      await mark('198.51.100.0/24');
      child.kill();
      return text.slice(text.indexOf('192.0.2.0/24'), text.indexOf('198.51.100.0/24'));
    },
  };
}
const splitArgv = (argv: string[]): [string, string[]] => [argv[0] as string, argv.slice(1)];

describe('default routes', () => {
  it('are added as typed, observed as the lab’s, carry traffic, and a second plan has nothing to do', async () => {
    const l = await newLab('rdef');
    const doc = lab(viaR1);
    const plan = await applyOk(l, doc);
    const lines = plan.steps.map((s) => s.argv.join(' '));
    expect(lines).toContain('ip -n h1 route add default via 10.0.1.254 proto 203');
    expect(lines).toContain('ip -n h1 route add default via 2001:db8:1::fe proto 203');

    const h1 = findNamespace(await l.observe(), 'h1');
    expect(h1?.routes).toEqual(
      expect.arrayContaining([
        { to: 'default', via: '10.0.1.254', dev: 'eth0', protocol: '203', metric: null, managed: true },
        { to: '::/0', via: '2001:db8:1::fe', dev: 'eth0', protocol: '203', metric: 1024, managed: true },
      ]),
    );
    expect((await ping(l, 'h1', '10.0.2.1')).exitCode).toBe(0);
    expect(await secondPlan(l, doc)).toEqual([]);
  });
});

describe('a route changed in place', () => {
  it('moves the default routes to another gateway and device with no moment without them', async () => {
    const l = await newLab('rrep');
    await applyOk(l, lab(viaR1));
    const monitor = await watchRoutes(l, 'h1');

    const moved = lab(viaR2);
    const plan = await applyOk(l, moved);
    const events = await monitor.stop();

    // A delete and an add would print "Deleted default via 10.0.1.254 ..." in between.
    expect(events).toContain('default via 10.0.3.254 dev eth1 proto 203');
    expect(events).not.toMatch(/^Deleted (default|::\/0)/m);

    expect(plan.steps.map((s) => `${s.argv.join(' ')}   # ${s.reason}`)).toEqual([
      'ip -n h1 route replace default via 10.0.3.254 proto 203   # change route default via 10.0.1.254 dev eth0 → via 10.0.3.254',
      'ip -n h1 route replace ::/0 dev eth0 proto 203   # change route ::/0 via 2001:db8:1::fe dev eth0 metric 1024 → dev eth0',
    ]);
    const h1 = findNamespace(await l.observe(), 'h1');
    expect(h1?.routes?.filter((r) => r.managed)).toEqual([
      { to: 'default', via: '10.0.3.254', dev: 'eth1', protocol: '203', metric: null, managed: true },
      { to: '::/0', via: null, dev: 'eth0', protocol: '203', metric: 1024, managed: true },
    ]);
    expect((await ping(l, 'h1', '10.0.2.1')).exitCode).toBe(0);
    expect(await secondPlan(l, moved)).toEqual([]);
  });

  it('takes back its default route after ip route replace typed it again by hand (proto boot)', async () => {
    const l = await newLab('rback');
    await applyOk(l, lab(viaR1));
    // The same words: the kernel keeps the route, now proto boot (no longer the lab's).
    const typed = ['ip', 'route', 'replace', 'default', 'via', '10.0.1.254', 'dev', 'eth0'];
    expect((await inLab(l, 'h1', typed)).exitCode).toBe(0);
    const before = findNamespace(await l.observe(), 'h1');
    expect(before?.routes?.find((r) => r.to === 'default')).toMatchObject({
      protocol: 'boot',
      managed: false,
    });
    // Converging takes it back in place (an add would fail: "File exists"), no conflict, no failure.
    const plan = await applyOk(l, lab(viaR1));
    expect(plan.steps.map((s) => s.argv.join(' '))).toContain(
      'ip -n h1 route replace default via 10.0.1.254 proto 203',
    );
    const h1 = findNamespace(await l.observe(), 'h1');
    expect(h1?.routes?.find((r) => r.to === 'default')).toEqual({
      to: 'default',
      via: '10.0.1.254',
      dev: 'eth0',
      protocol: '203',
      metric: null,
      managed: true,
    });
    expect((await ping(l, 'h1', '10.0.2.1')).exitCode).toBe(0);
    expect(await secondPlan(l, lab(viaR1))).toEqual([]);
  });

  it('refuses, before anything runs, to take the place of a default route made by hand', async () => {
    const l = await newLab('rhand');
    await applyOk(l, lab([]));
    expect((await inLab(l, 'h1', ['ip', 'route', 'add', 'default', 'via', '10.0.3.254'])).exitCode).toBe(0);
    const { plan, report } = await l.converge(lab(viaR1), { dryRun: false });
    expect(report).toBeNull();
    expect(plan.conflicts).toEqual([
      {
        path: 'namespaces[0].routes[0]',
        message: expect.stringContaining(
          'the kernel has a route "default via 10.0.3.254 dev eth1" (proto boot)',
        ),
      },
    ]);
    const h1 = findNamespace(await l.observe(), 'h1');
    expect(h1?.routes?.find((r) => r.to === 'default')).toMatchObject({ via: '10.0.3.254', managed: false });
  });
});
