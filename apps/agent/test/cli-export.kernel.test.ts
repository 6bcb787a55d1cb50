import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ObservedState } from '@netcanvas/model';
import { testLabName } from '../../../packages/kernel/test/lab-fixture';
import { edit, startHarness, type AgentHarness } from './agent-fixture';
import { cliWithState, type Cli } from './helpers/cli';
import { normalised } from './helpers/same-network';

/**
 * `netcanvas export`: a lab built through a real agent (routes of both families, a user chain,
 * the lab root's firewall, a bridge, positions) is exported while the agent serves it; the JSON,
 * applied to a fresh lab, and the script, run with `sh` in another fresh lab, build the same
 * network the kernel shows for the first.
 */

let harness: AgentHarness;
const fromJson = testLabName('exp-json');
const fromScript = testLabName('exp-sh');

let cli: Cli;
const ok = (args: string[], input?: string) => cli.ok(args, input);

const observed = async (lab: string) =>
  ObservedState.parse(JSON.parse(await ok(['observe', '--json', '--lab', lab])));

const edits = [
  { type: 'addNamespace', name: 'h1', position: { x: 10, y: 20 } },
  { type: 'addNamespace', name: 'r1', forwarding: true, position: { x: 400, y: 20 } },
  { type: 'addBridge', name: 'br0', position: { x: 200, y: 300 } },
  {
    type: 'connect',
    a: { node: 'h1', ifname: 'eth0', addresses: ['10.0.1.1/24', '2001:db8:1::1/64'] },
    b: { node: 'r1', ifname: 'eth0', addresses: ['10.0.1.254/24', '2001:db8:1::fe/64'] },
  },
  {
    type: 'connect',
    a: { node: 'br0', ifname: 'r1-p' },
    b: { node: 'r1', ifname: 'eth1', addresses: ['10.0.2.1/24'] },
  },
  {
    type: 'setNamespace',
    name: 'h1',
    routes: [
      { to: '0.0.0.0/0', via: '10.0.1.254' },
      { to: 'default', via: '2001:db8:1::fe' },
      { to: '10.9.0.0/16', dev: 'eth0', metric: 7 },
    ],
  },
  {
    type: 'setNamespace',
    name: 'r1',
    firewall: {
      chains: [{ table: 'filter', name: 'from-h1' }],
      rules: [
        { chain: 'FORWARD', inInterface: 'eth0', target: 'from-h1' },
        { chain: 'from-h1', protocol: 'icmp', target: 'ACCEPT' },
        {
          table: 'nat',
          chain: 'POSTROUTING',
          source: '10.0.1.0/24',
          outInterface: 'eth1',
          target: 'MASQUERADE',
        },
      ],
      policies: [{ chain: 'FORWARD', policy: 'DROP' }],
    },
  },
  {
    type: 'setNamespace',
    name: 'root',
    firewall: { rules: [{ chain: 'FORWARD', inInterface: 'br0', outInterface: 'br0', target: 'ACCEPT' }] },
  },
];

// Every step is a CLI subprocess (a few seconds each on a busy machine).
describe.skipIf(process.getuid?.() !== 0)('netcanvas export on a real kernel', { timeout: 240_000 }, () => {
  beforeAll(async () => {
    harness = await startHarness('exp-src');
    cli = cliWithState(harness.stateDir);
    const client = await harness.editor();
    const welcome = await client.hello();
    const reply = await edit(client, welcome.version, edits);
    expect(reply).toMatchObject({ type: 'accepted', outcome: { ok: true } });
  }, 120_000);

  afterAll(async () => {
    for (const lab of [fromJson, fromScript]) await cli(['destroy', '--force', '--purge', '--lab', lab]);
    await harness.stop();
  }, 120_000);

  test('writes the saved document, positions and all, while the agent serves the lab', async () => {
    const file = path.join(harness.stateDir, 'exported.json');
    const said = await ok(['export', '--lab', harness.labName, '-o', file]);
    expect(said).toMatch(/^wrote .*exported\.json: lab ".*" \(saved document, version 1\) as json$/m);
    const saved = JSON.parse(
      readFileSync(path.join(harness.stateDir, 'labs', harness.labName, 'topology.json'), 'utf8'),
    );
    const exported = JSON.parse(readFileSync(file, 'utf8'));
    expect(exported).toEqual(saved.document);
    expect(exported.namespaces[0]).toMatchObject({ name: 'h1', position: { x: 10, y: 20 } });
    expect(exported.namespaces[0].routes).toEqual([
      { to: 'default', via: '10.0.1.254' },
      { to: '::/0', via: '2001:db8:1::fe' },
      { to: '10.9.0.0/16', dev: 'eth0', metric: 7 },
    ]);
    // Printed, it is the same text.
    expect(await ok(['export', '--lab', harness.labName])).toBe(readFileSync(file, 'utf8'));
  });

  test('the exported JSON, applied to a fresh lab, builds what the kernel shows for the first; again, nothing', async () => {
    const file = path.join(harness.stateDir, 'exported.json');
    await ok(['apply', file, '--lab', fromJson]);
    const source = await observed(harness.labName);
    expect(normalised(await observed(fromJson), { namespacesOwned: true })).toEqual(
      normalised(source, { namespacesOwned: true }),
    );
    expect(await ok(['apply', file, '--lab', fromJson])).toContain(`lab "${fromJson}" already matches`);
  });

  test('the exported script, run with sh in a fresh lab, builds the same network', async () => {
    const script = await ok(['export', '--lab', harness.labName, '--format', 'script']);
    expect(script.split('\n')).toEqual(
      expect.arrayContaining([
        '#!/bin/sh',
        'set -e',
        'ip -n h1 route add default via 10.0.1.254 proto 203',
        'ip -n h1 route add default via 2001:db8:1::fe proto 203',
        'iptables -A FORWARD -i br0 -o br0 -m comment --comment netcanvas -j ACCEPT',
      ]),
    );
    await ok(['apply', '-', '--lab', fromScript], '{ "schemaVersion": 1 }');
    const ran = await cli(['shell', '--lab', fromScript], script);
    expect(ran.exitCode, ran.stdout + ran.stderr).toBe(0);
    // By hand, its namespaces are not in the new lab's record (the script says so); all else is equal.
    expect(normalised(await observed(fromScript), { namespacesOwned: false })).toEqual(
      normalised(await observed(harness.labName), { namespacesOwned: false }),
    );
  });

  test('says why, exits non-zero and writes nothing: no saved document, a directory, no folder', async () => {
    const none = await cli(['export', '--lab', fromJson]);
    expect(none.exitCode).toBe(1);
    expect(none.stderr).toContain(`lab "${fromJson}" has no saved document`);

    const folder = path.join(harness.stateDir, 'out');
    mkdirSync(folder);
    const intoFolder = await cli(['export', '--lab', harness.labName, '-o', folder]);
    expect(intoFolder.exitCode).toBe(2);
    expect(intoFolder.stderr).toContain(`cannot write ${folder}: it is a directory; name a file in it`);
    const nowhere = await cli(['export', '--lab', harness.labName, '-o', path.join(folder, 'no', 'x.json')]);
    expect(nowhere.exitCode).toBe(2);
    expect(nowhere.stderr).toContain(`there is no folder ${path.join(folder, 'no')}`);
    expect(readdirSync(folder)).toEqual([]);
  });
});
