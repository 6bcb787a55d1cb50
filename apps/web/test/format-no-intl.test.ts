import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { formatCount, formatTime } from '../src/lib/format';

// The command log's count and times are formatted without Intl: the first Intl call in a page loads
// ICU's locale data, ~0.1 s of every page load (docs/testing.md, session 10). The same text as Intl's.
describe('formatCount and formatTime', () => {
  afterEach(() => vi.restoreAllMocks());

  it('do not call Intl for a count or a time', () => {
    const count = vi.spyOn(Number.prototype, 'toLocaleString');
    const time = vi.spyOn(Date.prototype, 'toLocaleTimeString');
    expect(formatCount(1204)).toBe('1,204');
    expect(formatTime('2026-12-02T11:40:05.123Z')).toMatch(/^\d\d:\d\d:\d\d$/);
    expect(count).not.toHaveBeenCalled();
    expect(time).not.toHaveBeenCalled();
  });

  it('write any integer as en-US does', () => {
    fc.assert(
      fc.property(fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), (n) => {
        expect(formatCount(n)).toBe(n.toLocaleString('en-US'));
      }),
      { numRuns: 500 },
    );
    expect(formatCount(0)).toBe('0');
    expect(formatCount(999)).toBe('999');
    expect(formatCount(1000)).toBe('1,000');
    expect(formatCount(-1234567)).toBe('-1,234,567');
    expect(formatCount(1.5)).toBe((1.5).toLocaleString('en-US'));
  });

  it('write any time as en-GB’s 24-hour clock does, in local time', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1990-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }),
        (d) => {
          expect(formatTime(d.toISOString())).toBe(d.toLocaleTimeString('en-GB', { hour12: false }));
        },
      ),
      { numRuns: 500 },
    );
    expect(formatTime('not a time')).toBe('not a time');
  });
});
