import { describe, expect, it } from 'vitest';
import {
  changedRuleCounters,
  firewallCounters,
  ruleCounterKey,
  ruleCounterNamespace,
  ruleIndexes,
} from '../src';
import type { ObservedFirewall, ObservedState } from '../src';

// One key and one numbering of rules for the agent (ruleCounters messages) and the page (the
// counters store, and which of the document's rules a kernel rule is).

const rule = (chain: string, args: string[], packets = 0) => ({
  table: 'filter',
  chain,
  args,
  managed: true,
  packets,
  bytes: packets * 100,
});
const fw: ObservedFirewall = {
  chains: [{ table: 'filter', name: 'FORWARD', policy: 'DROP', packets: 1, bytes: 60 }],
  rules: [
    rule('FORWARD', ['-j', 'ACCEPT']),
    rule('INPUT', ['-p', 'icmp']),
    rule('FORWARD', ['-j', 'DROP'], 3),
  ],
};
const state = (firewall: ObservedFirewall): ObservedState => ({
  target: { kind: 'sandbox', lab: 'l', pid: 1 },
  takenAt: '',
  namespaces: [{ name: 'r1', managed: true, interfaces: [], fdb: [], firewall }],
});

describe('rule counters', () => {
  it('number each rule within its own chain, and the policy -1', () => {
    expect(ruleIndexes(fw.rules)).toEqual([0, 0, 1]);
    expect(firewallCounters(fw).map((c) => [c.chain, c.index, c.packets, c.signature])).toEqual([
      ['FORWARD', -1, 1, 'policy'],
      ['FORWARD', 0, 0, '-j ACCEPT'],
      ['INPUT', 0, 0, '-p icmp'],
      ['FORWARD', 1, 3, '-j DROP'],
    ]);
  });

  it('key a counter by namespace, table, chain and index, and give its namespace back', () => {
    const key = ruleCounterKey('r1', 'filter', 'FORWARD', 1);
    expect(
      new Set([key, ruleCounterKey('r1', 'filter', 'FORWARD', -1), ruleCounterKey('r1', 'nat', 'FORWARD', 1)])
        .size,
    ).toBe(3);
    expect(ruleCounterNamespace(key)).toBe('r1');
  });

  it('send the counters that moved, and a new rule only once it counted something', () => {
    expect(changedRuleCounters(null, state(fw))).toEqual([
      ['r1', 'filter', 'FORWARD', -1, 1, 60],
      ['r1', 'filter', 'FORWARD', 1, 3, 300],
    ]);
    const moved = { ...fw, rules: [rule('FORWARD', ['-j', 'ACCEPT'], 2), ...fw.rules.slice(1)] };
    expect(changedRuleCounters(state(fw), state(moved))).toEqual([['r1', 'filter', 'FORWARD', 0, 2, 200]]);
    expect(changedRuleCounters(state(moved), state(moved))).toEqual([]);
  });
});
