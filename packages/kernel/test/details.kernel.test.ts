import { describe, expect, it } from 'vitest';
import { type Lab } from '@netcanvas/kernel';
import { run } from '@netcanvas/kernel/testing';
import { findInterface, findNamespace, type ObservedState } from '@netcanvas/model';
import { loadExample, topology } from './lab-fixture';
import { labsOfEachTest } from './lab-cleanup';

// What the tutorial shows beyond interfaces and addresses, observed on the real kernel inside
// sandboxes: a bridge's STP and a port's cost and priority set by hand, a learned MAC's age, a
// veth end's link-netnsid, pairs whose two ends share a namespace (one end renamed afterwards).

const newLab = labsOfEachTest('live');

async function sh(lab: Lab, ns: string, argv: string[]): Promise<string> {
  const result = await run(lab.execArgv(ns, argv), { timeoutMs: 10_000 });
  if (result.exitCode !== 0) throw new Error(`${argv.join(' ')}: ${result.stderr}`);
  return result.stdout;
}
const json = async <T>(lab: Lab, ns: string, argv: string[]) => JSON.parse(await sh(lab, ns, argv)) as T;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function dev(state: ObservedState, ns: string, ifname: string) {
  const found = findInterface(state, ns, ifname);
  if (!found) throw new Error(`no ${ifname} in ${ns}`);
  return found;
}

describe('a bridge tuned by hand, as the tutorial’s readers do', () => {
  it('shows STP, a port’s cost and priority and its STP state, as bridge link says them', async () => {
    const lab = await newLab('stp');
    const { report } = await lab.converge(loadExample('bridge.json'), { dryRun: false });
    expect(report?.failed ?? null).toBeNull();
    const observer = lab.observer();
    const before = await observer.read('all');
    const br0 = dev(before, 'root', 'br0');
    expect(br0.bridgeInfo).toMatchObject({ stpState: 0, bridgeId: `8000.${br0.mac}`, rootPort: 0 });
    expect(br0.bridgeInfo?.rootId).toBe(br0.bridgeInfo?.bridgeId);

    await sh(lab, 'root', ['bridge', 'link', 'set', 'dev', 'veth-ns1', 'cost', '7', 'priority', '3']);
    await sh(lab, 'root', ['ip', 'link', 'set', 'br0', 'type', 'bridge', 'stp_state', '1']);
    // A port that comes up with STP on listens first (then learns; 15 s each).
    await sh(lab, 'root', ['ip', 'link', 'set', 'dev', 'veth-ns1', 'down']);
    await sh(lab, 'root', ['ip', 'link', 'set', 'dev', 'veth-ns1', 'up']);

    // Read through the same long-lived sessions the agent uses.
    const after = await observer.read('all');
    expect(dev(after, 'root', 'br0').stp).toBe(true);
    expect(dev(after, 'root', 'br0').bridgeInfo).toMatchObject({
      stpState: 1,
      forwardDelay: 15,
      helloTime: 2,
    });
    const kernel = await json<{ ifname: string; state: string; cost: number; priority: number }[]>(
      lab,
      'root',
      ['bridge', '-j', 'link', 'show'],
    );
    expect(kernel.map((p) => p.ifname).sort()).toEqual(['veth-ns1', 'veth-ns2', 'veth-ns3']);
    for (const p of kernel)
      expect(dev(after, 'root', p.ifname).portInfo, p.ifname).toMatchObject({
        state: p.state,
        cost: p.cost,
        priority: p.priority,
      });
    expect(dev(after, 'root', 'veth-ns1').portInfo).toMatchObject({
      state: 'listening',
      cost: 7,
      priority: 3,
    });
    expect(dev(after, 'root', 'veth-ns2').portInfo).toMatchObject({ state: 'forwarding', priority: 32 });
    expect(dev(after, 'ns1', 'eth0').portInfo).toBeNull();
  });

  it('ages a learned MAC from the moment a frame came from it; the ports’ own MACs never age', async () => {
    const lab = await newLab('fdbage');
    const { report } = await lab.converge(loadExample('bridge.json'), { dryRun: false });
    expect(report?.failed ?? null).toBeNull();
    // IPv6 keeps soliciting routers (with back-off) and each frame refreshes the entry: quiet ns1
    // so that only this test's frames come from its MAC.
    await sh(lab, 'ns1', ['sysctl', '-q', '-w', 'net.ipv6.conf.eth0.disable_ipv6=1']);
    await sh(lab, 'ns1', ['ping', '-c', '1', '-W', '2', '10.0.2.2']);
    await sleep(2500);
    const state = await lab.observe({ firewall: false });
    const fdb = findNamespace(state, 'root')?.fdb ?? [];
    const ns1Mac = dev(state, 'ns1', 'eth0').mac;
    const learned = fdb.find((e) => e.mac === ns1Mac);
    expect(learned).toMatchObject({ bridge: 'br0', port: 'veth-ns1', learned: true, origin: 'learned' });
    expect(learned?.ageSeconds).toBeGreaterThanOrEqual(2);
    expect(learned?.ageSeconds).toBeLessThanOrEqual(4);
    const own = fdb.find((e) => e.mac === dev(state, 'root', 'veth-ns1').mac && e.port === 'veth-ns1');
    expect(own).toMatchObject({ learned: false, origin: 'local', ageSeconds: null });

    // A frame from it: the age starts again.
    await sh(lab, 'ns1', ['ping', '-c', '1', '-W', '2', '10.0.2.2']);
    const again = (await lab.observe({ firewall: false })).namespaces[0]?.fdb.find((e) => e.mac === ns1Mac);
    expect(again?.ageSeconds).toBeLessThanOrEqual(1);
  });
});

describe('veth ends the way the tutorial makes them', () => {
  it('makes a pair whose two ends share a namespace from the document, addressed and up, in one command', async () => {
    const lab = await newLab('loopdoc');
    const doc = topology({
      schemaVersion: 1,
      namespaces: [{ name: 'a' }],
      links: [
        {
          a: { node: 'a', ifname: 'vethfoo', addresses: ['10.7.0.1/24'], up: true },
          b: { node: 'a', ifname: 'vethbar', addresses: ['10.7.0.2/24'], up: true },
        },
        {
          a: { node: 'root', ifname: 'rfoo', addresses: ['10.8.0.1/24'], up: true },
          b: { node: 'root', ifname: 'rbar', up: false },
        },
      ],
    });
    const { plan, report } = await lab.converge(doc, { dryRun: false });
    expect(report?.failed ?? null).toBeNull();
    // Made where both ends live, nothing moved: `ip -n a link add vethfoo ... peer name vethbar`.
    const made = plan.steps.map((step) => step.argv.join(' ')).filter((line) => line.includes(' link add '));
    expect(made).toEqual([
      'ip link add name rfoo group 28259 type veth peer name rbar group 28259',
      'ip -n a link add name vethfoo group 28259 type veth peer name vethbar group 28259',
    ]);
    const state = await lab.observe({ firewall: false });
    expect(dev(state, 'a', 'vethfoo')).toMatchObject({
      up: true,
      addresses: expect.arrayContaining(['10.7.0.1/24']),
    });
    expect(dev(state, 'a', 'vethbar')).toMatchObject({
      up: true,
      addresses: expect.arrayContaining(['10.7.0.2/24']),
    });
    expect(dev(state, 'a', 'vethfoo').peer?.ifname).toBe('vethbar');
    expect(dev(state, 'root', 'rfoo')).toMatchObject({
      up: true,
      addresses: expect.arrayContaining(['10.8.0.1/24']),
    });
    expect(dev(state, 'root', 'rbar').up).toBe(false);
    expect(lab.plan(doc, state).steps).toEqual([]);
  });

  it('pairs two ends in one namespace (root and a named one), and follows an end renamed afterwards', async () => {
    const lab = await newLab('samens');
    await lab.converge(topology({ schemaVersion: 1, namespaces: [{ name: 'a' }] }), { dryRun: false });
    const observer = lab.observer();
    await observer.read('all'); // sessions now cache the namespaces' links, as the agent's do
    for (const ns of ['root', 'a'])
      await sh(lab, ns, ['ip', 'link', 'add', 'vethfoo', 'type', 'veth', 'peer', 'name', 'vethbar']);
    const made = await observer.read('all');
    for (const ns of ['root', 'a']) {
      expect(dev(made, ns, 'vethfoo').peer).toEqual({
        namespace: ns,
        ifname: 'vethbar',
        ifindex: dev(made, ns, 'vethbar').ifindex,
      });
      expect(dev(made, ns, 'vethfoo').linkNetnsid).toBeNull();
    }

    for (const ns of ['root', 'a']) await sh(lab, ns, ['ip', 'link', 'set', 'vethfoo', 'name', 'vethbaz']);
    const renamed = await observer.read('all');
    for (const ns of ['root', 'a']) {
      expect(dev(renamed, ns, 'vethbar').peer).toMatchObject({ namespace: ns, ifname: 'vethbaz' });
      expect(dev(renamed, ns, 'vethbaz').peer).toMatchObject({ namespace: ns, ifname: 'vethbar' });
    }
  });

  it('gives an end moved to another namespace its link-netnsid and peer ifindex, as ip link and ethtool -S do', async () => {
    const lab = await newLab('netnsid');
    await lab.converge(topology({ schemaVersion: 1, namespaces: [{ name: 'ns0' }, { name: 'ns1' }] }), {
      dryRun: false,
    });
    // The tutorial: made in one place, then each end moved.
    await sh(lab, 'root', ['ip', 'link', 'add', 'veth0', 'type', 'veth', 'peer', 'name', 'veth1']);
    await sh(lab, 'root', ['ip', 'link', 'set', 'veth0', 'netns', 'ns0']);
    await sh(lab, 'root', ['ip', 'link', 'set', 'veth1', 'netns', 'ns1']);
    const state = await lab.observe({ firewall: false });
    for (const [ns, ifname, peerNs, peer] of [
      ['ns0', 'veth0', 'ns1', 'veth1'],
      ['ns1', 'veth1', 'ns0', 'veth0'],
    ] as const) {
      const [link] = await json<{ link_netnsid: number; link_index: number }[]>(lab, ns, [
        'ip',
        '-j',
        'link',
        'show',
        ifname,
      ]);
      const ethtool = await sh(lab, ns, ['ethtool', '-S', ifname]);
      const end = dev(state, ns, ifname);
      expect(end.linkNetnsid).toBe(link?.link_netnsid);
      expect(end.peer).toEqual({
        namespace: peerNs,
        ifname: peer,
        ifindex: Number(/peer_ifindex: (\d+)/.exec(ethtool)?.[1]),
      });
      expect(end.peer?.ifindex).toBe(dev(state, peerNs, peer).ifindex);
    }
  });
});
