import { describe, expect, it, vi } from 'vitest';
import { ROOT, validateTopology, type ObservedState, type Topology } from '@netcanvas/model';
import { Lab, ScrubRefused } from '../src/lab';
import { planScrub } from '../src/scrub';
import type { ScrubExtras } from '../src/scrub-read';
import * as processes from '../src/process';

// A reset's scrub (scrub.ts): what it plans to remove from a sandbox, pure; and its refusal of the
// host lab, before anything runs (the machine's things are never the lab's to remove).

const doc = (input: object): Topology => {
  const parsed = validateTopology({ schemaVersion: 1, ...input });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.value;
};

const link = (ifname: string, managed: boolean, addresses: string[] = []) => ({
  ifindex: 1,
  ifname,
  kind: ifname === 'lo' ? 'loopback' : 'ifb',
  up: true,
  operstate: 'UNKNOWN',
  flags: [],
  mtu: 1500,
  mac: null,
  master: null,
  managed,
  group: managed ? '28259' : 'default',
  alias: null,
  addresses,
  peer: null,
  stp: null,
  stats: null,
});

const observed: ObservedState = {
  target: { kind: 'sandbox', lab: 't', pid: 1 },
  takenAt: '',
  namespaces: [
    {
      name: ROOT,
      managed: true,
      interfaces: [link('lo', false, ['127.0.0.1/8', '10.55.0.1/32']), link('d0', false)],
      fdb: [],
      firewall: {
        chains: [{ table: 'filter', name: 'FORWARD', policy: 'DROP', packets: 0, bytes: 0 }],
        rules: [
          { table: 'filter', chain: 'INPUT', args: ['-j', 'DROP'], managed: false, packets: 0, bytes: 0 },
        ],
      },
    },
    { name: 'ns0', managed: true, interfaces: [link('lo', false)], fdb: [] },
    { name: 'hand', managed: false, interfaces: [link('lo', false)], fdb: [] },
  ],
};

const extras = new Map<string, ScrubExtras>([
  [
    ROOT,
    {
      routes: [
        { dst: '10.77.0.0/16', dev: 'd0', table: '100' },
        { type: 'throw', dst: '10.88.0.0/16' },
        { dst: '10.0.1.0/24', dev: 'veth0', protocol: 'kernel' },
      ],
      rules: [
        { priority: 0, src: 'all', table: 'local', family: 4 },
        { priority: 32766, src: 'all', table: 'main', family: 4 },
        { priority: 1000, src: '10.66.0.0', srclen: 24, table: '100', family: 4 },
        { priority: 1001, src: 'all', table: '100', family: 6 },
      ],
      nftTables: [
        { family: 'ip', name: 'filter' },
        { family: 'inet', name: 'mine' },
      ],
    },
  ],
]);

describe('planScrub', () => {
  it("plans the removal of whatever is neither the lab's nor the kernel's, and says each", () => {
    const planned = planScrub(doc({ namespaces: [{ name: 'ns0' }] }), observed, extras);
    expect(planned.steps.map((s) => s.argv.join(' '))).toEqual([
      'ip netns del hand',
      'ip link del dev d0',
      'ip addr del 10.55.0.1/32 dev lo',
      // The route through d0 goes with d0.
      'ip route del throw 10.88.0.0/16 proto boot',
      'ip rule del pref 1000 from 10.66.0.0/24 lookup 100',
      'ip -6 rule del pref 1001 lookup 100',
      'iptables -D INPUT -j DROP',
      'iptables -P FORWARD ACCEPT',
      'nft delete table inet mine',
    ]);
    expect([...planned.what.values()]).toContain('namespace hand');
    expect(planned.kept).toEqual([]);
  });

  it('plans nothing for a lab that is exactly its document', () => {
    const clean: ObservedState = {
      ...observed,
      namespaces: [{ name: ROOT, managed: true, interfaces: [link('lo', false, ['127.0.0.1/8'])], fdb: [] }],
    };
    expect(planScrub(doc({}), clean, new Map()).steps).toEqual([]);
  });
});

describe('Lab.scrubUnowned', () => {
  it('is refused on the host lab before anything runs', async () => {
    const spawned = vi.spyOn(processes, 'run');
    const lab = await Lab.open({ host: true }, { create: false });
    await expect(lab.scrubUnowned(doc({}))).rejects.toBeInstanceOf(ScrubRefused);
    expect(spawned).not.toHaveBeenCalled();
  });
});
