import { readdir } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { type Lab } from '@netcanvas/kernel';
import { run } from '@netcanvas/kernel/testing';
import { loadExample, testLab } from './lab-fixture';

/**
 * destroy decides whether a sandbox can go whole from the namespaces' names and one read of the
 * lab's root (sandbox-foreign.ts), never reading inside the lab's own namespaces: what is there
 * goes with them. Things made by hand beside the lab's (a namespace, an interface in the root)
 * still keep the sandbox.
 */

let labs: Lab[] = [];
afterEach(async () => {
  for (const lab of labs) await lab.destroy({ force: true });
  labs = [];
});

async function bridgeLab(tag: string): Promise<Lab> {
  const lab = await testLab(tag);
  labs.push(lab);
  const { report } = await lab.converge(loadExample('bridge.json'), { dryRun: false });
  expect(report?.failed ?? null).toBeNull();
  return lab;
}

const byHand = async (lab: Lab, ns: string, argv: string[]) =>
  expect((await run(lab.execArgv(ns, argv), { timeoutMs: 10_000 })).exitCode).toBe(0);

const holderPid = (lab: Lab) => (lab.target.kind === 'sandbox' ? lab.target.sandbox.pid : 0);

describe('destroy of a sandbox', () => {
  it('removes it whole, with no step, when what was made by hand is inside the lab’s namespaces', async () => {
    const lab = await bridgeLab('dwhole');
    await byHand(lab, 'ns1', ['ip', 'link', 'add', 'name', 'hand0', 'type', 'veth', 'peer', 'name', 'hand1']);
    const pid = holderPid(lab);
    // A read of every namespace would find hand0 and delete the lab's things one by one first.
    expect(await lab.destroy({ force: false })).toEqual({
      sandboxRemoved: true,
      apply: null,
      kept: [],
      goneWith: [],
    });
    await expect(readdir(`/proc/${pid}`)).rejects.toThrow();
  });

  it('keeps it, and what was made by hand, when a namespace is not the lab’s', async () => {
    const lab = await bridgeLab('dkeepns');
    await byHand(lab, 'root', ['ip', 'netns', 'add', 'mine']);
    const report = await lab.destroy({ force: false });
    expect(report.sandboxRemoved).toBe(false);
    expect(report.kept).toEqual(['namespace mine']);
    expect(report.apply?.ok).toBe(true);
    expect(await lab.namespaces()).toEqual(['mine']);
  });

  it('keeps it when an interface in the lab’s root is not the lab’s', async () => {
    const lab = await bridgeLab('dkeepif');
    await byHand(lab, 'root', [
      'ip',
      'link',
      'add',
      'name',
      'hand0',
      'type',
      'veth',
      'peer',
      'name',
      'hand1',
    ]);
    const report = await lab.destroy({ force: false });
    expect(report.sandboxRemoved).toBe(false);
    expect(report.kept.sort()).toEqual([
      "interface hand0 in the lab's root",
      "interface hand1 in the lab's root",
    ]);
    const left = await lab.observe({ firewall: false });
    expect(left.namespaces.map((ns) => ns.name)).toEqual(['root']);
    expect(left.namespaces[0]?.interfaces.map((i) => i.ifname).sort()).toEqual(['hand0', 'hand1', 'lo']);
  });
});
