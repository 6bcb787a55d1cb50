import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lab, LabInputError } from '@netcanvas/kernel';
import { findInterface, type ObservedState } from '@netcanvas/model';
import { loadExample, testLab } from './lab-fixture';

// The lab's tools on the real kernel, in one sandbox holding the tutorial's veth pair
// (ns0 10.0.1.1 ↔ ns1 10.0.1.2): the front the agent and the command line use.

let lab: Lab;
let empty: Lab;
beforeAll(async () => {
  empty = await testLab('tools-empty');
  lab = await testLab('tools');
  const { report } = await lab.converge(loadExample('veth-pair.json'), { dryRun: false });
  if (!report?.ok) throw new Error(`apply failed: ${JSON.stringify(report?.failed)}`);
});
afterAll(async () => {
  await lab?.destroy({ force: true });
  await empty?.destroy({ force: true });
});

const refusal = (work: () => unknown): { field: string } | null => {
  try {
    work();
    return null;
  } catch (error) {
    if (error instanceof LabInputError) return { field: error.field };
    throw error;
  }
};

describe("the lab's namespaces", () => {
  it('lists the namespaces the kernel has, and none in a new sandbox', async () => {
    expect((await lab.namespaces()).sort()).toEqual(['ns0', 'ns1']);
    expect(await empty.namespaces()).toEqual([]);
  });
});

describe('ping', () => {
  it('streams ping’s lines from one namespace to another and ends with its exit code', async () => {
    const lines: string[] = [];
    const ping = lab.ping('ns1', '10.0.1.1', { count: 1, timeoutSeconds: 2 }, (l) => lines.push(l));
    expect(ping.shown).toEqual([
      'ip',
      'netns',
      'exec',
      'ns1',
      'ping',
      '-n',
      '-c',
      '1',
      '-W',
      '2',
      '10.0.1.1',
    ]);
    expect(await ping.done).toBe(0);
    expect(lines.join('\n')).toMatch(/1 packets transmitted, 1 received/);
  });

  it('says an address nobody answers with exit code 1', async () => {
    const ping = lab.ping('ns0', '10.0.1.99', { count: 1, timeoutSeconds: 1 }, () => undefined);
    expect(await ping.done).toBe(1);
  });

  it('stops a ping that would run on, which then prints its summary', async () => {
    const lines: string[] = [];
    let replied: () => void = () => undefined;
    const firstReply = new Promise<void>((resolve) => (replied = resolve));
    const ping = lab.ping('ns0', '10.0.1.2', { intervalSeconds: 0.2 }, (line) => {
      lines.push(line);
      if (/bytes from 10\.0\.1\.2/.test(line)) replied();
    });
    await firstReply;
    const started = performance.now();
    ping.stop();
    expect(await ping.done).toBe(0);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(lines.join('\n')).toMatch(/packets transmitted/);
  });

  it('refuses bad input, naming the field, before anything runs', () => {
    const none = () => undefined;
    expect(refusal(() => lab.ping('ns0', '10.0.1', { count: 1 }, none))).toEqual({ field: 'address' });
    expect(refusal(() => lab.ping('ns0', 'example.com', {}, none))).toEqual({ field: 'address' });
    expect(refusal(() => lab.ping('ns0', '10.0.1.2', { count: 0 }, none))).toEqual({ field: 'count' });
    expect(refusal(() => lab.ping('ns0', '10.0.1.2', { count: 1.5 }, none))).toEqual({ field: 'count' });
    expect(refusal(() => lab.ping('ns0', '10.0.1.2', { intervalSeconds: 0.01 }, none))).toEqual({
      field: 'intervalSeconds',
    });
    expect(refusal(() => lab.ping('-f', '10.0.1.2', {}, none))).toEqual({ field: 'namespace' });
  });
});

describe('commands in a namespace', () => {
  it('run captures a command’s output and exit code inside the namespace', async () => {
    const shown = await lab.run('ns0', ['ip', '-br', 'addr', 'show', 'dev', 'veth0']);
    expect(shown.exitCode).toBe(0);
    expect(shown.stdout).toMatch(/^veth0@\S+\s+UP\s+10\.0\.1\.1\/24/);
    expect((await lab.run('root', ['sh', '-c', 'exit 3'])).exitCode).toBe(3);
    await expect(lab.run('../x', ['true'])).rejects.toThrow(LabInputError);
    await expect(lab.run('ns0', [])).rejects.toThrow(/command/);
  });

  it('exec runs attached and hands back the exit code, in the namespace asked for', async () => {
    expect(await lab.exec('ns1', ['sh', '-c', 'ip -br link show dev veth1 >/dev/null && exit 7'])).toBe(7);
    expect(await lab.exec('ns0', ['sh', '-c', 'ip link show dev veth1 >/dev/null 2>&1'])).toBe(1);
  });
});

describe('changes by hand', () => {
  it('an ip command at the prompt changes the kernel without the lab’s mark; a failed one is told and the next still runs', async () => {
    const hand = lab.byHand('ns0');
    try {
      expect(await hand.ip(['link', 'add', 'name', 'hand7', 'type', 'bridge'])).toEqual({ ok: true });
      const failed = await hand.ip(['link', 'set', 'dev', 'nosuch', 'up']);
      expect(failed.ok).toBe(false);
      expect(failed.ok ? '' : failed.error).toMatch(/nosuch|Cannot find device/);
      expect(await hand.ip(['link', 'set', 'dev', 'hand7', 'up'])).toEqual({ ok: true });
      await expect(hand.ip(['link', 'set', 'dev', 'x#y', 'up'])).rejects.toThrow(LabInputError);
    } finally {
      await hand.close();
    }
    const hand7 = findInterface(await lab.observe({ firewall: false }), 'ns0', 'hand7');
    expect(hand7).toMatchObject({ kind: 'bridge', up: true, managed: false });
    await lab.run('ns0', ['ip', 'link', 'del', 'dev', 'hand7']);
  });
});

describe("an empty sandbox's state", () => {
  it('is what a new sandbox reads, so a dry run plans from the truth', async () => {
    const read = await empty.observe();
    const said = Lab.emptyState(empty.name);
    const comparable = (state: ObservedState) => ({
      ...state,
      target: { ...state.target, pid: 0 },
      takenAt: '',
      namespaces: state.namespaces.map((ns) => ({
        ...ns,
        interfaces: ns.interfaces.map((i) => ({ ...i, stats: null })),
      })),
    });
    expect(comparable(read)).toEqual(comparable(said));
  });
});
