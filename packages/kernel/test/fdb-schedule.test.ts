import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FDB_MAX_GAP_MS, FDB_STRETCH, OVERDUE_SLACK_MS, ReadSchedule } from '../src/fdb-schedule';

/** The first ms after `at` at which the schedule says the table is read again (searched to 10 s). */
function nextDue(schedule: ReadSchedule, name: string, at: number): number {
  for (let t = at; t <= at + 10_000; t++) if (schedule.due(name, t)) return t - at;
  return Infinity;
}

describe('ReadSchedule (when the sample reads learned MACs again, by default)', () => {
  it('reads a table it never read', () => {
    expect(new ReadSchedule().due('br0', 0)).toBe(true);
  });

  it('reads again after a slow read at most 3 s later (300 ms would stretch the gap to 6 s)', () => {
    const schedule = new ReadSchedule();
    schedule.noteRead('root', 1_000, 300);
    expect(nextDue(schedule, 'root', 1_000)).toBe(FDB_MAX_GAP_MS);
  });

  it('reads a cheap table again after FDB_STRETCH times its cost', () => {
    const schedule = new ReadSchedule();
    schedule.noteRead('root', 1_000, 10);
    expect(nextDue(schedule, 'root', 1_000)).toBe(10 * FDB_STRETCH);
  });

  it('whatever a read cost, the next is due within 3 s, and not before min(stretch × cost, 3 s)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e6 }),
        fc.double({ min: 0, max: 5_000, noNaN: true }),
        (at, ms) => {
          const schedule = new ReadSchedule();
          schedule.noteRead('br0', at, ms);
          const gap = nextDue(schedule, 'br0', at);
          expect(gap).toBeLessThanOrEqual(FDB_MAX_GAP_MS);
          expect(gap).toBeGreaterThanOrEqual(Math.min(FDB_STRETCH * ms, FDB_MAX_GAP_MS));
          expect(schedule.due('other', at)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('a read put off for an edit', () => {
  it('is put off no longer than a second past its longest gap (an edit after another never starves it)', () => {
    const schedule = new ReadSchedule();
    expect(schedule.overdue('br', 0)).toBe(true); // never read
    schedule.noteRead('br', 0, 150);
    expect(schedule.due('br', FDB_MAX_GAP_MS)).toBe(true);
    expect(schedule.overdue('br', FDB_MAX_GAP_MS)).toBe(false);
    expect(schedule.overdue('br', FDB_MAX_GAP_MS + OVERDUE_SLACK_MS - 1)).toBe(false);
    expect(schedule.overdue('br', FDB_MAX_GAP_MS + OVERDUE_SLACK_MS)).toBe(true);
  });
});
