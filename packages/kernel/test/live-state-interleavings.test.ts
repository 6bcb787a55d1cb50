import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeLab, NAMESPACES, timeOf } from './live-fake';

/**
 * The live state's reads under random interleavings of events, edits (`fresh()` after a mark),
 * plain `fresh()` and `refresh()` calls, on the fake lab's virtual clock (live-fake.ts), with the
 * sample's reads as costly as at 1,000 namespaces. Whatever the order:
 * - reads never overlap (the observer is one);
 * - every caller is answered, and one that marked a namespace by a read that started after its
 *   call and read that namespace (nothing older than the call);
 * - the second's sample is not starved by a stream of edits and events: its counters are read.
 */
type Op =
  { kind: 'event' | 'edit'; name: string; wait: number } | { kind: 'fresh' | 'refresh'; wait: number };

const name = fc.constantFrom(...NAMESPACES.slice(0, 8));
const wait = fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 150 }));
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constantFrom('event' as const, 'edit' as const), name, wait }),
  fc.record({ kind: fc.constantFrom('fresh' as const, 'refresh' as const), wait }),
);

interface Asked {
  at: number;
  name: string | null;
  answeredAt?: number;
}

async function play(ops: Op[]) {
  const { live, reads } = fakeLab({ sampleCosts: true });
  await timeOf(live.start());
  const started = Date.now();
  const asked: Asked[] = [];
  const ask = (marked: string | null) => {
    const entry: Asked = { at: Date.now(), name: marked };
    asked.push(entry);
    void live.fresh().then(() => (entry.answeredAt = Date.now()));
  };
  for (const o of ops) {
    await vi.advanceTimersByTimeAsync(o.wait);
    if (o.kind === 'event') {
      live.invalidate([o.name]);
      live.soon();
    } else if (o.kind === 'edit') {
      live.invalidate([o.name]);
      ask(o.name);
    } else if (o.kind === 'fresh') ask(null);
    else void live.refresh();
  }
  const ended = Date.now();
  await vi.advanceTimersByTimeAsync(3_000);
  await timeOf(live.stop());
  return { reads, asked, started, ended };
}

describe('live state: reads under random interleavings', () => {
  afterEach(() => vi.useRealTimers());

  it('never overlap, answer every caller with nothing older than its call, and keep sampling', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 5, maxLength: 120 }), async (ops) => {
        vi.useFakeTimers({ now: 0 });
        try {
          const { reads, asked, started, ended } = await play(ops);
          for (let i = 1; i < reads.length; i++)
            expect(reads[i]?.startedAt).toBeGreaterThanOrEqual(reads[i - 1]?.endedAt ?? Infinity);
          for (const a of asked) {
            expect(a.answeredAt, `fresh() at ${a.at}`).toBeDefined();
            if (a.name === null) continue;
            const marked = a.name;
            const answering = reads.some(
              (r) =>
                r.startedAt >= a.at &&
                (r.endedAt ?? Infinity) <= (a.answeredAt ?? -1) &&
                (r.contexts === 'all' || r.contexts.has(marked)),
            );
            expect(answering, `the edit of ${marked} at ${a.at}`).toBe(true);
          }
          // One sample a second; each waits at most for the reads ahead of it.
          const sampled = reads.filter((r) => r.counters && r.startedAt >= started).length;
          expect(sampled).toBeGreaterThanOrEqual(Math.floor((ended - started) / 1_000) - 1);
        } finally {
          vi.useRealTimers();
        }
      }),
      { numRuns: 60 },
    );
  });
});
