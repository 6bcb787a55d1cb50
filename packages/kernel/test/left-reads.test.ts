import { afterEach, describe, expect, it, vi } from 'vitest';
import { LEAVE_POLL_MS, LeftReads } from '../src/left-reads';
import { agedBy } from '../src/observe';

/**
 * The sample's learned-MAC command is not waited for once an edit waits behind the read; its
 * answer is kept for the next read (docs/benchmarks.md, "Edits, session 14").
 */

/** A read that ends when told to, with the value given. */
function slowRead<T>() {
  let finish!: (value: T) => void;
  let fail!: (error: unknown) => void;
  const promise = new Promise<T>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  return { read: () => promise, finish, fail };
}

describe('left reads', () => {
  afterEach(() => vi.useRealTimers());

  it('hands back the answer when nobody waits behind it, and keeps nothing', async () => {
    vi.useFakeTimers();
    const left = new LeftReads<string>();
    const { read, finish } = slowRead<string>();
    const running = left.run('root', read, () => false);
    await vi.advanceTimersByTimeAsync(100);
    finish('table');
    expect((await running)?.value).toBe('table');
    expect(left.takeEnded('root')).toBeUndefined();
    expect(left.running('root')).toBe(false);
  });

  it('stops waiting once someone waits behind it; the next read takes its answer, once', async () => {
    vi.useFakeTimers();
    const left = new LeftReads<string>();
    const { read, finish } = slowRead<string>();
    let waiting = false;
    const running = left.run('root', read, () => waiting);
    await vi.advanceTimersByTimeAsync(50);
    waiting = true;
    await vi.advanceTimersByTimeAsync(LEAVE_POLL_MS);
    expect(await running).toBeUndefined();
    // Still running: no answer yet, and no second command beside it.
    expect(left.running('root')).toBe(true);
    expect(left.takeEnded('root')).toBeUndefined();
    await vi.advanceTimersByTimeAsync(100);
    finish('late table');
    await vi.advanceTimersByTimeAsync(0);
    const ended = left.takeEnded('root');
    expect(ended?.value).toBe('late table');
    expect(ended && ended.ended - ended.started).toBeGreaterThanOrEqual(150);
    expect(left.takeEnded('root')).toBeUndefined();
  });

  it('drops a left read that failed, and one of a namespace gone', async () => {
    vi.useFakeTimers();
    const left = new LeftReads<string>();
    const failing = slowRead<string>();
    const other = slowRead<string>();
    void left.run('h1', failing.read, () => true);
    void left.run('h2', other.read, () => true);
    await vi.advanceTimersByTimeAsync(LEAVE_POLL_MS);
    failing.fail(new Error('gone'));
    other.finish('table');
    await vi.advanceTimersByTimeAsync(0);
    expect(left.running('h1')).toBe(false);
    expect(left.takeEnded('h1')).toBeUndefined();
    left.keepOnly(new Set(['h1']));
    expect(left.takeEnded('h2')).toBeUndefined();
  });

  it('rejects as the read does when it fails while waited for', async () => {
    vi.useFakeTimers();
    const left = new LeftReads<string>();
    const { read, fail } = slowRead<string>();
    const running = left.run('root', read, () => false);
    fail(new Error('no such namespace'));
    await expect(running).rejects.toThrow('no such namespace');
  });
});

describe('learned entries of a left read, aged to the read that takes them', () => {
  it('ages learned entries by the seconds since the command ended; the bridge’s own stay as they are', () => {
    const learned = {
      bridge: 'br0',
      mac: '02:00:00:00:00:01',
      port: 'p1',
      vlan: null,
      learned: true,
      ageSeconds: 3,
    };
    const own = { ...learned, mac: '02:00:00:00:00:02', learned: false, ageSeconds: null };
    expect(agedBy([learned, own], 0.75)).toEqual([{ ...learned, ageSeconds: 3.75 }, own]);
  });
});
