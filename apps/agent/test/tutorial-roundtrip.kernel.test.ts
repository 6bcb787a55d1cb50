import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { ObservedState, Topology, type ObservedNamespace } from '@netcanvas/model';
import { testLabName } from '../../../packages/kernel/test/lab-fixture';
import { cliWithState } from './helpers/cli';

/**
 * Issue 9's promise, whole: everything the seed tutorial builds by hand is seen, adopted and
 * reproduced. `examples/tutorial-by-hand.sh` is typed into `netcanvas shell` (the lab's root);
 * `adopt --all` takes it over; `export` writes the document; `apply` builds it on a fresh lab.
 * The two labs' observed states, without what the kernel numbers or counts on its own (ifindex,
 * counters, learned MACs, IPv6 link-local addresses), are equal; and a second apply runs nothing.
 */

const repoRoot = path.resolve(import.meta.dirname, '../../..');
const script = readFileSync(path.join(repoRoot, 'examples/tutorial-by-hand.sh'), 'utf8');

const scratch = mkdtempSync(path.join(tmpdir(), 'netcanvas-tutorial-'));
const stateDir = path.join(scratch, 'state');
const byHand = testLabName('tut-hand');
const fresh = testLabName('tut-fresh');

/** The command line's bundle, as the other CLI tests run it (~1.2 s less a call than tsx, 11 calls). */
const cli = cliWithState(stateDir);
const { ok } = cli;

/** What a person means by "the same network": names, kinds, states, peers, addresses, rules. */
function normalised(state: ObservedState) {
  const namespace = (ns: ObservedNamespace) => ({
    name: ns.name,
    managed: ns.managed,
    forwarding: ns.forwarding,
    interfaces: ns.interfaces
      .map((i) => ({
        ifname: i.ifname,
        kind: i.kind,
        up: i.up,
        mtu: i.mtu,
        mac: i.kind === 'loopback' ? null : i.mac,
        master: i.master,
        managed: i.managed || i.kind === 'loopback',
        addresses: i.addresses.filter((a) => !/^fe80:/i.test(a)).sort(),
        peer: i.peer && { namespace: i.peer.namespace, ifname: i.peer.ifname },
        stp: i.stp,
      }))
      .sort((a, b) => a.ifname.localeCompare(b.ifname)),
    // The kernel's own link-local route comes with its fe80 address, a moment after the link is
    // up (IPv6 address configuration): left out as the address is (a CI rehearsal met the race).
    routes: (ns.routes ?? [])
      .filter((r) => !(r.to === 'fe80::/64' && r.protocol === 'kernel'))
      .map((r) => ({ to: r.to, via: r.via, dev: r.dev, protocol: r.protocol, metric: r.metric }))
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
    chains: (ns.firewall?.chains ?? [])
      .map((c) => ({ table: c.table, name: c.name, policy: c.policy }))
      .sort(byKey),
    rules: (ns.firewall?.rules ?? []).map((r) => ({
      table: r.table,
      chain: r.chain,
      args: r.args,
      managed: r.managed,
    })),
  });
  return state.namespaces.map(namespace).sort((a, b) => a.name.localeCompare(b.name));
}

const byKey = (a: object, b: object) => JSON.stringify(a).localeCompare(JSON.stringify(b));

const observe = async (lab: string) =>
  ObservedState.parse(JSON.parse(await ok(['observe', '--json', '--lab', lab])));

describe.skipIf(process.getuid?.() !== 0)('the tutorial, by hand, then taken over', () => {
  afterAll(async () => {
    for (const lab of [byHand, fresh]) await cli(['destroy', '--force', '--purge', '--lab', lab]);
    rmSync(scratch, { recursive: true, force: true });
  });

  test('adopt --all, export, apply to a fresh lab: the same network, and a second apply runs nothing', async () => {
    await ok(['apply', '-', '--lab', byHand], JSON.stringify({ schemaVersion: 1 }));
    await ok(['shell', '--lab', byHand], script);

    const adopted = await ok(['adopt', '--all', '--lab', byHand]);
    expect(adopted).not.toMatch(/cannot|not adopted/i);
    const file = path.join(scratch, 'lab.json');
    await ok(['export', '--lab', byHand, '-o', file]);
    const doc = Topology.parse(JSON.parse(readFileSync(file, 'utf8')));
    expect(doc.namespaces.map((ns) => ns.name).sort()).toEqual(['h0', 'h1', 'h2', 'ns0', 'ns1']);

    await ok(['apply', file, '--lab', fresh]);
    const [before, after] = [normalised(await observe(byHand)), normalised(await observe(fresh))];
    expect(after).toEqual(before);

    // Everything is the lab's now, in both: every interface, route made by hand, rule and chain.
    for (const ns of before) {
      expect(ns.managed || ns.name === 'root', ns.name).toBe(true);
      for (const rule of ns.rules)
        expect(rule.managed, `${ns.name} ${rule.chain} ${rule.args.join(' ')}`).toBe(true);
      for (const iface of ns.interfaces) expect(iface.managed, `${ns.name}:${iface.ifname}`).toBe(true);
    }

    for (const lab of [byHand, fresh]) {
      const again = await ok(['apply', file, '--dry-run', '--lab', lab]);
      for (const line of again.split('\n').filter(Boolean)) expect(line, lab).toMatch(/^#/);
    }
  }, 240_000);
});
