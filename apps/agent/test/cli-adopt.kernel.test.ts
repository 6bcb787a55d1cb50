import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { run, type RunResult } from '@netcanvas/kernel/testing';
import { netcanvasCommand } from './helpers/cli';
import { ObservedState, Topology, findInterface } from '@netcanvas/model';
import { testLabName } from '../../../packages/kernel/test/lab-fixture';
import { startHarness } from './agent-fixture';

/**
 * `netcanvas adopt`, run as a person runs it, against real sandbox labs: it updates the lab's
 * saved document, marks the kernel and says what it ran; it refuses, changing nothing, when an
 * agent serves the lab or the target is not something to adopt.
 */

const scratch = mkdtempSync(path.join(tmpdir(), 'netcanvas-cli-adopt-'));
const stateDir = path.join(scratch, 'state');
const lab = testLabName('cli-adopt');

const cli = (args: string[], input?: string, state = stateDir): Promise<RunResult> =>
  run(['env', `NETCANVAS_STATE_DIR=${state}`, ...netcanvasCommand, ...args], {
    ...(input !== undefined ? { input } : {}),
    timeoutMs: 60_000,
  });

const ok = async (args: string[], input?: string) => {
  const result = await cli(args, input);
  expect(result.exitCode, `${args.join(' ')}\n${result.stdout}\n${result.stderr}`).toBe(0);
  return result.stdout;
};

const saved = () =>
  Topology.parse(
    (
      JSON.parse(readFileSync(path.join(stateDir, 'labs', lab, 'topology.json'), 'utf8')) as {
        document: unknown;
      }
    ).document,
  );

describe.skipIf(process.getuid?.() !== 0)('netcanvas adopt', () => {
  afterAll(async () => {
    await cli(['destroy', '--force', '--purge', '--lab', lab]);
    rmSync(scratch, { recursive: true, force: true });
  });

  test('adopts a veth with its namespaces, then the second rule of a chain, saying what it ran', async () => {
    await ok(['apply', '-', '--lab', lab], JSON.stringify({ schemaVersion: 1 }));
    await ok(
      ['shell', '--lab', lab],
      [
        'ip netns add a',
        'ip netns add b',
        'ip link add va netns a type veth peer name vb netns b',
        'ip -n a addr add 10.3.0.1/24 dev va',
        'ip netns exec b iptables -A INPUT -p udp -j ACCEPT',
        'ip netns exec b iptables -A INPUT -p icmp -j DROP',
      ].join('\n'),
    );
    const veth = await ok(['adopt', 'a:va', '--lab', lab]);
    expect(veth).toContain('  ip netns set a auto   # give it an id so live monitoring sees it');
    expect(veth).toContain("  ip -n b link set dev vb group 28259   # adopted: mark it as the lab's");
    expect(veth).toMatch(
      /^adopted 2 namespaces, 0 bridges, 1 veth pair, 0 routes, 0 firewall rules; 4 commands in \d+ ms; the document is saved in .*topology\.json$/m,
    );
    expect(saved().links).toEqual([
      {
        a: expect.objectContaining({ node: 'a', ifname: 'va', addresses: ['10.3.0.1/24'], up: false }),
        b: expect.objectContaining({ node: 'b', ifname: 'vb', addresses: [], up: false }),
      },
    ]);

    const rule = await ok(['adopt', 'b:fw:filter:INPUT:2', '--lab', lab]);
    expect(rule).toContain(
      '  ip netns exec b iptables -R INPUT 2 -c 0 0 -p icmp -m comment --comment netcanvas -j DROP',
    );
    expect(saved().namespaces.find((n) => n.name === 'b')?.firewall.rules).toEqual([
      expect.objectContaining({ chain: 'INPUT', protocol: 'icmp', target: 'DROP' }),
    ]);
    const state = ObservedState.parse(JSON.parse(await ok(['observe', '--json', '--lab', lab])));
    expect(findInterface(state, 'a', 'va')?.managed).toBe(true);
    expect(state.namespaces.find((n) => n.name === 'b')?.firewall?.rules.map((r) => r.managed)).toEqual([
      false,
      true,
    ]);
  });

  test('refuses, changing nothing: a bad target, something that is not there, a served lab', async () => {
    const before = readFileSync(path.join(stateDir, 'labs', lab, 'topology.json'), 'utf8');
    const usage = await cli(['adopt', 'a:fw:filter', '--lab', lab]);
    expect(usage.exitCode).toBe(2);
    expect(usage.stderr).toMatch(/a chain is NS:fw:TABLE:CHAIN, a rule NS:fw:TABLE:CHAIN:N/);
    const both = await cli(['adopt', 'a', '--all', '--lab', lab]);
    expect(both.exitCode).toBe(2);
    const missing = await cli(['adopt', 'nope:eth0', '--lab', lab]);
    expect(missing).toMatchObject({ exitCode: 1 });
    expect(missing.stderr).toContain('netcanvas: nothing was adopted: the lab has no namespace "nope"');
    const twice = await cli(['adopt', 'a:va', '--lab', lab]);
    expect(twice.stderr).toContain(`"va" is the lab's already`);
    expect(readFileSync(path.join(stateDir, 'labs', lab, 'topology.json'), 'utf8')).toBe(before);

    // An agent serves another lab: its document is its own, so the CLI refuses to write it.
    const harness = await startHarness('cli-adopt-served');
    try {
      const served = await cli(['adopt', '--all', '--lab', harness.labName], undefined, harness.stateDir);
      expect(served.exitCode).toBe(1);
      expect(served.stderr).toContain(
        `lab "${harness.labName}" is served by the agent pid ${process.pid}: adopt from its editor`,
      );
    } finally {
      await harness.stop();
    }
  }, 120_000);
});
