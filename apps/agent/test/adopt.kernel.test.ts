import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findInterface, pathEndText, type ObservedRule, type Topology } from '@netcanvas/model';
import { edit, startHarness, tutorialEdits, type AgentHarness } from './agent-fixture';
import { documentAfter } from './helpers/ws-client';

/**
 * Adopting through a real agent on a sandbox lab: what a person made by hand in a terminal is
 * taken over in place (rules keep their position and counters), with what it needs, and a rule
 * made by hand can be removed from the editor, with the command in the log.
 */

let harness: AgentHarness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

const script = readFileSync(
  path.resolve(import.meta.dirname, '../../../examples/tutorial-by-hand.sh'),
  'utf8',
);

async function sh(line: string, namespace = 'root') {
  const result = await (harness as AgentHarness).sh(namespace, ['sh', '-c', line]);
  expect(result.exitCode, `${line}\n${result.stderr}`).toBe(0);
  return result.stdout;
}

/** The rules of a chain as `iptables-save -c` has them now, in order. */
async function chain(namespace: string, table: string, name: string): Promise<ObservedRule[]> {
  const text = await sh(`iptables-save -c -t ${table}`, namespace);
  return text.split('\n').flatMap((line) => {
    const m = /^\[(\d+):(\d+)\] -A (\S+) (.*)$/.exec(line);
    if (!m || m[3] !== name) return [];
    const args = (m[4] as string).split(' ');
    return [
      {
        table,
        chain: name,
        args,
        managed: args.includes('netcanvas'),
        packets: Number(m[1]),
        bytes: Number(m[2]),
      },
    ];
  });
}

describe('adopting through the agent', () => {
  it('adopts a hand rule in place: its position among the hand rules and its counters kept', async () => {
    harness = await startHarness('adopt-rule');
    const client = await harness.editor();
    const welcome = await client.hello();
    await sh('ip netns add fw && ip netns exec fw ip link set lo up');
    await sh(
      'iptables -A INPUT -p udp -j ACCEPT && iptables -A INPUT -p icmp -j ACCEPT && iptables -A INPUT -p tcp --dport 22 -j DROP',
      'fw',
    );
    await sh('ping -c 3 -i 0.2 -W 1 127.0.0.1 >/dev/null', 'fw');
    const before = await chain('fw', 'filter', 'INPUT');
    expect(before[1]?.packets).toBeGreaterThanOrEqual(6);

    const adopted = await edit(client, welcome.version, [
      {
        type: 'adopt',
        namespace: 'fw',
        firewall: { table: 'filter', chain: 'INPUT', args: ['-p', 'icmp', '-j', 'ACCEPT'] },
      },
    ]);
    expect(adopted).toMatchObject({ type: 'accepted', outcome: { ok: true } });
    if (adopted.type !== 'accepted') return;
    // The namespace came along; the rule was replaced where it is, with its counters.
    expect(adopted.outcome.commands.map((c) => c.argv.join(' '))).toEqual([
      'ip netns set fw auto',
      expect.stringMatching(
        /^ip netns exec fw iptables -R INPUT 2 -c \d+ \d+ -p icmp -m comment --comment netcanvas -j ACCEPT$/,
      ),
    ]);
    const after = await chain('fw', 'filter', 'INPUT');
    expect(after.map((r) => [r.args.join(' '), r.managed])).toEqual([
      ['-p udp -j ACCEPT', false],
      ['-p icmp -m comment --comment netcanvas -j ACCEPT', true],
      ['-p tcp -m tcp --dport 22 -j DROP', false],
    ]);
    expect(after[1]?.packets).toBeGreaterThanOrEqual(before[1]?.packets ?? 0);
    const doc = documentAfter(await client.nextDocument()) as Topology;
    expect(doc.namespaces).toMatchObject([
      {
        name: 'fw',
        loUp: true,
        firewall: { rules: [{ chain: 'INPUT', protocol: 'icmp', target: 'ACCEPT' }] },
      },
    ]);
    // The lab's now: the next edit plans nothing for it (no second copy, nothing deleted).
    const again = await edit(client, adopted.version, [
      { type: 'setNamespace', name: 'fw', forwarding: false },
    ]);
    expect(again).toMatchObject({ type: 'accepted', outcome: { ok: true, commands: [] } });
    expect(await chain('fw', 'filter', 'INPUT')).toHaveLength(3);
  });

  it('adopts a bridge port before its bridge: the bridge and the namespace behind it come along', async () => {
    harness = await startHarness('adopt-port');
    const client = await harness.editor();
    const welcome = await client.hello();
    await sh(
      'ip link add br0 type bridge && ip link set br0 up && ip addr add 10.0.2.1/24 dev br0 && ' +
        'ip netns add h0 && ip link add eth0 type veth peer name eth0 netns h0 && ' +
        'ip link set eth0 master br0 && ip link set eth0 up && ip link set eth0 mtu 1400 && ' +
        'ip -n h0 link set eth0 mtu 1400 && ip -n h0 link set eth0 up && ip -n h0 addr add 10.0.2.10/24 dev eth0',
    );
    const br0Mac = findInterface(await observeNow(), 'root', 'br0')?.mac;
    expect(br0Mac).toMatch(/^[0-9a-f:]{17}$/);
    const adopted = await edit(client, welcome.version, [
      { type: 'adopt', namespace: 'root', ifname: 'eth0' },
    ]);
    expect(adopted).toMatchObject({ type: 'accepted', outcome: { ok: true } });
    if (adopted.type !== 'accepted') return;
    // Marks only: nothing deleted, nothing re-made.
    expect(
      adopted.outcome.commands.every((c) =>
        /^ip (-n h0 )?(netns set|link set dev \S+ group 28259)/.test(c.argv.join(' ')),
      ),
    ).toBe(true);
    expect(adopted.outcome.notRun).toEqual([]);
    const doc = documentAfter(await client.nextDocument()) as Topology;
    expect(doc.bridges).toEqual([expect.objectContaining({ name: 'br0', addresses: ['10.0.2.1/24'] })]);
    // br0's MAC is its one port's, the kernel's choice, which the next port would change: the
    // document does not hold it (recover.ts, pinnedBridgeMac), or that port's edit would be drift.
    expect(br0Mac).toBe(findInterface(await observeNow(), 'root', 'eth0')?.mac);
    expect(doc.bridges[0]?.mac).toBeUndefined();
    expect(doc.links).toEqual([
      {
        a: expect.objectContaining({ node: 'h0', ifname: 'eth0', addresses: ['10.0.2.10/24'], mtu: 1400 }),
        b: expect.objectContaining({ node: 'br0', ifname: 'eth0', addresses: [], mtu: 1400 }),
      },
    ]);
    expect(await sh('ping -c 1 -W 2 10.0.2.10')).toContain('1 received');
    const observed = await observeNow();
    expect(findInterface(observed, 'root', 'br0')?.managed).toBe(true);
    expect(findInterface(observed, 'h0', 'eth0')?.managed).toBe(true);
    expect(harness.agent.lab.plan(doc, observed).steps).toEqual([]);
  });

  it('adopts all of the tutorial typed by hand; a second plan, and a restart, run no command', async () => {
    harness = await startHarness('adopt-all');
    const client = await harness.editor();
    const welcome = await client.hello();
    const typed = await harness.sh('root', ['bash', '-c', script]);
    expect(typed.exitCode, typed.stderr).toBe(0);
    const adopted = await edit(client, welcome.version, [{ type: 'adopt', all: true }]);
    expect(adopted).toMatchObject({ type: 'accepted', outcome: { ok: true, notRun: [] } });
    if (adopted.type !== 'accepted') return;
    expect(adopted.outcome.notes ?? []).toEqual([]);
    const doc = documentAfter(await client.nextDocument()) as Topology;
    expect(doc.namespaces.map((n) => n.name).sort()).toEqual(['h0', 'h1', 'h2', 'ns0', 'ns1']);
    const observed = await observeNow();
    for (const ns of observed.namespaces) {
      expect(ns.managed, ns.name).toBe(true);
      for (const i of ns.interfaces)
        if (i.kind !== 'loopback') expect(i.managed, `${ns.name}:${i.ifname}`).toBe(true);
      for (const r of ns.firewall?.rules ?? [])
        expect(r.managed, `${ns.name} ${r.chain} ${r.args.join(' ')}`).toBe(true);
      for (const r of ns.routes ?? [])
        expect(r.protocol === 'kernel' || r.managed, `${ns.name} ${r.to}`).toBe(true);
    }
    expect(harness.agent.lab.plan(doc, observed).steps).toEqual([]);
    await harness.stopAgent();
    await harness.startAgain();
    expect(harness.agent.reconciled).toMatchObject({ records: [], conflicts: [] });
  }, 120_000);

  it('adopts blackhole and unreachable routes typed by hand with their type; the kernel then has them as the lab’s', async () => {
    harness = await startHarness('adopt-typed-routes');
    const client = await harness.editor();
    const welcome = await client.hello();
    await sh(
      'ip netns add ns1 && ip -n ns1 link set lo up && ' +
        'ip -n ns1 route add blackhole 10.9.0.0/16 && ip -n ns1 route add unreachable 10.8.0.0/16 metric 5',
    );
    // Seen with their type, not as plain routes (which adopt could not take: no via, no dev).
    const before = (await observeNow()).namespaces.find((n) => n.name === 'ns1')?.routes;
    expect(before).toEqual([
      {
        type: 'unreachable',
        to: '10.8.0.0/16',
        via: null,
        dev: null,
        protocol: 'boot',
        metric: 5,
        managed: false,
      },
      {
        type: 'blackhole',
        to: '10.9.0.0/16',
        via: null,
        dev: null,
        protocol: 'boot',
        metric: null,
        managed: false,
      },
    ]);

    const adopted = await edit(client, welcome.version, [{ type: 'adopt', all: true }]);
    expect(adopted).toMatchObject({ type: 'accepted', outcome: { ok: true, notRun: [] } });
    if (adopted.type !== 'accepted') return;
    expect(adopted.outcome.commands.map((c) => c.argv.join(' '))).toEqual(
      expect.arrayContaining([
        'ip -n ns1 route replace blackhole 10.9.0.0/16 proto 203',
        'ip -n ns1 route replace unreachable 10.8.0.0/16 metric 5 proto 203',
      ]),
    );
    const doc = documentAfter(await client.nextDocument()) as Topology;
    expect(doc.namespaces.find((n) => n.name === 'ns1')?.routes).toEqual([
      { type: 'unreachable', to: '10.8.0.0/16', metric: 5 },
      { type: 'blackhole', to: '10.9.0.0/16' },
    ]);
    const shown = await sh('ip -n ns1 route show');
    expect(shown).toContain('blackhole 10.9.0.0/16 proto 203');
    expect(shown).toContain('unreachable 10.8.0.0/16 proto 203 metric 5');
    const observed = await observeNow();
    expect(harness.agent.lab.plan(doc, observed).steps).toEqual([]);

    // The packet path ends at the blackhole, and says so.
    const traced = await harness.agent.lab.tracePath({ from: 'ns1', to: '10.9.1.1' });
    expect(pathEndText(traced.end)).toBe(
      'dropped here (ns1) by a blackhole route 10.9.0.0/16, silently (no ICMP error)',
    );
  });

  it('adopts routes through an IPv6 address typed by hand: the address comes along, nothing is planned after', async () => {
    harness = await startHarness('adopt-v6-routes');
    const client = await harness.editor();
    const welcome = await client.hello();
    const made = await edit(client, welcome.version, [
      { type: 'addNamespace', name: 'h1' },
      { type: 'addNamespace', name: 'r1' },
      {
        type: 'connect',
        a: { node: 'h1', ifname: 'eth0', addresses: ['10.1.0.2/24'] },
        b: { node: 'r1', ifname: 'eth0', addresses: ['10.1.0.1/24'] },
      },
    ]);
    expect(made).toMatchObject({ type: 'accepted', outcome: { ok: true } });
    if (made.type !== 'accepted') return;
    // The topology has no IPv6 address on h1's eth0; the kernel has, and routes through it.
    await sh(
      'ip -n h1 addr add 2001:db8:a::2/64 dev eth0 && ' +
        'ip -n h1 -6 route add 2001:db8:b::/64 via 2001:db8:a::1 && ' +
        'ip -n h1 route add 10.9.0.0/16 via 10.1.0.1',
    );
    const adopt = [{ type: 'adopt', namespace: 'h1', routes: true }];
    // The agent learns of the routes from the kernel's events: until then it has none by hand.
    let adopted = await edit(client, made.version, adopt);
    for (
      let i = 0;
      i < 50 && adopted.type === 'rejected' && /no routes made by hand/.test(adopted.message);
      i++
    ) {
      await new Promise((r) => setTimeout(r, 100));
      adopted = await edit(client, made.version, adopt);
    }
    expect(adopted).toMatchObject({ type: 'accepted', outcome: { ok: true, notRun: [] } });
    if (adopted.type !== 'accepted') return;
    expect(adopted.outcome.notes ?? []).toEqual([]);
    // Each route re-made in place as the lab's; the address is the kernel's already: no command.
    const commands = adopted.outcome.commands.map((c) => c.argv.join(' '));
    expect(commands).toHaveLength(2);
    expect(commands.every((c) => /^ip -n h1 (-6 )?route replace .* proto 203$/.test(c))).toBe(true);
    const version = adopted.version;
    const doc = documentAfter(await client.nextDocument((v) => v === version)) as Topology;
    expect(doc.links[0]?.a).toMatchObject({
      node: 'h1',
      ifname: 'eth0',
      addresses: ['10.1.0.2/24', '2001:db8:a::2/64'],
    });
    expect(doc.namespaces.find((n) => n.name === 'h1')?.routes).toEqual(
      expect.arrayContaining([
        { to: '2001:db8:b::/64', via: '2001:db8:a::1' },
        { to: '10.9.0.0/16', via: '10.1.0.1' },
      ]),
    );
    expect(await sh('ip -n h1 -6 route show 2001:db8:b::/64')).toMatch(/via 2001:db8:a::1 .*proto 203/);
    expect(await sh('ip -n h1 route show 10.9.0.0/16')).toMatch(/via 10\.1\.0\.1 .*proto 203/);
    // The lab's now: a reconcile plans nothing (no address removed, no route re-made).
    expect(harness.agent.lab.plan(doc, await observeNow()).steps).toEqual([]);
    const again = await edit(client, version, [{ type: 'setNamespace', name: 'r1', forwarding: true }]);
    expect(again).toMatchObject({ type: 'accepted', outcome: { ok: true } });
    if (again.type === 'accepted')
      expect(again.outcome.commands.map((c) => c.argv.join(' '))).toEqual([
        expect.stringMatching(/^ip netns exec r1 sysctl/),
      ]);
  });

  it('removes a rule made by hand, only that one, and only while the kernel has it', async () => {
    harness = await startHarness('adopt-remove');
    const client = await harness.editor();
    const viewer = await harness.viewer();
    const welcome = await client.hello();
    await viewer.hello();
    await sh(
      'iptables -A FORWARD -i br9 -j ACCEPT && iptables -A FORWARD -i br9 -j ACCEPT && iptables -t nat -A POSTROUTING -o x0 -j MASQUERADE',
    );
    const rule = {
      type: 'removeHandRule',
      namespace: 'root',
      table: 'filter',
      chain: 'FORWARD',
      args: ['-i', 'br9', '-j', 'ACCEPT'],
    };

    // A viewer cannot; words that are not a rule the kernel has are refused; nothing changes.
    expect(await edit(viewer, welcome.version, [rule])).toMatchObject({ type: 'rejected' });
    const bogus = await edit(client, welcome.version, [{ ...rule, args: ['-i', 'br9', '-j', 'DROP'] }]);
    expect(bogus).toMatchObject({ type: 'rejected', path: 'edits[0].args' });
    expect(bogus.type === 'rejected' && bogus.message).toBe(
      'that rule is no longer there: -A FORWARD -i br9 -j DROP',
    );
    expect(await chain('root', 'filter', 'FORWARD')).toHaveLength(2);

    const removed = await edit(client, welcome.version, [rule]);
    expect(removed).toMatchObject({
      type: 'accepted',
      version: welcome.version, // no document change, no new version
      outcome: {
        ok: true,
        commands: [{ argv: ['iptables', '-D', 'FORWARD', '-i', 'br9', '-j', 'ACCEPT'], exitCode: 0 }],
      },
    });
    expect(
      await client.next((m) => m.type === 'log' && m.entries.some((e) => e.argv.includes('-D')), 3000),
    ).toBeTruthy();
    expect(await chain('root', 'filter', 'FORWARD')).toHaveLength(1);
    expect(await chain('root', 'nat', 'POSTROUTING')).toHaveLength(1);
    await edit(client, welcome.version, [rule]);
    const gone = await edit(client, welcome.version, [rule]);
    expect(gone).toMatchObject({
      type: 'rejected',
      message: 'that rule is no longer there: -A FORWARD -i br9 -j ACCEPT',
    });
  });

  it('says in its reply that a namespace holding hand-made interfaces was kept, not removed', async () => {
    harness = await startHarness('kept-ns');
    const client = await harness.editor();
    const welcome = await client.hello();
    const added = await edit(client, welcome.version, [{ type: 'addNamespace', name: 'ns3' }]);
    if (added.type !== 'accepted') throw new Error(`not added: ${JSON.stringify(added)}`);
    await sh('ip link add h1 type veth peer name h2', 'ns3');
    const removed = await edit(client, added.version, [{ type: 'removeNamespace', name: 'ns3' }]);
    expect(removed).toMatchObject({ type: 'accepted', outcome: { ok: true } });
    if (removed.type !== 'accepted') return;
    // The page says this instead of "removed" (or "Undid: add namespace ns3").
    expect(removed.outcome.notes).toEqual([
      expect.stringMatching(
        /^kept namespace "ns3": it holds interfaces netcanvas did not make \(h[12], h[12]\)$/,
      ),
    ]);
    expect(await sh('ip netns list')).toMatch(/^ns3\b/m);
    // The next edit, elsewhere, is not told it again: the note is the edit's that kept it.
    const next = await edit(client, removed.version, [{ type: 'addNamespace', name: 'ns4' }]);
    expect(next).toMatchObject({ type: 'accepted', outcome: { ok: true } });
    if (next.type === 'accepted') expect(next.outcome.notes ?? []).toEqual([]);
  });
});

describe('a veth end the lab made, renamed by hand', () => {
  it('adopting it renames the end in the topology, in place: nothing deleted, nothing rebuilt', async () => {
    harness = await startHarness('adopt-rename');
    const client = await harness.editor();
    const welcome = await client.hello();
    const made = await edit(client, welcome.version, tutorialEdits);
    expect(made).toMatchObject({ type: 'accepted', outcome: { ok: true } });
    if (made.type !== 'accepted') return;
    const ifindex = findInterface(await observeNow(), 'ns0', 'veth0')?.ifindex;
    await sh('ip link set veth0 down && ip link set veth0 name v0 && ip link set v0 up', 'ns0');
    // The agent learns of the rename from the kernel's events: until then "v0" is not in its state.
    let adopted = await edit(client, made.version, [{ type: 'adopt', namespace: 'ns0', ifname: 'v0' }]);
    for (let i = 0; i < 50 && adopted.type === 'rejected' && /no interface "v0"/.test(adopted.message); i++) {
      await new Promise((r) => setTimeout(r, 100));
      adopted = await edit(client, made.version, [{ type: 'adopt', namespace: 'ns0', ifname: 'v0' }]);
    }
    expect(adopted).toMatchObject({ type: 'accepted', outcome: { ok: true, commands: [] } });
    if (adopted.type !== 'accepted') return;
    const version = adopted.version;
    const doc = documentAfter(await client.nextDocument((v) => v === version)) as Topology;
    expect(doc.links).toMatchObject([
      {
        a: { node: 'ns0', ifname: 'v0', addresses: ['10.0.1.1/24'] },
        b: { node: 'ns1', ifname: 'veth1', addresses: ['10.0.1.2/24'] },
      },
    ]);
    const v0 = findInterface(await observeNow(), 'ns0', 'v0');
    expect(v0).toMatchObject({ ifindex, managed: true, addresses: expect.arrayContaining(['10.0.1.1/24']) });
    // The lab's, under its new name: the next edit plans nothing for it.
    const again = await edit(client, adopted.version, [
      { type: 'setNamespace', name: 'ns0', forwarding: false },
    ]);
    expect(again).toMatchObject({ type: 'accepted', outcome: { ok: true, commands: [] } });
    await sh('ping -c 1 -W 1 10.0.1.2 >/dev/null', 'ns0');
  });

  it('adopting it renames the rules that name it, and the kernel rule with them (iptables keeps the old name)', async () => {
    harness = await startHarness('adopt-rename-rule');
    const client = await harness.editor();
    const welcome = await client.hello();
    const masquerade = { table: 'nat', chain: 'POSTROUTING', outInterface: 'veth0', target: 'MASQUERADE' };
    const made = await edit(client, welcome.version, [
      ...tutorialEdits,
      { type: 'setNamespace', name: 'ns0', firewall: { rules: [masquerade] } },
    ]);
    expect(made).toMatchObject({ type: 'accepted', outcome: { ok: true } });
    if (made.type !== 'accepted') return;
    await sh('ip link set veth0 down && ip link set veth0 name v0 && ip link set v0 up', 'ns0');
    // The kernel's rule still says veth0 after the rename: iptables keeps a name as text.
    expect((await chain('ns0', 'nat', 'POSTROUTING')).map((r) => r.args.slice(0, 2))).toEqual([
      ['-o', 'veth0'],
    ]);
    let adopted = await edit(client, made.version, [{ type: 'adopt', namespace: 'ns0', ifname: 'v0' }]);
    for (let i = 0; i < 50 && adopted.type === 'rejected' && /no interface "v0"/.test(adopted.message); i++) {
      await new Promise((r) => setTimeout(r, 100));
      adopted = await edit(client, made.version, [{ type: 'adopt', namespace: 'ns0', ifname: 'v0' }]);
    }
    expect(adopted).toMatchObject({ type: 'accepted', outcome: { ok: true } });
    if (adopted.type !== 'accepted') return;
    // The adopt rewrites the rule (and nothing else), in the log: NAT out of v0 again.
    expect(adopted.outcome.commands.map((c) => c.argv.join(' '))).toEqual([
      'ip netns exec ns0 iptables -t nat -D POSTROUTING -o veth0 -m comment --comment netcanvas -j MASQUERADE',
      'ip netns exec ns0 iptables -t nat -A POSTROUTING -o v0 -m comment --comment netcanvas -j MASQUERADE',
    ]);
    const version = adopted.version;
    const doc = documentAfter(await client.nextDocument((v) => v === version)) as Topology;
    expect(doc.namespaces.find((n) => n.name === 'ns0')?.firewall.rules).toEqual([
      expect.objectContaining({ chain: 'POSTROUTING', outInterface: 'v0' }),
    ]);
    expect((await chain('ns0', 'nat', 'POSTROUTING')).map((r) => r.args.slice(0, 2))).toEqual([['-o', 'v0']]);
    // The kernel matches the topology now: a converge plans nothing.
    const again = await edit(
      client,
      adopted.version,
      [{ type: 'setNamespace', name: 'ns0', forwarding: false }],
      {
        converge: true,
      },
    );
    expect(again).toMatchObject({ type: 'accepted', outcome: { ok: true, commands: [] } });
  });
});

async function observeNow() {
  return (harness as AgentHarness).agent.lab.observe();
}
