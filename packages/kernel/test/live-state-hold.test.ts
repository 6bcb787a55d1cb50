import { afterEach, describe, expect, it, vi } from 'vitest';
import { ROOT } from '@netcanvas/model';
import { benchToggles } from '../src/bench-toggles';
import type { LiveState } from '../src/live/live-state';
import { ROOT_COUNTERS_MS, fakeLab, timeOf, type ReadRecord } from './live-fake';

/**
 * While the writer plans, saves and applies an edit it holds the other reads (LiveState.holdReads):
 * they share the namespaces' `ip -batch` sessions with the apply, and a read its own events started
 * ran ahead of its next lines (docs/benchmarks.md, "Edits, session 12").
 */

const reads = (all: ReadRecord[], since: number) => all.filter((r) => r.startedAt >= since);
const reading = (r: ReadRecord, name: string) => r.contexts === 'all' || r.contexts.has(name);

/** A started live state whose first sweep is done, between two samples (t = 1,100 ms). */
async function settled() {
  const lab = fakeLab();
  await timeOf(lab.live.start());
  await vi.advanceTimersByTimeAsync(1_100 - Date.now());
  return lab;
}

/** A settled live state with the writer's hold taken: the release, and the reads since the hold. */
async function held() {
  const lab = await settled();
  const release = lab.live.holdReads();
  const at = Date.now();
  return { ...lab, release, since: () => reads(lab.reads, at) };
}

/** Marks a namespace changed and asks for a read in a moment, as the apply's own events do. */
function eventMarks(live: LiveState, name: string): void {
  live.invalidate([name]);
  live.soon();
}

/** A lab whose sample costs what it does at 1,000 namespaces, its 2nd sample's read under way. */
async function sampleUnderWay() {
  const lab = fakeLab({ sampleCosts: true });
  await timeOf(lab.live.start());
  await vi.advanceTimersByTimeAsync(2_000 + 20);
  const sample = lab.reads.at(-1) as ReadRecord;
  expect(sample.counters && sample.fdb && sample.endedAt === undefined).toBe(true);
  expect(sample.yielding() || sample.waitedFor()).toBe(false);
  return { live: lab.live, all: lab.reads, sample };
}

describe('live state: reads held while the writer applies an edit', () => {
  afterEach(() => {
    benchToggles.readsDuringApply = 'held';
    vi.useRealTimers();
  });

  it('starts no read that an event asked for until the release, then reads what it marked', async () => {
    vi.useFakeTimers({ now: 0 });
    const { live, release, since } = await held();
    eventMarks(live, 'h7');
    await vi.advanceTimersByTimeAsync(50);
    expect(since()).toEqual([]);
    release();
    await vi.advanceTimersByTimeAsync(50);
    expect(since().some((r) => reading(r, 'h7') && r.endedAt !== undefined)).toBe(true);
    await timeOf(live.stop());
  });

  it("stops, when a hold keeps the second's sample waiting: the waiting read is served, not awaited forever", async () => {
    vi.useFakeTimers({ now: 0 });
    const { live, since } = await held(); // the writer's hold, never released (an apply under way)
    await vi.advanceTimersByTimeAsync(1_500); // the 2nd second's sample waits behind the hold
    expect(since()).toEqual([]);
    let stopped = false;
    void live.stop().then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(stopped).toBe(true);
  });

  it('lets reads go on after 5 s, however long the apply (a hold never stops the live view)', async () => {
    vi.useFakeTimers({ now: 0 });
    const { live, since } = await held(); // never released: an apply that hangs
    eventMarks(live, 'h7');
    await vi.advanceTimersByTimeAsync(4_900);
    expect(since()).toEqual([]);
    await vi.advanceTimersByTimeAsync(200);
    expect(since().some((r) => reading(r, 'h7'))).toBe(true);
    await timeOf(live.stop());
  });

  it('(the same with reads free: the event read starts at once; the test tells them apart)', async () => {
    vi.useFakeTimers({ now: 0 });
    benchToggles.readsDuringApply = 'free';
    const { live, release, since } = await held();
    eventMarks(live, 'h7');
    await vi.advanceTimersByTimeAsync(50);
    expect(since().some((r) => reading(r, 'h7'))).toBe(true);
    release();
    await timeOf(live.stop());
  });

  it('still serves a caller of fresh() while held (an adopt plans again from one)', async () => {
    vi.useFakeTimers({ now: 0 });
    const { live, release, since } = await held();
    live.invalidate(['h3']);
    await timeOf(live.fresh());
    expect(since().some((r) => reading(r, 'h3') && r.endedAt !== undefined)).toBe(true);
    release();
    await timeOf(live.stop());
  });

  it("leaves the second's sample and the sweep waiting until the release, then takes them", async () => {
    vi.useFakeTimers({ now: 0 });
    const { live, reads: all, release, since } = await held();
    await vi.advanceTimersByTimeAsync(1_500); // past the 2nd second's sample
    expect(since()).toEqual([]);
    release();
    await vi.advanceTimersByTimeAsync(20);
    expect(since().some((r) => r.fdb)).toBe(true); // the sample's read: learned MACs
    // A second release changes nothing, nor does another hold's: holds count.
    release();
    const first = live.holdReads();
    const second = live.holdReads();
    first();
    const stillHeld = Date.now();
    eventMarks(live, 'h9');
    await vi.advanceTimersByTimeAsync(50);
    expect(reads(all, stillHeld)).toEqual([]);
    second();
    await vi.advanceTimersByTimeAsync(50);
    expect(reads(all, stillHeld).some((r) => reading(r, 'h9'))).toBe(true);
    await timeOf(live.stop());
  });

  it("reads what the edit marked first at the release, the second's sample that waited after it", async () => {
    vi.useFakeTimers({ now: 0 });
    const { live, reads: all } = await settled();
    const release = live.holdReads();
    const held = Date.now();
    await vi.advanceTimersByTimeAsync(1_000); // the 2nd second's sample waits
    live.invalidateReread(new Map([['h7', 'whole' as const]])); // the writer's marks
    release();
    await vi.advanceTimersByTimeAsync(200);
    const [first, second] = reads(all, held);
    expect(first && reading(first, 'h7') && !first.fdb).toBe(true);
    expect(second?.fdb).toBe(true);
    await timeOf(live.stop());
  });
});

describe("live state: the root's numbering from the monitor's lines", () => {
  afterEach(() => {
    benchToggles.sampleChangedLinks = 'leave';
    vi.useRealTimers();
  });

  it('learns a namespace the monitor names with its nsid, and reads without `netns list`', async () => {
    vi.useFakeTimers({ now: 0 });
    const { live, reads: all, learned, emit } = await settled();
    const at = Date.now();
    emit({ kind: 'change', nsid: 'current', line: '[nsid current]nsid 7 (iproute2 netns name: extra3)' });
    emit({ kind: 'change', nsid: 'current', line: '[nsid current]Deleted nsid 4 (iproute2 netns name: h4)' });
    await vi.advanceTimersByTimeAsync(50);
    expect(learned).toEqual([
      ['extra3', 7],
      ['h4', null],
    ]);
    const read = reads(all, at)[0];
    expect(read?.endedAt).toBeDefined();
    expect(read?.refreshIds).toBe(false);
    await timeOf(live.stop());
  });

  it('reads the numbering again (`netns list`) when a line names no namespace', async () => {
    vi.useFakeTimers({ now: 0 });
    const { live, reads: all, learned, emit } = await settled();
    const at = Date.now();
    emit({ kind: 'change', nsid: 'current', line: '[nsid current]nsid 9' });
    await vi.advanceTimersByTimeAsync(50);
    expect(learned).toEqual([]);
    expect(reads(all, at)[0]?.refreshIds).toBe(true);
    await timeOf(live.stop());
  });

  it('reads a namespace that numbered another (its own numbering), not the root’s again', async () => {
    vi.useFakeTimers({ now: 0 });
    const { live, reads: all, learned, emit } = await settled();
    const at = Date.now();
    emit({ kind: 'change', nsid: 3, line: '[nsid 3]nsid 0 (iproute2 netns name: h0)' });
    await vi.advanceTimersByTimeAsync(50);
    expect(learned).toEqual([]);
    const read = reads(all, at)[0];
    expect(read && reading(read, 'h3') && !read.refreshIds).toBe(true);
    await timeOf(live.stop());
  });

  it("tells the second's sample under way to leave what can wait once an edit waits, never an edit's read", async () => {
    vi.useFakeTimers({ now: 0 });
    const { live, all, sample } = await sampleUnderWay();
    live.invalidate(['h7']);
    const edit = live.fresh();
    expect(sample.yielding()).toBe(true);
    await timeOf(edit);
    const editRead = all.find((r) => r.startedAt >= sample.startedAt && r !== sample && reading(r, 'h7'));
    expect(editRead?.yielding()).toBe(false);
    await timeOf(live.stop());
  });

  it("tells the second's sample under way that an edit waits behind it (its learned MACs are left), never an edit's read", async () => {
    vi.useFakeTimers({ now: 0 });
    const { live, all, sample } = await sampleUnderWay();
    // An edit ran a moment ago (the sample yields), but nobody waits for a read yet.
    live.holdReads()();
    expect(sample.yielding() && !sample.waitedFor()).toBe(true);
    live.invalidate(['h7']);
    const edit = live.fresh();
    expect(sample.waitedFor()).toBe(true);
    await timeOf(edit);
    const editRead = all.find((r) => r.startedAt >= sample.startedAt && r !== sample && reading(r, 'h7'));
    expect(editRead?.waitedFor()).toBe(false);
    await timeOf(live.stop());
  });

  it("tells the second's sample under way to leave what can wait while the writer runs an edit", async () => {
    // The edit planned from what it had: the sample's learned MACs (20 bridges, ~130 ms at 1,000
    // namespaces) ran beside its apply, on the same two cores (docs/benchmarks.md, "Edits, session 13").
    vi.useFakeTimers({ now: 0 });
    const { live, all, sample } = await sampleUnderWay();
    const release = live.holdReads();
    expect(sample.yielding()).toBe(true);
    release();
    // A moment after an edit another may follow: still yielding, for 1.5 s.
    expect(sample.yielding()).toBe(true);
    await vi.advanceTimersByTimeAsync(1_500);
    const later = all.at(-1) as ReadRecord;
    expect(later.yielding()).toBe(false);
    await timeOf(live.stop());
  });

  it("tells the second's sample to keep a namespace whose links changed as it was, never an edit's read", async () => {
    // An edit beside the sample added a port to the root: the sample's counters met it and it read
    // the root whole (~130 ms at 1,000 namespaces) while the next edit waited; the port's events
    // (or the writer's marks) have a read of their own (docs/benchmarks.md, "Edits, session 15").
    vi.useFakeTimers({ now: 0 });
    const { live, all, sample } = await sampleUnderWay();
    expect(sample.leavesChangedLinks).toBe(true);
    live.invalidate(['h7']);
    await timeOf(live.fresh());
    const editRead = all.find((r) => r.startedAt >= sample.startedAt && r !== sample && reading(r, 'h7'));
    expect(editRead?.leavesChangedLinks).toBe(false);
    await timeOf(live.stop());
  });

  it('(the same with changed links read whole: the sample is not told; the test tells them apart)', async () => {
    vi.useFakeTimers({ now: 0 });
    benchToggles.sampleChangedLinks = 'whole';
    const { live, sample } = await sampleUnderWay();
    expect(sample.leavesChangedLinks).toBe(false);
    await timeOf(live.stop());
  });
});

/**
 * The second's sample comes while an edit's (or an event's) marks wait for their read: the sample's
 * counters and learned MACs cost ~300 ms at 1,000 namespaces (fakeLab's `sampleCosts`), and the
 * next edit must not wait for them (docs/benchmarks.md, "Edits, session 14").
 */
async function sampleWithMarksPending(options: Parameters<typeof fakeLab>[0] = {}) {
  const lab = fakeLab({ sampleCosts: true, ...options });
  await timeOf(lab.live.start());
  await vi.advanceTimersByTimeAsync(2_000 - 2); // 2 ms before the 2nd sample
  const at = Date.now();
  eventMarks(lab.live, 'h7'); // its read, debounced, would start after the sample's
  await vi.advanceTimersByTimeAsync(20); // the sample's read is under way
  return { ...lab, since: () => reads(lab.reads, at) };
}

describe("live state: the second's sample with marks pending", () => {
  afterEach(() => {
    benchToggles.sampleMarks = 'apart';
    vi.useRealTimers();
  });

  it('reads the marks first, on their own; an edit then does not wait for the sample after them', async () => {
    vi.useFakeTimers({ now: 0 });
    const { live, since } = await sampleWithMarksPending();
    const [marks, sample] = since();
    expect(marks && reading(marks, 'h7') && !marks.fdb && !marks.counters).toBe(true);
    expect(marks?.endedAt).toBeDefined();
    expect(sample?.fdb && sample.counters && sample.endedAt === undefined).toBe(true);
    expect(await timeOf(live.fresh())).toBeLessThan(5);
    await timeOf(live.stop());
  });

  it('(the same with the marks joined to the sample: the edit waits for it all; the test tells them apart)', async () => {
    vi.useFakeTimers({ now: 0 });
    benchToggles.sampleMarks = 'joined';
    const { live, since } = await sampleWithMarksPending();
    const [sample] = since();
    expect(sample && reading(sample, 'h7') && sample.fdb).toBe(true);
    expect(await timeOf(live.fresh())).toBeGreaterThan(ROOT_COUNTERS_MS);
    await timeOf(live.stop());
  });

  it('leaves marks whose read apart failed to the sample, once: no loop of failed reads', async () => {
    vi.useFakeTimers({ now: 0 });
    let failing = false;
    const { live, since, errors } = await sampleWithMarksPending({
      fails: (read) => failing && read.contexts !== 'all' && read.contexts.has('h7'),
    });
    await vi.advanceTimersByTimeAsync(1_000 - 20); // 2 ms before the 3rd sample
    const at = Date.now();
    failing = true;
    eventMarks(live, 'h7');
    await vi.advanceTimersByTimeAsync(20);
    const failed = since().filter((r) => r.startedAt >= at);
    // The marks apart (failed), then the sample with them (failed too: said once), then nothing
    // until the next second.
    expect(failed.map((r) => [reading(r, 'h7'), r.fdb])).toEqual([
      [true, false],
      [true, true],
    ]);
    await vi.advanceTimersByTimeAsync(500);
    expect(since().filter((r) => r.startedAt >= at)).toHaveLength(2);
    expect(errors).toHaveLength(1);
    failing = false;
    await timeOf(live.stop());
  });
});

describe('live state: an interface named again and again', () => {
  afterEach(() => vi.useRealTimers());

  it('is read once per way it was named, in the place it was last named', async () => {
    vi.useFakeTimers({ now: 0 });
    const { live, reads: all, emit } = await settled();
    const release = live.holdReads();
    // An edit's port in the root: its link lines (index and name), its address lines (index), and
    // the writer's mark (name) after the apply; a second port deleted and made again.
    const link = (ifindex: number, ifname: string, deleted = false) =>
      emit({
        kind: 'change',
        nsid: 'current',
        line: `${ifindex}: ${ifname}`,
        iface: { ifindex, ifname, deleted },
      });
    for (let i = 0; i < 4; i++) link(7, 'p7');
    emit({ kind: 'change', nsid: 'current', line: '7: p7 inet6', iface: { ifindex: 7, deleted: false } });
    emit({ kind: 'change', nsid: 'current', line: '7: p7 inet6', iface: { ifindex: 7, deleted: false } });
    link(8, 'p8');
    link(8, 'p8', true);
    link(8, 'p8');
    live.invalidateReread(new Map([[ROOT, { ifnames: new Set(['p7']), deleted: new Set<string>() }]]));
    live.invalidateReread(new Map([[ROOT, { ifnames: new Set(['p7']), deleted: new Set<string>() }]]));
    const at = Date.now();
    release();
    await vi.advanceTimersByTimeAsync(50);
    const read = reads(all, at).find((r) => r.partial.has(ROOT));
    expect(read?.partial.get(ROOT)?.marks).toEqual([
      { ifindex: 7, ifname: 'p7', deleted: false },
      { ifindex: 7, deleted: false },
      { ifindex: 8, ifname: 'p8', deleted: true },
      { ifindex: 8, ifname: 'p8', deleted: false },
      { ifname: 'p7' },
    ]);
    await timeOf(live.stop());
  });
});
