import { afterEach, describe, expect, it, vi } from 'vitest';
import { ROOT } from '@netcanvas/model';
import { benchToggles } from '../src/bench-toggles';
import { LiveState, SlowReadError, type LabObserver } from '../src/live/live-state';
import type { LabWatcher } from '../src/watch';
import { FIRST_SLICE, REST_FACTOR, SLICE_BUDGET_MS, Sweep } from '../src/live/sweep';
import {
  DUMP_MS,
  FDB_MS,
  FIREWALL_MS,
  NAMESPACES,
  ROOT_COUNTERS_MS,
  fakeLab,
  timeOf,
  type ReadRecord,
} from './live-fake';

/**
 * The live state's scheduling, on a fake observer whose reads take virtual time like the real
 * one's (a namespace's dump 1 ms, its iptables-save 2.5 ms: a whole read of 200 namespaces with
 * their firewalls ~0.7 s, as measured on the benchmark's lab). An edit marks a namespace changed
 * and asks for a fresh state: it must never wait behind the background's whole-lab read.
 */

/** Starts a live state, lets the 10th sample start the background's whole read, and times an edit's read. */
async function editDuringTheWholeRead(sweep: 'sliced' | 'whole') {
  benchToggles.liveSweep = sweep;
  const { live, reads } = fakeLab();
  await timeOf(live.start());
  await vi.advanceTimersByTimeAsync(10_000 + 30); // the 10th sample, and 30 ms
  const asked = Date.now();
  live.invalidate(['h7']);
  const fresh = live.fresh();
  const waitedMs = await timeOf(fresh);
  const answering = reads.find(
    (r) => r.startedAt >= asked && r.contexts !== 'all' && r.contexts.has('h7') && r.endedAt !== undefined,
  );
  return { live, reads, waitedMs, asked, answering };
}

/**
 * The second's sample waiting behind a read of everything (an event's resync, ~700 ms), on a lab
 * whose sample costs what it does at 1,000 namespaces: that read is under way.
 */
async function sampleWaitingBehindAWholeRead() {
  const { live, reads } = fakeLab({ sampleCosts: true });
  await timeOf(live.start());
  const sampling = Date.now(); // the second's sample counts from here
  await vi.advanceTimersByTimeAsync(2_000 - 10); // 10 ms before the 2nd sample
  live.invalidate('all');
  void live.refresh();
  const running = reads.at(-1) as ReadRecord;
  await vi.advanceTimersByTimeAsync(20); // the sample marks its counters and waits behind it
  expect(Date.now() - sampling).toBeGreaterThan(2_000);
  expect(running.endedAt).toBeUndefined();
  return { live, reads, running };
}

describe('live state: edits never wait behind the background read', () => {
  afterEach(() => {
    benchToggles.liveSweep = 'sliced';
    vi.useRealTimers();
  });

  it("answers an edit within one slice's time while the whole lab is being read again", async () => {
    vi.useFakeTimers({ now: 0 });
    const { live, waitedMs, answering } = await editDuringTheWholeRead('sliced');
    const slice = Math.max(FIRST_SLICE * (DUMP_MS + FIREWALL_MS), SLICE_BUDGET_MS);
    // At most the slice under way, then its own read of one namespace.
    expect(waitedMs).toBeLessThanOrEqual(slice + 5);
    // Nothing older than the call: the read that answered started after it and read h7.
    expect(answering).toBeDefined();
    await timeOf(live.stop());
  });

  it('(the same run with the old whole read waits for all of it: the test tells them apart)', async () => {
    vi.useFakeTimers({ now: 0 });
    const { live, waitedMs } = await editDuringTheWholeRead('whole');
    expect(waitedMs).toBeGreaterThan(NAMESPACES.length * (DUMP_MS + FIREWALL_MS) * 0.8);
    await timeOf(live.stop());
  });

  it('still reads every namespace and its firewall, slice by slice, every tenth second', async () => {
    vi.useFakeTimers({ now: 0 });
    benchToggles.liveSweep = 'sliced';
    const { live, reads } = fakeLab();
    await timeOf(live.start());
    await vi.advanceTimersByTimeAsync(9_900); // the 9th sample is read, the 10th is not yet
    const from = reads.length;
    await vi.advanceTimersByTimeAsync(1_000);
    const sweep = reads.slice(from);
    const walls = new Set(sweep.flatMap((r) => (r.firewall === 'all' ? ['all'] : [...r.firewall])));
    for (const name of [ROOT, ...NAMESPACES]) expect(walls.has(name), name).toBe(true);
    // No read of everything at once, and no slice beyond its size.
    expect(sweep.every((r) => r.contexts !== 'all' && r.contexts.size <= FIRST_SLICE)).toBe(true);
    await timeOf(live.stop());
  });

  it("leaves the root's dump out of a sweep while a user edits (its firewall still read), at most five minutes", async () => {
    vi.useFakeTimers({ now: 0 });
    const { live, reads } = fakeLab();
    await timeOf(live.start());
    /** An edit's hold and release every `every` ms until `until` (the writer's, around an apply). */
    const editUntil = async (until: number, every = 700) => {
      while (Date.now() < until) {
        live.holdReads()();
        await vi.advanceTimersByTimeAsync(every);
      }
    };
    const rootSlices = (from: number) =>
      reads.slice(from).filter((r) => r.firewall !== 'all' && r.firewall.has(ROOT) && !r.counters);
    const dumped = (r: ReadRecord) => r.contexts === 'all' || r.contexts.has(ROOT);
    // The reads at start (the sweep for the firewalls among them) dump the root.
    expect(rootSlices(0).some(dumped)).toBe(true);
    // Edits from then on: the next sweeps read the root's firewall in part, not its dump...
    let from = reads.length;
    await editUntil(290_000);
    const during = rootSlices(from);
    expect(during.length).toBeGreaterThan(1);
    expect(during.every((r) => !dumped(r) && r.partial.has(ROOT))).toBe(true);
    // ...until five minutes have gone by since the last dump.
    from = reads.length;
    await editUntil(330_000);
    expect(rootSlices(from).some(dumped)).toBe(true);
    await timeOf(live.stop());
  });

  it('(the same with edits, the root dumped by every sweep as before: the test tells them apart)', async () => {
    vi.useFakeTimers({ now: 0 });
    benchToggles.sweepRoot = 'always';
    try {
      const { live, reads } = fakeLab();
      await timeOf(live.start());
      await vi.advanceTimersByTimeAsync(9_900);
      const from = reads.length;
      while (Date.now() < 40_000) {
        live.holdReads()();
        await vi.advanceTimersByTimeAsync(700);
      }
      const slices = reads
        .slice(from)
        .filter((r) => r.firewall !== 'all' && r.firewall.has(ROOT) && !r.counters);
      expect(slices.length).toBeGreaterThan(1);
      expect(slices.every((r) => r.contexts !== 'all' && r.contexts.has(ROOT))).toBe(true);
      await timeOf(live.stop());
    } finally {
      benchToggles.sweepRoot = 'when-quiet';
    }
  });

  it("answers an edit at once during the second's sample read when no event marked anything", async () => {
    vi.useFakeTimers({ now: 0 });
    const { live, reads } = fakeLab({ watched: false });
    await timeOf(live.start());
    await vi.advanceTimersByTimeAsync(2_000 + 20); // the 2nd sample reads every namespace's counters
    const sample = reads.at(-1);
    expect(sample?.endedAt).toBeUndefined();
    expect(await timeOf(live.fresh())).toBe(0);
    // A change an event marked is waited for: the read that answers starts after the call.
    live.invalidate(['h7']);
    const asked = Date.now();
    await timeOf(live.fresh());
    const answering = reads.find((r) => r.startedAt >= asked);
    expect(answering?.contexts === 'all' || answering?.contexts.has('h7')).toBe(true);
    await timeOf(live.stop());
  });

  it("goes ahead of the second's sample waiting to read, and leaves it the counters", async () => {
    vi.useFakeTimers({ now: 0 });
    const { live, reads, running } = await sampleWaitingBehindAWholeRead();
    live.invalidate(['h7']);
    const asked = Date.now();
    const waitedMs = await timeOf(live.fresh());
    const answering = reads.find((r) => r.startedAt >= asked);
    expect(answering?.contexts !== 'all' && answering?.contexts.has('h7')).toBe(true);
    // The edit's read takes neither the root's counters nor the learned MACs, and comes first.
    expect(answering?.counters).toBe(false);
    expect(answering?.fdb).toBe(false);
    expect(waitedMs).toBeLessThan((running.endedAt ?? Infinity) - asked + 20);
    // The sample still reads them, right after.
    await vi.advanceTimersByTimeAsync(ROOT_COUNTERS_MS + FDB_MS + 50);
    const sample = reads[reads.indexOf(answering as ReadRecord) + 1];
    expect(sample?.counters && sample.fdb).toBe(true);
    await timeOf(live.stop());
  });

  it("reads what events marked without the sample's counters: an edit joining that read waits for it alone", async () => {
    vi.useFakeTimers({ now: 0 });
    const { live, reads, running } = await sampleWaitingBehindAWholeRead();
    live.invalidate(['h7']); // as an event does
    live.soon();
    while (running.endedAt === undefined) await vi.advanceTimersByTimeAsync(1);
    const eventRead = reads[reads.indexOf(running) + 1];
    expect(eventRead?.endedAt).toBeUndefined(); // under way
    expect(eventRead?.counters).toBe(false);
    expect(await timeOf(live.fresh())).toBeLessThan(ROOT_COUNTERS_MS);
    await vi.advanceTimersByTimeAsync(ROOT_COUNTERS_MS + FDB_MS + 50);
    expect(reads[reads.indexOf(running) + 2]?.counters).toBe(true);
    await timeOf(live.stop());
  });

  it("is not made to wait for the sample's read by a caller that marked nothing", async () => {
    vi.useFakeTimers({ now: 0 });
    const { live, reads } = fakeLab({ sampleCosts: true });
    await timeOf(live.start());
    await vi.advanceTimersByTimeAsync(2_000 - 10); // 10 ms before the 2nd sample
    // What the writer asks before every edit: here, no firewall and no namespace without an id.
    live.readFirewallsOf([]);
    live.invalidateUnwatched();
    await vi.advanceTimersByTimeAsync(20); // the sample's read of the root's counters is under way
    const sample = reads.at(-1);
    expect(sample?.counters && sample.endedAt === undefined).toBe(true);
    expect(await timeOf(live.fresh())).toBe(0);
    await timeOf(live.stop());
  });

  it('does not wait for a slice that took nothing the caller marked', async () => {
    vi.useFakeTimers({ now: 0 });
    const { live } = fakeLab();
    await timeOf(live.start());
    await vi.advanceTimersByTimeAsync(10_000 + 20); // a slice is under way
    expect(await timeOf(live.fresh())).toBe(0);
    await timeOf(live.stop());
  });

  it('reads the firewall an iptables change was announced in at once, in part: no dump, not even of the root', async () => {
    vi.useFakeTimers({ now: 0 });
    const { live, reads, emit } = fakeLab();
    await timeOf(live.start());
    await vi.advanceTimersByTimeAsync(3_300); // between samples, long before the sweep
    const from = reads.length;
    emit({ kind: 'firewall', name: 'h7' });
    emit({ kind: 'firewall', name: ROOT });
    await vi.advanceTimersByTimeAsync(30);
    const read = reads.slice(from).find((r) => r.firewall !== 'all' && r.firewall.has('h7'));
    expect(read).toBeDefined();
    expect(read?.firewall !== 'all' && read?.firewall.has(ROOT)).toBe(true);
    expect(read?.contexts).not.toBe('all');
    expect(read?.contexts !== 'all' && (read?.contexts.has('h7') || read?.contexts.has(ROOT))).toBe(false);
    expect(read?.partial.has('h7') && read.partial.has(ROOT) && !read.counters).toBe(true);
    // A namespace the last read did not have: listed by the next read, its firewall read with it.
    emit({ kind: 'firewall', name: 'made-just-now' });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(reads.slice(from).some((r) => r.firewall !== 'all' && r.firewall.has('made-just-now'))).toBe(true);
    await timeOf(live.stop());
  });

  it("reads every firewall soon after start, even when a whole read without them (the reconcile's) came first", async () => {
    vi.useFakeTimers({ now: 0 });
    const { live, reads } = fakeLab();
    await timeOf(live.start()); // the first read: the root's firewall only; the sweep starts
    live.invalidate('all');
    await timeOf(live.refresh());
    await vi.advanceTimersByTimeAsync(900);
    const walls = new Set(reads.flatMap((r) => (r.firewall === 'all' ? ['all'] : [...r.firewall])));
    for (const name of [ROOT, ...NAMESPACES]) expect(walls.has(name), name).toBe(true);
    await timeOf(live.stop());
  });

  it('says when a read has not ended after 30 s (it holds every later read)', async () => {
    vi.useFakeTimers({ now: 0 });
    const errors: unknown[] = [];
    let hang = false;
    const observer: LabObserver = {
      read: () =>
        hang
          ? new Promise(() => undefined)
          : Promise.resolve({
              target: { kind: 'host', lab: 'fake' },
              takenAt: new Date().toISOString(),
              namespaces: [],
            }),
      nameOfNsid: () => undefined,
      nsidOf: () => undefined,
    };
    const watch = (): LabWatcher => ({ ready: Promise.resolve(), stop: async () => undefined });
    const quiet = () => undefined;
    const listener = {
      patches: quiet,
      rates: quiet,
      ruleCounters: quiet,
      fdbAges: quiet,
      error: (e: unknown) => errors.push(e),
    };
    const live = new LiveState(observer, watch, listener);
    await timeOf(live.start());
    hang = true;
    void live.refresh();
    await vi.advanceTimersByTimeAsync(29_000);
    expect(errors).toEqual([]);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(errors[0]).toBeInstanceOf(SlowReadError);
  });

  it('rests after a sweep three times its reading time, however long it waited between slices', () => {
    const sweep = new Sweep();
    expect(sweep.start(NAMESPACES, 0)).toBe(true);
    expect(sweep.start(NAMESPACES, 500)).toBe(false); // still going
    // Slices read 100 ms each, the last at 40 s: they waited for an apply between them.
    let slices = 0;
    while (sweep.take([ROOT, ...NAMESPACES], 40_000)) {
      slices++;
      sweep.took(1, 100, 40_000);
    }
    expect(sweep.running).toBe(false);
    const reading = slices * 100;
    expect(sweep.start(NAMESPACES, 40_000 + REST_FACTOR * reading - 1)).toBe(false);
    // Not 3 × 40 s: 3 × what its slices read.
    expect(sweep.start(NAMESPACES, 40_000 + REST_FACTOR * reading)).toBe(true);
  });

  it('starts no sweep while its last slice is being read, and rests from that read’s end', () => {
    const sweep = new Sweep();
    sweep.start(['h1'], 0);
    expect(sweep.take([ROOT, 'h1'], 0)?.size).toBe(2); // the root and h1: the last slice
    expect(sweep.running).toBe(false);
    expect(sweep.start(['h1'], 10_000)).toBe(false); // its read is not over
    sweep.took(2, 50, 10_050);
    expect(sweep.start(['h1'], 10_050 + REST_FACTOR * 50 - 1)).toBe(false);
    expect(sweep.start(['h1'], 10_050 + REST_FACTOR * 50)).toBe(true);
  });

  it("sizes a slice to the budget from the last one's cost per namespace", () => {
    const sweep = new Sweep();
    sweep.start(NAMESPACES);
    expect(sweep.take([ROOT, ...NAMESPACES])?.size).toBe(FIRST_SLICE);
    sweep.took(FIRST_SLICE, FIRST_SLICE * 50); // a loaded machine: 50 ms a namespace
    expect(sweep.take([ROOT, ...NAMESPACES])?.size).toBe(1);
    sweep.took(1, 1); // an idle one
    expect(sweep.take([ROOT, ...NAMESPACES])?.size).toBe(SLICE_BUDGET_MS);
    // Namespaces gone meanwhile are skipped, and the sweep ends.
    expect(sweep.take(['h199'])).toEqual(new Set(['h199']));
    expect(sweep.take(NAMESPACES)).toBeNull();
    expect(sweep.running).toBe(false);
  });
});
