import { readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { type Lab } from '@netcanvas/kernel';
import { run } from '@netcanvas/kernel/testing';
import { findInterface, type ObservedState, type Topology } from '@netcanvas/model';
import { loadExample, topology } from './lab-fixture';
import { labsOfEachTest } from './lab-cleanup';

// The real kernel, inside sandboxes: nothing here touches the host's namespaces or links.

const newLab = labsOfEachTest();

const inLab = (lab: Lab, ns: string, argv: string[]) => run(lab.execArgv(ns, argv), { timeoutMs: 10_000 });
const ping = (lab: Lab, ns: string, address: string) =>
  inLab(lab, ns, ['ping', '-c', '1', '-W', '2', address]);

async function applyOk(lab: Lab, doc: Topology) {
  const { plan, report } = await lab.converge(doc, { dryRun: false });
  expect(plan.conflicts).toEqual([]);
  expect(report?.failed ?? null).toBeNull();
  return plan;
}

const monitorFor = (lab: Lab, seconds: number) =>
  inLab(lab, 'root', [
    'timeout',
    String(seconds),
    'ip',
    '-o',
    'monitor',
    'all-nsid',
    'link',
    'address',
    'route',
  ]);

/** Every event the kernel reports in the whole lab while `during` runs (after the lab settles). */
async function kernelEventsDuring(lab: Lab, during: () => Promise<unknown>): Promise<string> {
  // Carrier and IPv6 link-local addresses come up on their own, up to a second after an apply.
  for (let i = 0; i < 5 && (await monitorFor(lab, 1)).stdout.trim() !== ''; i++);
  const monitor = monitorFor(lab, 1.5);
  await new Promise((resolve) => setTimeout(resolve, 300)); // let the monitor subscribe
  await during();
  // IPv6 link-local addresses (and their routes) are the kernel's own, finished on its own time
  // (DAD), sometimes seconds after the link came up: not something an apply did.
  return (await monitor).stdout
    .split('\n')
    .filter((line) => line.trim() !== '' && !/fe80::|ff00::/.test(line))
    .join('\n');
}

describe.each(['oneshot', 'live'] as const)('the tutorial veth pair (%s)', (mode) => {
  it('is built so ns1 pings 10.0.1.1, and observe shows both ends up with their addresses and peers', async () => {
    const lab = await newLab('veth', mode);
    await applyOk(lab, loadExample('veth-pair.json'));
    expect((await ping(lab, 'ns1', '10.0.1.1')).exitCode).toBe(0);

    const observed = await lab.observe();
    const veth0 = findInterface(observed, 'ns0', 'veth0');
    const veth1 = findInterface(observed, 'ns1', 'veth1');
    expect(veth0).toMatchObject({
      kind: 'veth',
      up: true,
      managed: true,
      addresses: expect.arrayContaining(['10.0.1.1/24']),
    });
    expect(veth1).toMatchObject({
      kind: 'veth',
      up: true,
      managed: true,
      addresses: expect.arrayContaining(['10.0.1.2/24']),
    });
    expect(veth0?.peer).toEqual({ namespace: 'ns1', ifname: 'veth1', ifindex: veth1?.ifindex });
    expect(veth1?.peer).toEqual({ namespace: 'ns0', ifname: 'veth0', ifindex: veth0?.ifindex });
    expect(findInterface(observed, 'ns0', 'lo')?.up).toBe(true);

    // The tutorial finds a veth's peer with `ethtool -S`: the same index observe reports.
    const ethtool = await inLab(lab, 'ns1', ['ethtool', '-S', 'veth1']);
    expect(Number(/peer_ifindex: (\d+)/.exec(ethtool.stdout)?.[1])).toBe(veth1?.peer?.ifindex);
  });

  it('runs no command that changes anything when applied a second time', async () => {
    const lab = await newLab('twice', mode);
    const doc = loadExample('veth-pair.json');
    await applyOk(lab, doc);
    let second: Awaited<ReturnType<Lab['converge']>> | undefined;
    const events = await kernelEventsDuring(
      lab,
      async () => (second = await lab.converge(doc, { dryRun: false })),
    );
    expect(second?.plan.steps).toEqual([]);
    expect(second?.report).toBeNull();
    expect(events).toBe('');
  });
});

describe('the bridge example', () => {
  it('lets every namespace ping every other, and the bridge learns each MAC on its port', async () => {
    const lab = await newLab('bridge');
    await applyOk(lab, loadExample('bridge.json'));
    const hosts = { ns1: '10.0.2.1', ns2: '10.0.2.2', ns3: '10.0.2.3' };
    for (const [from] of Object.entries(hosts))
      for (const [to, address] of Object.entries(hosts))
        if (from !== to) expect((await ping(lab, from, address)).exitCode, `${from} → ${to}`).toBe(0);

    const observed = await lab.observe();
    const fdb = observed.namespaces.find((ns) => ns.name === 'root')?.fdb ?? [];
    for (const ns of Object.keys(hosts)) {
      const mac = findInterface(observed, ns, 'eth0')?.mac;
      const port = findInterface(observed, 'root', `veth-${ns}`);
      expect(port?.master).toBe('br0');
      expect(fdb).toContainEqual(
        expect.objectContaining({ bridge: 'br0', mac, port: `veth-${ns}`, learned: true }),
      );
    }
  });
});

describe('changing the topology', () => {
  it('takes a link down and keeps its IPv6 address (the kernel drops it when the link goes down)', async () => {
    const lab = await newLab('v6down');
    const pair = (up: boolean) =>
      topology({
        schemaVersion: 1,
        namespaces: [{ name: 'a' }, { name: 'b' }],
        links: [
          {
            a: { node: 'a', ifname: 'ab', addresses: ['fd00:0:9::1/64', '10.9.0.1/24'], up },
            b: { node: 'b', ifname: 'ba', addresses: ['fd00:0:9::2/64'], up: true },
          },
        ],
      });
    await applyOk(lab, pair(true));
    await applyOk(lab, pair(false));
    const observed = await lab.observe();
    const ab = findInterface(observed, 'a', 'ab');
    expect(ab?.up).toBe(false);
    expect(ab?.addresses).toEqual(expect.arrayContaining(['fd00:0:9::1/64', '10.9.0.1/24']));
    expect(lab.plan(pair(false), observed).steps).toEqual([]);
  });

  it("keeps a bridge's MTU when ports join it, at creation and later (the kernel follows the ports otherwise)", async () => {
    const lab = await newLab('brmtu');
    const withPorts = (n: number) =>
      topology({
        schemaVersion: 1,
        namespaces: Array.from({ length: n }, (_, i) => ({ name: `h${i}` })),
        bridges: [{ name: 'b1', mtu: 1400, up: true }],
        links: Array.from({ length: n }, (_, i) => ({
          a: { node: `h${i}`, ifname: 'eth0', mtu: 1400 + 100 * i },
          b: { node: 'b1', ifname: `p${i}` },
        })),
      });
    await applyOk(lab, withPorts(1));
    expect(findInterface(await lab.observe(), 'root', 'b1')?.mtu).toBe(1400);
    await applyOk(lab, withPorts(2));
    const observed = await lab.observe();
    expect(findInterface(observed, 'root', 'b1')?.mtu).toBe(1400);
    expect(lab.plan(withPorts(2), observed).steps).toEqual([]);
  });

  it("keeps a veth whose two ends share a namespace (the tutorial's vethfoo/vethbar): its peer is seen, nothing re-made", async () => {
    const lab = await newLab('samens');
    const loop = topology({
      schemaVersion: 1,
      namespaces: [{ name: 'a' }],
      links: [
        { a: { node: 'a', ifname: 'vethfoo' }, b: { node: 'a', ifname: 'vethbar' } },
        { a: { node: 'root', ifname: 'rfoo' }, b: { node: 'root', ifname: 'rbar' } },
      ],
    });
    await applyOk(lab, loop);
    const observed = await lab.observe();
    expect(findInterface(observed, 'a', 'vethfoo')?.peer).toMatchObject({
      namespace: 'a',
      ifname: 'vethbar',
    });
    expect(findInterface(observed, 'root', 'rbar')?.peer).toMatchObject({
      namespace: 'root',
      ifname: 'rfoo',
    });
    expect(lab.plan(loop, observed).steps).toEqual([]);
  });

  it('keeps an address whose subnet loses its primary address (the kernel drops secondaries with it)', async () => {
    const lab = await newLab('secondary');
    const two = (addresses: string[]) =>
      topology({
        schemaVersion: 1,
        namespaces: [{ name: 'a' }, { name: 'b' }],
        links: [
          {
            a: { node: 'a', ifname: 'ab', addresses },
            b: { node: 'b', ifname: 'ba', addresses: ['10.7.0.9/24'] },
          },
        ],
      });
    await applyOk(lab, two(['10.7.0.1/24', '10.7.0.2/24']));
    await applyOk(lab, two(['10.7.0.2/24']));
    expect(findInterface(await lab.observe(), 'a', 'ab')?.addresses).toContain('10.7.0.2/24');
    expect((await lab.converge(two(['10.7.0.2/24']), { dryRun: true })).plan.steps).toEqual([]);
  });

  it('removes a secondary address alone: the primary and the routes through it stay', async () => {
    // Every address of the subnet was deleted and the primary added back, which took the routes
    // through it with it (a defect found trying the product).
    const lab = await newLab('secondary-alone');
    const two = (addresses: string[]) =>
      topology({
        schemaVersion: 1,
        namespaces: [{ name: 'a', routes: [{ to: '10.20.0.0/16', via: '10.7.0.9' }] }, { name: 'b' }],
        links: [
          {
            a: { node: 'a', ifname: 'ab', addresses },
            b: { node: 'b', ifname: 'ba', addresses: ['10.7.0.9/24'] },
          },
        ],
      });
    await applyOk(lab, two(['10.7.0.1/24', '10.7.0.22/24']));
    const plan = await applyOk(lab, two(['10.7.0.1/24']));
    expect(plan.steps.map((s) => s.argv.join(' '))).toEqual(['ip -n a addr del 10.7.0.22/24 dev ab']);
    const routes = await lab.run('a', ['ip', 'route', 'show', '10.20.0.0/16']);
    expect(routes.stdout).toContain('10.20.0.0/16 via 10.7.0.9');
  });

  it('does only the difference: an address changed, a link removed, a namespace added', async () => {
    const lab = await newLab('diff');
    const base = {
      schemaVersion: 1,
      namespaces: [{ name: 'a' }, { name: 'b' }, { name: 'c' }],
      links: [
        {
          a: { node: 'a', ifname: 'ab', addresses: ['10.9.0.1/24'] },
          b: { node: 'b', ifname: 'ba', addresses: ['10.9.0.2/24'] },
        },
        { a: { node: 'b', ifname: 'bc' }, b: { node: 'c', ifname: 'cb' } },
      ],
    };
    await applyOk(lab, topology(base));
    const changed = {
      ...base,
      namespaces: [...base.namespaces, { name: 'd' }],
      links: [{ ...base.links[0], b: { node: 'b', ifname: 'ba', addresses: ['10.9.0.3/24'] } }],
    };
    const plan = await applyOk(lab, topology(changed));
    expect(plan.steps.map((s) => s.argv.join(' '))).toEqual([
      'ip -n b link del dev bc',
      'ip netns add d',
      'ip netns set d auto',
      'ip -n b addr del 10.9.0.2/24 dev ba',
      'ip -n b addr add 10.9.0.3/24 dev ba',
      'ip -n d link set dev lo up',
    ]);
    expect((await lab.converge(topology(changed), { dryRun: true })).plan.steps).toEqual([]);
    expect((await ping(lab, 'a', '10.9.0.3')).exitCode).toBe(0);
    const observed = await lab.observe();
    expect(findInterface(observed, 'c', 'cb')).toBeUndefined();
  });
});

describe('ownership', () => {
  it('leaves a veth and a namespace made by hand alone, through apply and destroy', async () => {
    const lab = await newLab('own');
    const hand = [
      ['ip', 'netns', 'add', 'mine'],
      ['ip', 'link', 'add', 'name', 'hand0', 'type', 'veth', 'peer', 'name', 'hand1', 'netns', 'mine'],
    ];
    for (const argv of hand) expect((await inLab(lab, 'root', argv)).exitCode).toBe(0);
    await applyOk(lab, loadExample('veth-pair.json'));
    await applyOk(lab, topology({ schemaVersion: 1 }));

    const afterApply = await lab.observe();
    expect(afterApply.namespaces.map((ns) => ns.name).sort()).toEqual(['mine', 'root']);
    expect(findInterface(afterApply, 'root', 'hand0')).toMatchObject({
      managed: false,
      peer: { namespace: 'mine', ifname: 'hand1' },
    });

    await applyOk(lab, loadExample('veth-pair.json'));
    const report = await lab.destroy({ force: false });
    expect(report.sandboxRemoved).toBe(false);
    expect(report.kept).toEqual(
      expect.arrayContaining(['namespace mine', "interface hand0 in the lab's root"]),
    );
    const afterDestroy = await lab.observe();
    expect(afterDestroy.namespaces.map((ns) => ns.name).sort()).toEqual(['mine', 'root']);
    expect(findInterface(afterDestroy, 'mine', 'hand1')).toBeDefined();
  });

  it('refuses to plan over an interface it did not make, and runs nothing', async () => {
    const lab = await newLab('clash');
    const made = await inLab(lab, 'root', [
      'ip',
      'link',
      'add',
      'name',
      'veth-ns1',
      'type',
      'veth',
      'peer',
      'name',
      'x1',
    ]);
    expect(made.exitCode).toBe(0);
    const { plan, report } = await lab.converge(loadExample('bridge.json'), { dryRun: false });
    expect(plan.conflicts).toEqual([
      expect.objectContaining({
        path: 'links[0].a.ifname',
        message: expect.stringContaining('did not make it'),
      }),
    ]);
    expect(report).toBeNull();
    expect((await lab.observe()).namespaces.map((ns) => ns.name)).toEqual(['root']);
  });
});

describe('a failing step', () => {
  it('is reported with its command and stderr, the steps before it listed as done', async () => {
    const lab = await newLab('fail');
    const planned = lab.plan(loadExample('veth-pair.json'), await lab.observe());
    // Someone makes ns1 between the plan and the apply: `ip netns add ns1` must fail.
    await inLab(lab, 'root', ['ip', 'netns', 'add', 'ns1']);
    const report = await lab.apply(planned);
    expect(report.ok).toBe(false);
    expect(report.failed?.step.argv).toEqual(['ip', 'netns', 'add', 'ns1']);
    expect(report.failed?.stderr).toMatch(/File exists/);
    expect(report.done.map((o) => o.step.argv.join(' '))).toEqual([
      'ip netns add ns0',
      'ip netns set ns0 auto',
    ]);
    expect(report.notRun.length).toBe(planned.steps.length - 3);
    // What it touched, from the steps that ran (the failed one may have acted partway).
    expect([...report.touched].sort()).toEqual(['ns0', 'ns1', 'root']);
    // The half-built lab is real: ns0 exists and is the lab's, ns1 is the hand-made one.
    const observed = await lab.observe();
    expect(observed.namespaces.map((ns) => [ns.name, ns.managed]).sort()).toEqual([
      ['ns0', true],
      ['ns1', false],
      ['root', true],
    ]);
  });
});

describe('namespaces recorded beside the save (recordMaking)', () => {
  const names = (observed: ObservedState) => observed.namespaces.map((ns) => [ns.name, ns.managed]).sort();

  it("are the lab's before any is made, and taken back when the edit was not saved", async () => {
    const lab = await newLab('record');
    const planned = lab.plan(loadExample('veth-pair.json'), await lab.observe());
    const takeBack = await lab.recordMaking(planned.steps);
    // A crash now: a namespace of that name is the lab's (it may have been made).
    await inLab(lab, 'root', ['ip', 'netns', 'add', 'ns0']);
    expect(names(await lab.observe())).toEqual([
      ['ns0', true],
      ['root', true],
    ]);
    await takeBack();
    expect(names(await lab.observe())).toEqual([
      ['ns0', false],
      ['root', true],
    ]);
  });

  it("are not left as the lab's when making one fails (someone made it first)", async () => {
    const lab = await newLab('recfail');
    const planned = lab.plan(loadExample('veth-pair.json'), await lab.observe());
    await lab.recordMaking(planned.steps);
    await inLab(lab, 'root', ['ip', 'netns', 'add', 'ns1']);
    const report = await lab.apply(planned);
    expect(report.failed?.step.argv).toEqual(['ip', 'netns', 'add', 'ns1']);
    expect(names(await lab.observe())).toEqual([
      ['ns0', true],
      ['ns1', false],
      ['root', true],
    ]);
  });
});

describe('destroy', () => {
  it('removes a sandbox that holds only its own things, with every process in it', async () => {
    const lab = await newLab('destroy');
    await applyOk(lab, loadExample('bridge.json'));
    const observed: ObservedState = await lab.observe();
    expect(observed.target.kind).toBe('sandbox');
    const pid = observed.target.kind === 'sandbox' ? observed.target.pid : 0;
    expect(await lab.destroy({ force: false })).toMatchObject({ sandboxRemoved: true });
    await expect(readdir(`/proc/${pid}`)).rejects.toThrow();
  });
});

describe.each(['oneshot', 'live'] as const)('a failing step inside a namespace (%s)', (mode) => {
  it('names the failing command; other namespaces of its wave are reported too', async () => {
    const lab = await newLab('nsfail', mode);
    await applyOk(lab, loadExample('bridge.json'));
    const doc = loadExample('bridge.json');
    const changed = topology({
      ...doc,
      links: doc.links.map((l, i) => ({ ...l, b: { ...l.b, addresses: [`10.0.3.${99 - i + 1}/24`] } })),
    });
    const planned = lab.plan(changed, await lab.observe());
    // Between plan and apply, someone adds the address the plan will add in ns2.
    await inLab(lab, 'ns2', ['ip', 'addr', 'add', '10.0.3.99/24', 'dev', 'eth0']);
    const report = await lab.apply(planned);
    expect(report?.ok).toBe(false);
    expect(report?.failed?.step.argv).toEqual([
      'ip',
      '-n',
      'ns2',
      'addr',
      'add',
      '10.0.3.99/24',
      'dev',
      'eth0',
    ]);
    expect(report?.failed?.stderr).toMatch(/File exists|Address already assigned/);
    const said = [
      ...(report?.done ?? []).map((o) => o.step),
      report?.failed?.step,
      ...(report?.notRun ?? []),
    ];
    // Every planned step is accounted for exactly once.
    expect(said.length).toBe(new Set(said).size);
    expect(report?.done.map((o) => o.step.argv.join(' '))).toContain(
      'ip -n ns2 addr del 10.0.2.2/24 dev eth0',
    );
  });
});
