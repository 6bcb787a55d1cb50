import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type IoMode, type Lab } from '@netcanvas/kernel';
import { run } from '@netcanvas/kernel/testing';
import { findInterface } from '@netcanvas/model';
import { testLab, topology } from './lab-fixture';

// `ip -batch` caches name → ifindex from its dumps and never forgets an index that went away: a
// long-lived session that saw a veth deleted by hand (with its namespace) would send the next
// `link set dev NAME` for the re-made veth to the dead index, and the apply would fail (ENODEV).

let labs: Lab[] = [];
afterEach(async () => {
  for (const lab of labs) await lab.destroy({ force: true });
  labs = [];
});

const doc = topology({
  schemaVersion: 1,
  namespaces: [{ name: 'ns0', loUp: true, position: { x: 0, y: 0 } }],
  bridges: [],
  links: [
    {
      a: { node: 'ns0', ifname: 'veth0', addresses: ['10.0.9.2/24'], up: true },
      b: { node: 'root', ifname: 'vroot', addresses: ['10.0.9.1/24'], up: true },
    },
  ],
});

const inLab = (lab: Lab, ns: string, argv: string[]) => run(lab.execArgv(ns, argv), { timeoutMs: 10_000 });

/** Deletes ns0 by hand and waits (reading, as the agent does) until the kernel took its veth. */
async function deleteNs0ByHand(lab: Lab) {
  expect((await inLab(lab, 'root', ['ip', 'netns', 'del', 'ns0'])).exitCode).toBe(0);
  await expect
    .poll(async () => findInterface(await lab.observe(), 'root', 'vroot')?.ifname ?? null, { timeout: 5000 })
    .toBeNull();
}

async function applyAgainAndPing(lab: Lab) {
  const again = await lab.converge(doc, { dryRun: false });
  expect(again.report?.failed ?? null).toBeNull();
  expect((await inLab(lab, 'ns0', ['ping', '-c', '1', '-W', '2', '10.0.9.1'])).exitCode).toBe(0);
}

describe.each(['live', 'oneshot'] as IoMode[])('a namespace deleted by hand (%s)', (mode) => {
  let lab: Lab;
  beforeEach(async () => {
    lab = await testLab('stale', mode);
    labs.push(lab);
    const first = await lab.converge(doc, { dryRun: false });
    expect(first.report?.failed ?? null).toBeNull();
  });

  it('is made again by the next apply on sessions opened after it was built (no ENODEV)', async () => {
    // As after an agent restart: the new root session knows vroot only from its dumps.
    await lab.close();
    expect(findInterface(await lab.observe(), 'root', 'vroot')?.ifindex).toBeTypeOf('number');
    await deleteNs0ByHand(lab);
    await applyAgainAndPing(lab);
  });

  it('goes with its veth although the session that made it is still open, and is made again', async () => {
    expect(findInterface(await lab.observe(), 'root', 'vroot')?.ifindex).toBeTypeOf('number');
    await deleteNs0ByHand(lab);
    await applyAgainAndPing(lab);
  });
});

describe('a bridge renamed by hand (live)', () => {
  it("shows its ports' master by the new name, and the next apply makes the bridge again with its port", async () => {
    const bridged = topology({
      schemaVersion: 1,
      namespaces: [{ name: 'ns0' }, { name: 'ns1' }],
      bridges: [{ name: 'b0', namespace: 'ns1', up: true }],
      links: [
        {
          a: { node: 'ns0', ifname: 'f6', addresses: ['10.0.8.1/24'], up: true },
          b: { node: 'b0', ifname: 'e6', up: true },
        },
      ],
    });
    const lab = await testLab('rename', 'live');
    labs.push(lab);
    expect((await lab.converge(bridged, { dryRun: false })).report?.failed ?? null).toBeNull();
    expect(findInterface(await lab.observe(), 'ns1', 'e6')?.master).toBe('b0');
    const renamed = await inLab(lab, 'ns1', [
      'sh',
      '-c',
      'ip link set dev b0 down && ip link set dev b0 name r12',
    ]);
    expect(renamed.exitCode).toBe(0);
    expect(findInterface(await lab.observe(), 'ns1', 'e6')?.master).toBe('r12');
    expect((await lab.converge(bridged, { dryRun: false })).report?.failed ?? null).toBeNull();
    const after = await lab.observe();
    expect(findInterface(after, 'ns1', 'e6')?.master).toBe('b0');
    expect(lab.plan(bridged, after).steps).toEqual([]);
  });
});

describe('a veth end renamed by hand (live)', () => {
  const pairs = topology({
    schemaVersion: 1,
    namespaces: [{ name: 'n3' }],
    links: [
      // Both ends in n3, and one across (root ↔ n3).
      { a: { node: 'n3', ifname: 'e4', addresses: ['10.1.4.1/24'] }, b: { node: 'n3', ifname: 'f4' } },
      {
        a: { node: 'root', ifname: 'e0', addresses: ['10.1.0.1/24'], up: true },
        b: { node: 'n3', ifname: 'f0', addresses: ['10.1.0.2/24'], up: true },
      },
    ],
  });

  it('is deleted and the pair made again in one apply, its peer reached by its new index', async () => {
    const lab = await testLab('renveth', 'live');
    labs.push(lab);
    expect((await lab.converge(pairs, { dryRun: false })).report?.failed ?? null).toBeNull();
    await lab.observe(); // the sessions have seen (and cached) every end
    const renamed = await inLab(lab, 'n3', ['sh', '-c', 'ip link set dev f4 name r14']);
    expect(renamed.exitCode).toBe(0);
    expect((await inLab(lab, 'root', ['ip', 'link', 'set', 'dev', 'e0', 'name', 'r0'])).exitCode).toBe(0);
    // Deleting r14 and r0 takes e4 and f0 with them, unseen by the sessions that cached them.
    const again = await lab.converge(pairs, { dryRun: false });
    expect(again.report?.failed ?? null).toBeNull();
    expect(lab.plan(pairs, await lab.observe()).steps).toEqual([]);
    expect((await inLab(lab, 'n3', ['ping', '-c', '1', '-W', '2', '10.1.0.1'])).exitCode).toBe(0);
  });
});
