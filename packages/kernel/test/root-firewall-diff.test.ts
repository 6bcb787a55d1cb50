import { describe, expect, it } from 'vitest';
import {
  changedRuleCounters,
  diffObserved,
  type ObservedFirewall,
  type ObservedNamespace,
  type ObservedState,
} from '@netcanvas/model';
import { firewallContexts } from '../src/live/samples';

// The lab's root's firewall reaches clients like a namespace's (issue 9, gap 2): its rules in
// patches, its counters as rule counters; on the host, the machine's rules are not sampled every second.

const rule = (args: string[], managed: boolean, packets = 0) => ({
  table: 'filter',
  chain: 'FORWARD',
  args,
  managed,
  packets,
  bytes: packets * 84,
});
const forward = (policy = 'ACCEPT') => ({ table: 'filter', name: 'FORWARD', policy, packets: 0, bytes: 0 });
const ns = (name: string, firewall?: ObservedFirewall): ObservedNamespace => ({
  name,
  managed: true,
  interfaces: [],
  fdb: [],
  ...(firewall ? { firewall } : {}),
});
const state = (namespaces: ObservedNamespace[], kind: 'sandbox' | 'host' = 'sandbox'): ObservedState => ({
  target: kind === 'host' ? { kind, lab: 'host' } : { kind, lab: 'l', pid: 1 },
  takenAt: '2026-12-01T00:00:00.000Z',
  namespaces,
});
const ACCEPT = ['-i', 'br0', '-o', 'br0', '-m', 'comment', '--comment', 'netcanvas', '-j', 'ACCEPT'];
const HAND = ['-p', 'icmp', '-j', 'ACCEPT'];

describe("the root's firewall, as clients get it", () => {
  it('is patched (its firewall alone) when its rules change, and not when only its counters do', () => {
    const before = state([ns('root', { chains: [forward()], rules: [rule(HAND, false)] }), ns('ns0')]);
    const added = state([
      ns('root', { chains: [forward()], rules: [rule(HAND, false), rule(ACCEPT, true)] }),
      ns('ns0'),
    ]);
    const patches = diffObserved(before, added);
    expect(patches).toEqual([
      {
        op: 'firewall',
        ns: 'root',
        firewall: { chains: [forward()], rules: [rule(HAND, false), rule(ACCEPT, true)] },
      },
    ]);
    const counted = state([
      ns('root', { chains: [forward()], rules: [rule(HAND, false, 3), rule(ACCEPT, true, 5)] }),
      ns('ns0'),
    ]);
    expect(diffObserved(added, counted)).toEqual([]);
    expect(changedRuleCounters(added, counted)).toEqual([
      ['root', 'filter', 'FORWARD', 0, 3, 3 * 84],
      ['root', 'filter', 'FORWARD', 1, 5, 5 * 84],
    ]);
  });

  it('is sampled every second in a sandbox when it has rules or a DROP policy', () => {
    expect(
      firewallContexts(state([ns('root', { chains: [forward()], rules: [rule(HAND, false)] })])),
    ).toEqual(new Set(['root']));
    expect(firewallContexts(state([ns('root', { chains: [forward('DROP')], rules: [] })]))).toEqual(
      new Set(['root']),
    );
    expect(firewallContexts(state([ns('root', { chains: [forward()], rules: [] })]))).toEqual(new Set());
  });

  it('on the host, is sampled every second only when the lab has rules there', () => {
    const machine = { chains: [forward('DROP')], rules: [rule(HAND, false)] };
    expect(firewallContexts(state([ns('root', machine)], 'host'))).toEqual(new Set());
    const withLab = { ...machine, rules: [...machine.rules, rule(ACCEPT, true)] };
    expect(firewallContexts(state([ns('root', withLab)], 'host'))).toEqual(new Set(['root']));
    // A namespace on the host is the lab's, as anywhere.
    expect(firewallContexts(state([ns('root', machine), ns('ns0', machine)], 'host'))).toEqual(
      new Set(['ns0']),
    );
  });
});
