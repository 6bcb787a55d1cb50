import { describe, expect, it } from 'vitest';
import { type Lab } from '@netcanvas/kernel';
import { run } from '@netcanvas/kernel/testing';
import { findInterface, type ObservedInterface, type Topology } from '@netcanvas/model';
import { topology } from './lab-fixture';
import { labsOfEachTest } from './lab-cleanup';

// IPv6 link-local addresses on the real kernel, in a sandbox: one the document adds is the lab's
// (removed when it leaves the document), one typed by hand is drift, the kernel's own stays.

const newLab = labsOfEachTest();
const inLab = (lab: Lab, ns: string, argv: string[]) => run(lab.execArgv(ns, argv), { timeoutMs: 10_000 });

const pair = (veth0: string[]): Topology =>
  topology({
    schemaVersion: 1,
    namespaces: [{ name: 'ns0' }, { name: 'ns1' }],
    links: [
      {
        a: { node: 'ns0', ifname: 'veth0', addresses: veth0 },
        b: { node: 'ns1', ifname: 'veth1', addresses: ['10.0.1.2/24'] },
      },
    ],
  });

async function applyOk(l: Lab, doc: Topology) {
  const { plan, report } = await l.converge(doc, { dryRun: false });
  expect(plan.conflicts).toEqual([]);
  expect(report?.failed ?? null).toBeNull();
  return plan.steps.map((s) => s.argv.join(' '));
}

/** The interface once the kernel has given it its own link-local address (it does so on coming up). */
async function withKernelLinkLocal(l: Lab, ns: string, ifname: string): Promise<ObservedInterface> {
  for (let attempt = 0; ; attempt++) {
    const seen = findInterface(await l.observe(), ns, ifname);
    if (seen?.kernelLinkLocal?.length === 1) return seen;
    if (attempt >= 50)
      throw new Error(
        `${ifname} in ${ns} has no link-local address of the kernel's: ${JSON.stringify(seen)}`,
      );
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('IPv6 link-local addresses', () => {
  it('one the document added is removed once it leaves the document; the kernel’s own stays', async () => {
    const l = await newLab('fe80');
    expect(await applyOk(l, pair(['10.0.1.1/24', 'fe80::10/64']))).toContain(
      'ip -n ns0 addr add fe80::10/64 dev veth0 nodad',
    );
    const before = await withKernelLinkLocal(l, 'ns0', 'veth0');
    expect(before.addresses).toContain('fe80::10/64');
    expect(before.kernelLinkLocal).not.toContain('fe80::10/64');

    expect(await applyOk(l, pair(['10.0.1.1/24']))).toEqual(['ip -n ns0 addr del fe80::10/64 dev veth0']);
    const after = findInterface(await l.observe(), 'ns0', 'veth0');
    expect(after?.addresses).not.toContain('fe80::10/64');
    expect(after?.addresses).toEqual(expect.arrayContaining(before.kernelLinkLocal ?? []));
    expect(after?.kernelLinkLocal).toEqual(before.kernelLinkLocal);
  });

  it('one typed by hand (without nodad) is drift, removed by the next apply; the kernel’s own stays', async () => {
    const l = await newLab('fe80h');
    const doc = pair(['10.0.1.1/24']);
    await applyOk(l, doc);
    const own = (await withKernelLinkLocal(l, 'ns1', 'veth1')).kernelLinkLocal;
    expect((await inLab(l, 'ns1', ['ip', 'addr', 'add', 'fe80::5/64', 'dev', 'veth1'])).exitCode).toBe(0);
    const typed = findInterface(await l.observe(), 'ns1', 'veth1');
    expect(typed?.addresses).toContain('fe80::5/64');
    expect(typed?.kernelLinkLocal).toEqual(own);

    expect(await applyOk(l, doc)).toEqual(['ip -n ns1 addr del fe80::5/64 dev veth1']);
    const after = findInterface(await l.observe(), 'ns1', 'veth1');
    expect(after?.addresses).not.toContain('fe80::5/64');
    expect(after?.kernelLinkLocal).toEqual(own);
  });
});
