import { describe, expect, it } from 'vitest';
import { emptyHandChains } from '../src/inspector/hand-chains';

const chain = (table: string, name: string, policy: string | null = null) => ({
  table,
  name,
  policy,
  packets: 0,
  bytes: 0,
});
const rule = (table: string, chainName: string) => ({
  table,
  chain: chainName,
  args: ['-j', 'ACCEPT'],
  managed: false,
  packets: 0,
  bytes: 0,
});

describe('empty user chains made by hand', () => {
  it('are the kernel’s user chains the document does not declare and no rule is in', () => {
    const observed = {
      chains: [
        chain('filter', 'INPUT', 'ACCEPT'), // built-in: has a policy
        chain('filter', 'LOGDROP'), // made by hand, empty: listed
        chain('filter', 'WEB'), // made by hand with a rule: listed with its rules instead
        chain('filter', 'LAB'), // the lab's (declared)
        chain('nat', 'LOGDROP'), // another table's, not declared there
      ],
      rules: [rule('filter', 'WEB')],
    };
    expect(emptyHandChains(observed, [{ table: 'filter', name: 'LAB' }])).toEqual([
      { table: 'filter', name: 'LOGDROP' },
      { table: 'nat', name: 'LOGDROP' },
    ]);
  });

  it('are none before the firewall is read', () => {
    expect(emptyHandChains(undefined, [])).toEqual([]);
  });
});
