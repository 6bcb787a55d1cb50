import { afterEach, describe, expect, it, vi } from 'vitest';
import { ROOT } from '@netcanvas/model';
import { benchToggles } from '../src/bench-toggles';
import { fakeLab, timeOf, type ReadRecord } from './live-fake';

/**
 * A sweep's slice whose firewalls' turn comes while an edit runs or waits leaves their
 * `iptables-save` to the sample's read: at 1,000 namespaces it was 12 ms of a slice's 30 (p95 47 of
 * 93) that the edit's own read sat behind (docs/benchmarks.md, "Edits, session 21").
 */

/** A slice reads its namespaces whole with their firewalls, and nothing else. */
const isSlice = (r: ReadRecord) =>
  r.contexts !== 'all' &&
  r.firewall !== 'all' &&
  r.contexts.size > 0 &&
  r.firewall.size === r.contexts.size &&
  !r.counters &&
  !r.fdb &&
  r.partial.size === 0;

/** A started live state, advanced until a sweep's slice (without the root) has just started. */
async function sliceStarting() {
  const lab = fakeLab();
  await timeOf(lab.live.start());
  // The second sweep starts with the 10th sample; its first slice takes the root: skip past it.
  for (let t = 0; t < 30_000; t++) {
    const last = lab.reads.at(-1);
    if (
      last &&
      isSlice(last) &&
      last.endedAt === undefined &&
      last.contexts !== 'all' &&
      !last.contexts.has(ROOT)
    )
      return { ...lab, slice: last };
    await vi.advanceTimersByTimeAsync(1);
  }
  throw new Error('no slice started');
}

describe('live state: a sweep slice while an edit runs', () => {
  afterEach(() => {
    benchToggles.sliceFirewalls = 'leave';
    vi.useRealTimers();
  });

  it("leaves its firewalls once the writer holds reads, and the sample's next read takes them", async () => {
    vi.useFakeTimers({ now: 0 });
    const { live, reads, slice } = await sliceStarting();
    const release = live.holdReads();
    await vi.advanceTimersByTimeAsync(100);
    expect(slice.endedAt).toBeDefined();
    const names = [...(slice.firewall as ReadonlySet<string>)];
    expect(names.length).toBeGreaterThan(0);
    expect(slice.firewallsLeft).toEqual(names);
    release();
    // Read later, in part: each left firewall is in a read after the slice (the sample's).
    await vi.advanceTimersByTimeAsync(1_500);
    const later = reads.filter((r) => r.startedAt >= (slice.endedAt as number) && r !== slice);
    for (const name of names)
      expect(later.some((r) => r.firewall === 'all' || r.firewall.has(name))).toBe(true);
    await timeOf(live.stop());
  });

  it('reads its firewalls when no edit runs or waits', async () => {
    vi.useFakeTimers({ now: 0 });
    const { live, slice } = await sliceStarting();
    await vi.advanceTimersByTimeAsync(100);
    expect(slice.endedAt).toBeDefined();
    expect(slice.firewallsLeft).toEqual([]);
    await timeOf(live.stop());
  });

  it('(the same with `finish`: the slice is not told, and reads them beside the edit; the test tells them apart)', async () => {
    vi.useFakeTimers({ now: 0 });
    benchToggles.sliceFirewalls = 'finish';
    const { live, slice } = await sliceStarting();
    const release = live.holdReads();
    await vi.advanceTimersByTimeAsync(100);
    expect(slice.mayLeaveFirewalls).toBe(false);
    expect(slice.firewallsLeft).toEqual([]);
    release();
    await timeOf(live.stop());
  });
});
