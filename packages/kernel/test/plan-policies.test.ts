import { describe, expect, it } from 'vitest';
import { FirewallSpec, type ObservedFirewall } from '@netcanvas/model';
import { planFirewall } from '../src/plan-netfilter';

const chain = (table: string, name: string, policy: string) => ({
  table,
  name,
  policy,
  packets: 0,
  bytes: 0,
});

describe('planFirewall sets each policy in its own table', () => {
  const spec = FirewallSpec.parse({
    policies: [
      { chain: 'FORWARD', policy: 'DROP' },
      { table: 'mangle', chain: 'FORWARD', policy: 'DROP' },
      { table: 'raw', chain: 'PREROUTING', policy: 'DROP' },
      { table: 'mangle', chain: 'POSTROUTING', policy: 'ACCEPT' },
    ],
  });

  it('for a new namespace: every DROP, and no ACCEPT (a new chain has it)', () => {
    const steps = planFirewall('r1', spec, { chains: [], rules: [] }).map((s) => s.argv.join(' '));
    expect(steps).toEqual([
      'ip netns exec r1 iptables -P FORWARD DROP',
      'ip netns exec r1 iptables -t mangle -P FORWARD DROP',
      'ip netns exec r1 iptables -t raw -P PREROUTING DROP',
    ]);
  });

  it('only where the same chain of that table differs (a filter DROP is not a mangle DROP)', () => {
    const have: ObservedFirewall = {
      chains: [
        chain('filter', 'FORWARD', 'ACCEPT'),
        chain('mangle', 'FORWARD', 'DROP'),
        chain('raw', 'PREROUTING', 'DROP'),
        chain('mangle', 'POSTROUTING', 'DROP'),
      ],
      rules: [],
    };
    expect(planFirewall('r1', spec, have).map((s) => s.argv.join(' '))).toEqual([
      'ip netns exec r1 iptables -P FORWARD DROP',
      'ip netns exec r1 iptables -t mangle -P POSTROUTING ACCEPT',
    ]);
  });
});
