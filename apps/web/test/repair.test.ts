import { applyEdits, type ObservedInterface, type Topology } from '@netcanvas/model';
import { describe, expect, it } from 'vitest';
import { bridgeLab, observedVeth, vethPair } from '../../../packages/model/test/fixtures';
import { bridgeRepairs, endRepairs, namespaceRepairs, type Repair } from '../src/inspector/repair';
import { shownAddresses } from '../src/adapters/graph-rows';
import { interfaceStatus } from '../src/adapters/status';
import { observedNs, observedState, validDoc } from './lab-state';

const doc = validDoc;
const lo = observedVeth('lo', { kind: 'loopback', managed: false, addresses: ['127.0.0.1/8'] });
const ns = observedNs;
/** The lab's root (empty), then the namespaces given. */
const state = (...namespaces: ReturnType<typeof ns>[]) => observedState(ns('root', []), ...namespaces);

const pair = doc(vethPair());
/** The kernel as the veth pair wants it, with veth1 changed as given. */
const kernel = (veth1: Partial<ObservedInterface> = {}) =>
  state(
    ns('ns0', [lo, observedVeth('veth0', { addresses: ['10.0.1.1/24'] })]),
    ns('ns1', [lo, observedVeth('veth1', { addresses: ['10.0.1.2/24'], ...veth1 })]),
  );

/** The document after the repair's "take the kernel's value". */
const taken = (d: Topology, r: Repair): Topology => {
  if (!('edits' in r.takeKernel)) throw new Error(r.takeKernel.why);
  const next = applyEdits(d, r.takeKernel.edits);
  if (!next.ok) throw new Error(JSON.stringify(next.issues));
  return next.value;
};

describe('drift as sentences with repairs', () => {
  it('says nothing when the kernel matches', () => {
    expect(endRepairs(pair, kernel(), 'ns1', 'veth1')).toEqual({ repairs: [], other: [] });
    expect(namespaceRepairs(pair, kernel(), 'ns1')).toEqual([]);
  });

  it('a link down: the sentence, the same value again, and the kernel’s value into the topology', () => {
    const { repairs } = endRepairs(pair, kernel({ up: false }), 'ns1', 'veth1');
    expect(repairs).toHaveLength(1);
    const [r] = repairs as [Repair];
    expect(r.sentence).toBe('The kernel has veth1 down; the topology wants it up.');
    expect(r.makeKernelMatch).toEqual([{ type: 'setInterface', node: 'ns1', ifname: 'veth1', up: true }]);
    const after = taken(pair, r);
    expect(after.links[0]!.b.up).toBe(false);
    // Taken, the kernel and the topology agree: no drift left.
    expect(endRepairs(after, kernel({ up: false }), 'ns1', 'veth1').repairs).toEqual([]);
  });

  it('an address changed by hand: one sentence for the addresses, both ways', () => {
    const changed = kernel({ addresses: ['10.0.1.9/24', 'fe80::1/64'] });
    const [r] = endRepairs(pair, changed, 'ns1', 'veth1').repairs as [Repair];
    expect(r.sentence).toBe('The kernel has veth1 with 10.0.1.9/24; the topology wants 10.0.1.2/24.');
    expect(r.makeKernelMatch).toEqual([
      { type: 'setInterface', node: 'ns1', ifname: 'veth1', addresses: ['10.0.1.2/24'] },
    ]);
    // The kernel's own link-local address is not taken.
    expect(taken(pair, r).links[0]!.b.addresses).toEqual(['10.0.1.9/24']);
    expect(
      interfaceStatus({ ...taken(pair, r).links[0]!.b }, changed.namespaces[2]!.interfaces[1]).drift,
    ).toEqual([]);
  });

  it('an fe80 address the kernel did not make is drift and shown; the kernel’s own is neither', () => {
    // As the observer reads it: fe80::10 was added with nodad (by the canvas), fe80::2 is the kernel's.
    const veth1 = {
      addresses: ['10.0.1.2/24', 'fe80::10/64', 'fe80::2/64'],
      kernelLinkLocal: ['fe80::2/64'],
    };
    const [r] = endRepairs(pair, kernel(veth1), 'ns1', 'veth1').repairs as [Repair];
    expect(r.sentence).toBe(
      'The kernel has veth1 with 10.0.1.2/24 and fe80::10/64; the topology wants 10.0.1.2/24.',
    );
    expect(taken(pair, r).links[0]!.b.addresses).toEqual(['10.0.1.2/24', 'fe80::10/64']);
    expect(shownAddresses(observedVeth('veth1', veth1), [])).toEqual(['10.0.1.2/24', 'fe80::10/64']);
  });

  it('MTU and MAC, each their own repair', () => {
    const d = doc({
      ...vethPair(),
      links: [
        {
          ...vethPair().links![0]!,
          b: {
            node: 'ns1',
            ifname: 'veth1',
            addresses: ['10.0.1.2/24'],
            mtu: 1400,
            mac: '02:00:00:00:00:02',
          },
        },
      ],
    });
    const { repairs } = endRepairs(d, kernel({ mtu: 1500, mac: '02:00:00:00:00:09' }), 'ns1', 'veth1');
    expect(repairs.map((r) => r.sentence)).toEqual([
      'The kernel has veth1 at MTU 1500; the topology wants 1400.',
      'The kernel has veth1 with MAC 02:00:00:00:00:09; the topology wants 02:00:00:00:00:02.',
    ]);
    expect(taken(d, repairs[0]!).links[0]!.b.mtu).toBe(1500);
    expect(taken(d, repairs[1]!).links[0]!.b.mac).toBe('02:00:00:00:00:09');
  });

  it('a veth the kernel lacks: made again, or removed from the topology (asking first)', () => {
    const gone = state(ns('ns0', [lo]), ns('ns1', [lo]));
    const [r] = endRepairs(pair, gone, 'ns1', 'veth1').repairs as [Repair];
    expect(r.sentence).toBe('The kernel has no veth1 in ns1; the topology wants it.');
    expect(r.takeKernel).toEqual({
      edits: [{ type: 'disconnect', node: 'ns1', ifname: 'veth1' }],
      removes: true,
    });
    expect(taken(pair, r).links).toEqual([]);
  });

  it('a namespace the kernel lacks: one sentence there, none for its interfaces', () => {
    const gone = state(ns('ns0', [lo, observedVeth('veth0', { addresses: ['10.0.1.1/24'] })]));
    const [r] = namespaceRepairs(pair, gone, 'ns1') as [Repair];
    expect(r.sentence).toBe('The kernel has no namespace ns1; the topology wants it, with 1 veth.');
    expect(r.makeKernelMatch).toEqual([{ type: 'setNamespace', name: 'ns1', loUp: true }]);
    expect(taken(pair, r).namespaces.map((n) => n.name)).toEqual(['ns0']);
    expect(endRepairs(pair, gone, 'ns1', 'veth1').repairs).toEqual([]);
  });

  it('lo, forwarding and routes of a namespace', () => {
    const d = doc({
      ...vethPair(),
      namespaces: [
        { name: 'ns0', forwarding: true, routes: [{ to: '10.0.2.0/24', via: '10.0.1.2' }] },
        { name: 'ns1' },
      ],
    });
    const route = {
      to: '10.9.0.0/24',
      via: '10.0.1.2',
      dev: null,
      protocol: '203',
      metric: null,
      managed: true,
    };
    const o = state(
      ns('ns0', [{ ...lo, up: false }, observedVeth('veth0', { addresses: ['10.0.1.1/24'] })], {
        forwarding: false,
        routes: [route],
      }),
      ns('ns1', [lo, observedVeth('veth1', { addresses: ['10.0.1.2/24'] })]),
    );
    const repairs = namespaceRepairs(d, o, 'ns0');
    expect(repairs.map((r) => r.sentence)).toEqual([
      'The kernel has lo down in ns0; the topology wants it up.',
      'The kernel has forwarding off in ns0; the topology wants it on.',
      'The kernel has no route 10.0.2.0/24 via 10.0.1.2 in ns0; the topology wants it.',
      'The kernel has the lab’s route 10.9.0.0/24 via 10.0.1.2 in ns0; the topology does not.',
    ]);
    expect(taken(d, repairs[0]!).namespaces[0]!.loUp).toBe(false);
    expect(taken(d, repairs[1]!).namespaces[0]!.forwarding).toBe(false);
    expect(taken(d, repairs[2]!).namespaces[0]!.routes).toEqual([]);
    expect(taken(d, repairs[3]!).namespaces[0]!.routes.map((r) => r.to)).toEqual([
      '10.0.2.0/24',
      '10.9.0.0/24',
    ]);
    for (const r of repairs) expect(applyEdits(d, r.makeKernelMatch).ok).toBe(true);
  });

  describe('the default route taken over by hand (ip route replace typed on it)', () => {
    const d = doc({
      ...vethPair(),
      namespaces: [{ name: 'ns0', routes: [{ to: 'default', via: '10.0.1.2' }] }, { name: 'ns1' }],
    });
    const byHand = (via: string) =>
      state(
        ns('ns0', [lo, observedVeth('veth0', { addresses: ['10.0.1.1/24'] })], {
          routes: [{ to: 'default', via, dev: 'veth0', protocol: 'boot', metric: null, managed: false }],
        }),
        ns('ns1', [lo, observedVeth('veth1', { addresses: ['10.0.1.2/24'] })]),
      );

    it('the same words: the declared route made by hand, not missing', () => {
      const [r, ...more] = namespaceRepairs(d, byHand('10.0.1.2'), 'ns0');
      expect(more).toEqual([]);
      expect(r!.sentence).toBe(
        'The kernel has route default via 10.0.1.2 made by hand (proto boot) in ns0; the topology wants it as the lab’s.',
      );
      // The converge takes it back (plan-routes: route replace … proto 203).
      expect(r!.makeKernelMatch).toEqual([
        { type: 'setNamespace', name: 'ns0', routes: [{ to: 'default', via: '10.0.1.2' }] },
      ]);
      expect('why' in r!.takeKernel).toBe(true);
    });

    it('another gateway: one change, whose kernel value the topology can take', () => {
      const [r, ...more] = namespaceRepairs(d, byHand('10.0.1.9'), 'ns0');
      expect(more).toEqual([]);
      expect(r!.sentence).toBe(
        "In ns0, the default route's gateway changed by hand (proto boot): 10.0.1.2 → 10.0.1.9; the topology wants default via 10.0.1.2.",
      );
      expect(taken(d, r!).namespaces[0]!.routes).toEqual([{ to: 'default', via: '10.0.1.9', dev: 'veth0' }]);
    });
  });

  it('a bridge port on the wrong bridge is repaired by the kernel only, with why', () => {
    const lab = doc(bridgeLab());
    const port = (i: number, master: string | null) => observedVeth(`veth${i}`, { master });
    const o = state(
      ...[0, 1, 2].map((i) =>
        ns(`ns${i}`, [lo, observedVeth('eth0', { addresses: [`10.0.0.${i + 10}/24`] })]),
      ),
    );
    o.namespaces[0] = ns('root', [
      observedVeth('br0', { kind: 'bridge', addresses: ['10.0.0.1/24'], stp: true }),
      port(0, null),
      port(1, 'br0'),
      port(2, 'br0'),
    ]);
    const [r] = endRepairs(lab, o, 'br0', 'veth0').repairs as [Repair];
    expect(r.sentence).toBe('The kernel has veth0 on no bridge; the topology wants it as a port of br0.');
    expect('why' in r.takeKernel).toBe(true);
    const [stp] = bridgeRepairs(lab, o, 'br0').repairs as [Repair];
    expect(stp.sentence).toBe('The kernel has br0 with STP on; the topology wants it off.');
    expect(taken(lab, stp).bridges[0]!.stp).toBe(true);
  });

  it('the kernel’s value the topology cannot hold is not offered, with the model’s words', () => {
    const lab = doc(bridgeLab());
    const o = state();
    o.namespaces[0] = ns('root', [
      observedVeth('br0', { kind: 'bridge', addresses: ['10.0.0.1/24'], stp: false }),
      ...[0, 1, 2].map((i) =>
        observedVeth(`veth${i}`, { master: 'br0', addresses: i === 0 ? ['10.0.0.99/24'] : [] }),
      ),
    ]);
    const [r] = endRepairs(lab, o, 'br0', 'veth0').repairs as [Repair];
    expect(r.takeKernel).toMatchObject({ why: expect.stringContaining('carries no addresses') as unknown });
  });

  it('made by hand is left to adopt', () => {
    const { repairs, other } = endRepairs(pair, kernel({ managed: false }), 'ns1', 'veth1');
    expect(repairs).toEqual([]);
    expect(other).toEqual(['made outside netcanvas (not marked as the lab’s)']);
  });
});
