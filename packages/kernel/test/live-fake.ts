import { expect, vi } from 'vitest';
import { ROOT, type ObservedNamespace, type ObservedState } from '@netcanvas/model';
import { LiveState, type LabObserver } from '../src/live/live-state';
import type { LabWatcher, WatchEvent } from '../src/watch';
import type { PartialRead } from '../src/observe-partial';

/**
 * A fake lab for the live state's scheduling tests: an observer whose reads take virtual time like
 * the real one's (a namespace's dump 1 ms, its iptables-save 2.5 ms: a whole read of 200
 * namespaces with their firewalls ~0.7 s, as measured on the benchmark's lab), recording each read.
 */
export const NAMESPACES = Array.from({ length: 200 }, (_, i) => `h${i}`);
export const DUMP_MS = 1;
export const FIREWALL_MS = 2.5;
/** The second's sample: the root's counters (at 1,000 namespaces ~2.5 MB of JSON) and learned MACs. */
export const ROOT_COUNTERS_MS = 200;
export const FDB_MS = 100;

export interface ReadRecord {
  contexts: 'all' | ReadonlySet<string>;
  firewall: 'all' | ReadonlySet<string>;
  /** It read the root's counters (the sample's partial read), or learned MACs. */
  counters: boolean;
  fdb: boolean;
  /** It read the root's numbering again (`netns list`). */
  refreshIds: boolean;
  /** The namespaces it read in part, with the interfaces named. */
  partial: ReadonlyMap<string, PartialRead>;
  /** Whether it was told, now, to leave what can wait (someone waits for the read after it). */
  yielding: () => boolean;
  /** Whether it was told, now, that someone waits for the read after it (its learned MACs are left). */
  waitedFor: () => boolean;
  /** Told to keep a namespace whose links changed as it was (the events' read reads them). */
  leavesChangedLinks: boolean;
  /** A sweep's slice: told it may leave its firewalls once an edit runs or waits (`leaveFirewalls`). */
  mayLeaveFirewalls: boolean;
  /** The firewalls it left, as their turn came after its dumps. */
  firewallsLeft: string[];
  startedAt: number;
  endedAt?: number;
}

/**
 * `watched: false`: no namespace has an id (made by hand): the sample reads each one's counters.
 * `sampleCosts`: the root's counters and the learned MACs cost what they do at 1,000 namespaces.
 * `fails`: the reads it says fail (after their time); what the live state reports is in `errors`.
 */
export function fakeLab({
  watched = true,
  sampleCosts = false,
  fails = undefined as ((read: ReadRecord) => boolean) | undefined,
} = {}) {
  const namespaces = new Map<string, ObservedNamespace>(
    [ROOT, ...NAMESPACES].map((name) => [name, { name, managed: true, interfaces: [], fdb: [] }]),
  );
  const reads: ReadRecord[] = [];
  const count = (set: 'all' | ReadonlySet<string>) => (set === 'all' ? namespaces.size : set.size);
  const observer: LabObserver = {
    async read(contexts, options = {}) {
      const firewall = options.firewall ?? 'all';
      const counters = options.partial?.get(ROOT)?.counters === true;
      const fdb = options.fdb === true;
      const refreshIds = options.refreshIds === true;
      const yielding = () => options.yieldTo?.() === true;
      const record: ReadRecord = {
        contexts,
        firewall,
        counters,
        fdb,
        refreshIds,
        partial: options.partial ?? new Map(),
        yielding,
        waitedFor: () => options.waitedFor?.() === true,
        leavesChangedLinks: options.leaveChangedLinks === true,
        mayLeaveFirewalls: options.leaveFirewalls !== undefined,
        firewallsLeft: [],
        startedAt: Date.now(),
      };
      reads.push(record);
      const wanted =
        contexts === 'all' ? namespaces.size : [...contexts].filter((c) => namespaces.has(c)).length;
      const sampled = sampleCosts ? (counters ? ROOT_COUNTERS_MS : 0) + (fdb ? FDB_MS : 0) : 0;
      await new Promise((resolve) => setTimeout(resolve, wanted * DUMP_MS + sampled));
      // The firewalls' turn comes after the dumps, as in the observer; a slice may leave them then.
      let firewalls = firewall === 'all' ? wanted : Math.min(wanted, count(firewall));
      if (firewalls > 0 && firewall !== 'all' && options.leaveFirewalls?.now() === true) {
        record.firewallsLeft = [...firewall];
        options.leaveFirewalls.left(record.firewallsLeft);
        firewalls = 0;
      }
      await new Promise((resolve) => setTimeout(resolve, firewalls * FIREWALL_MS));
      record.endedAt = Date.now();
      if (fails?.(record)) throw new Error('the fake read failed');
      const state: ObservedState = {
        target: { kind: 'sandbox', lab: 'fake', pid: 1 },
        takenAt: new Date().toISOString(),
        namespaces: [...namespaces.values()],
      };
      return state;
    },
    nameOfNsid: (nsid) => NAMESPACES[nsid],
    nsidOf: (name) => (name === ROOT || !watched ? undefined : NAMESPACES.indexOf(name)),
    learnNsid: (name, nsid) => learned.push([name, nsid]),
  };
  /** What the monitor named (observer.learnNsid), in order. */
  const learned: [string, number | null][] = [];
  let emit: (event: WatchEvent) => void = () => undefined;
  const watch = (onEvent: (event: WatchEvent) => void): LabWatcher => {
    emit = onEvent;
    return { ready: Promise.resolve(), stop: async () => undefined };
  };
  const listener = {
    patches: () => undefined,
    rates: () => undefined,
    ruleCounters: () => undefined,
    fdbAges: () => undefined,
    // Kept for a test that makes reads fail; thrown otherwise (the test fails on it).
    error: (error: unknown) => {
      if (!fails) throw error;
      errors.push(error);
    },
  };
  /** What the live state told its listener went wrong (a test without failures expects none). */
  const errors: unknown[] = [];
  return {
    live: new LiveState(observer, watch, listener),
    errors,
    reads,
    learned,
    /** A line from the lab's monitor (watch.ts). */
    emit: (event: WatchEvent) => emit(event),
  };
}

/** Advances virtual time until `promise` settles; the virtual milliseconds it took. */
export async function timeOf(promise: Promise<unknown>, limitMs = 5000): Promise<number> {
  const started = Date.now();
  let done = false;
  void promise.then(() => (done = true));
  await vi.advanceTimersByTimeAsync(0);
  while (!done && Date.now() - started < limitMs) await vi.advanceTimersByTimeAsync(1);
  expect(done).toBe(true);
  return Date.now() - started;
}
