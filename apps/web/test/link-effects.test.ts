import type { HelperEffects, ObservedInterface } from '@netcanvas/model';
import { describe, expect, it } from 'vitest';
import { effectsFromTexts } from '../src/effects/EffectsSection';
import { endEffects, linkBadge } from '../src/effects/effects-view';
import { observedNs, observedState, validDoc } from './lab-state';

const helper = (more: Partial<HelperEffects>): HelperEffects => ({
  delayMs: 0,
  jitterMs: 0,
  reorderPercent: 0,
  lossPercent: 0,
  corruptPercent: 0,
  duplicatePercent: 0,
  ...more,
});
const iface = (ifname: string, effects: ObservedInterface['effects'] = null) =>
  ({ ifname, kind: 'veth', managed: true, effects }) as ObservedInterface;

/** br0 (in the root) with ns1 behind veth-ns1, whose port delays 100 ms. */
const bridged = validDoc({
  schemaVersion: 1,
  namespaces: [{ name: 'ns1' }],
  bridges: [{ name: 'br0' }],
  links: [
    { a: { node: 'br0', ifname: 'veth-ns1', effects: { delayMs: 100 } }, b: { node: 'ns1', ifname: 'eth0' } },
  ],
});

describe('link effects in the page', () => {
  it("reads a bridge port's delay at its peer, and says drift until the kernel has it", () => {
    const before = observedState(observedNs('root', [iface('veth-ns1')]), observedNs('ns1', [iface('eth0')]));
    const wanting = endEffects(bridged, before, 'br0', 'veth-ns1');
    expect(wanting?.inForce).toBeUndefined();
    expect(wanting?.drift).toBe('The kernel has none on veth-ns1; the topology wants 100 ms.');
    const after = observedState(
      observedNs('root', [iface('veth-ns1')]),
      observedNs('ns1', [iface('eth0', { out: null, in: helper({ delayMs: 100 }), qdisc: null })]),
    );
    const done = endEffects(bridged, after, 'br0', 'veth-ns1');
    expect(done?.inForce).toEqual({ delayMs: 100 });
    expect(done?.drift).toBeNull();
    expect(linkBadge(done, endEffects(bridged, after, 'ns1', 'eth0'))).toEqual({
      text: '100 ms',
      drift: false,
    });
    // Not read yet: no drift claimed.
    expect(endEffects(bridged, null, 'br0', 'veth-ns1')?.drift).toBeNull();
  });

  it('shows a qdisc made by hand, which is not the lab’s rate', () => {
    const handMade = { kind: 'tbf', handle: '8001:', managed: false, rateKbit: 2000 };
    const state = observedState(
      observedNs('root', [iface('veth-ns1', { out: null, in: null, qdisc: handMade })]),
      observedNs('ns1', [iface('eth0', { out: null, in: helper({ delayMs: 100 }), qdisc: null })]),
    );
    const view = endEffects(bridged, state, 'br0', 'veth-ns1');
    expect(view?.handMade).toEqual(handMade);
    expect(view?.inForce).toEqual({ delayMs: 100 });
  });

  it('names both ends on the badge when both have effects', () => {
    const both = validDoc({
      schemaVersion: 1,
      namespaces: [{ name: 'ns0' }, { name: 'ns1' }],
      links: [
        {
          a: { node: 'ns0', ifname: 'veth0', effects: { lossPercent: 2 } },
          b: { node: 'ns1', ifname: 'veth1', effects: { rateKbit: 1000 } },
        },
      ],
    });
    expect(linkBadge(endEffects(both, null, 'ns0', 'veth0'), endEffects(both, null, 'ns1', 'veth1'))).toEqual(
      {
        text: 'veth0: 2% loss  veth1: 1 Mbit/s',
        drift: false,
      },
    );
  });

  it('sends what was typed: numbers as numbers, the rest as typed for the model to refuse', () => {
    const texts = {
      delayMs: ' 100 ',
      jitterMs: '',
      lossPercent: '2.5',
      duplicatePercent: '',
      corruptPercent: '',
      reorderPercent: '',
      rateKbit: '10 years',
    };
    expect(effectsFromTexts(texts)).toEqual({ delayMs: 100, lossPercent: 2.5, rateKbit: '10 years' });
  });
});
