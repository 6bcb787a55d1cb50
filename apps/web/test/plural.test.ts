import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { plural } from '../src/lib/plural';

describe('plural', () => {
  it('one is singular, every other count plural', () => {
    expect(plural(1, 'bridge')).toBe('1 bridge');
    expect(plural(2, 'bridge')).toBe('2 bridges');
    expect(plural(0, 'veth pair')).toBe('0 veth pairs');
    expect(plural(1, 'entry', 'entries')).toBe('1 entry');
    expect(plural(3, 'entry', 'entries')).toBe('3 entries');
    expect(plural(1204, 'packet')).toBe('1,204 packets');
  });

  it('agrees for any count', () => {
    fc.assert(
      fc.property(fc.nat(), (n) => {
        expect(plural(n, 'rule').endsWith(n === 1 ? ' rule' : ' rules')).toBe(true);
      }),
    );
  });
});
