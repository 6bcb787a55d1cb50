import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { byteCount, packetCount } from '../src/netfilter/counter-format';

describe('counter badges', () => {
  it('packets: exact up to 99,999, then three significant digits with a unit', () => {
    expect(packetCount(0)).toBe('0');
    expect(packetCount(99_999)).toBe('99,999');
    expect(packetCount(100_000)).toBe('100 k');
    expect(packetCount(1_234_567)).toBe('1.23 M');
    expect(packetCount(999_999_999)).toBe('1.00 G');
    expect(packetCount(123_456_789_012)).toBe('123 G');
    expect(packetCount(5e15)).toBe('5000 T');
  });

  it('bytes: B, kB, MB, GB, TB', () => {
    expect(byteCount(999)).toBe('999 B');
    expect(byteCount(1500)).toBe('1.50 kB');
    expect(byteCount(98_765_432_109_876)).toBe('98.8 TB');
  });

  it('never longer than a short badge, whatever the counter', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (n) => {
        expect(packetCount(n).length).toBeLessThanOrEqual(n >= 1e15 ? 14 : 7);
        expect(byteCount(n).length).toBeLessThanOrEqual(n >= 1e15 ? 14 : 7);
        expect(packetCount(n)).not.toContain('e');
      }),
    );
  });
});
