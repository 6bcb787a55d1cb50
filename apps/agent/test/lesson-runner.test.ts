import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import {
  emptyTopology,
  parseLesson,
  type Lesson,
  type ObservedState,
  type PathRequestInput,
  type Topology,
} from '@netcanvas/model';
import type { PingOptions } from '@netcanvas/kernel';
import { LessonRunner, RUNNER_TIMING, type RunnerLive } from '../src/core/lesson-runner';

/**
 * The runner on a lab made of data: a live state whose namespaces the test sets, and a ping whose
 * answer the test decides, each ping counted. Fake timers: nothing sleeps.
 */

const LESSON = `lesson: t
title: T
steps:
  - id: one
    title: One
    goals:
      - namespace: { name: ns1 }
      - reach: { from: ns1, to: 127.0.0.1, expect: fail }
  - id: two
    title: Two
    start: empty
    checkpoint: true
    goals:
      - namespace: { name: ns2 }
      - route: { namespace: ns2, to: default }
  - id: three
    title: Three
`;

function lesson(): Lesson {
  const parsed = parseLesson(LESSON);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.lesson;
}

function fakeLab() {
  const state: ObservedState = {
    target: { kind: 'sandbox', lab: 't', pid: 1 },
    takenAt: '',
    namespaces: [{ name: 'root', managed: true, interfaces: [], fdb: [] }],
  };
  const calls = {
    pings: 0,
    running: 0,
    maxRunning: 0,
    invalidated: [] as string[],
    replaced: [] as Topology[],
  };
  let replies = false;
  const live: RunnerLive = {
    get observed() {
      return state;
    },
    invalidate: (names) => calls.invalidated.push(...names),
    readFirewallsOf: () => undefined,
    soon: () => undefined,
  };
  const lab = {
    ping(_ns: string, _to: string, _o: PingOptions, onLine: (l: string) => void) {
      calls.pings++;
      calls.running++;
      calls.maxRunning = Math.max(calls.maxRunning, calls.running);
      const done = new Promise<number>((resolve) =>
        setTimeout(() => {
          calls.running--;
          onLine(`1 packets transmitted, ${replies ? 1 : 0} received, ${replies ? 0 : 100}% packet loss`);
          resolve(replies ? 0 : 1);
        }, 300),
      );
      return { shown: ['ping'], done, stop: () => undefined };
    },
    tracePath: (_r: PathRequestInput) => Promise.reject(new Error('no path in this test')),
  };
  const addNamespace = (name: string, extra: object = {}) =>
    state.namespaces.push({ name, managed: true, interfaces: [], fdb: [], ...extra });
  return { state, live, lab, calls, addNamespace, setReplies: (r: boolean) => (replies = r) };
}

describe('LessonRunner', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  test('goals go green from the state and the probes only; then the next step opens, its start replacing the lab', async () => {
    const fake = fakeLab();
    const checkpoints: string[] = [];
    const runner = new LessonRunner({
      lab: fake.lab,
      live: fake.live,
      document: emptyTopology,
      replaceLab: async (start) => void fake.calls.replaced.push(start),
      checkpoint: async (id) => void checkpoints.push(id),
      log: () => undefined,
    });
    const changes: string[] = [];
    runner.onChange((c) => changes.push(c));
    await runner.load(lesson());
    expect(changes).toEqual(['lesson', 'progress']);
    expect(runner.state()).toMatchObject({
      step: 0,
      goals: [{ state: 'unmet' }, { state: 'unmet' }],
      done: [],
    });
    // No namespace, no ping: the probe waits for what it needs.
    await vi.advanceTimersByTimeAsync(5_000);
    expect(fake.calls.pings).toBe(0);

    fake.addNamespace('ns1');
    runner.changed();
    await vi.advanceTimersByTimeAsync(RUNNER_TIMING.debounceMs);
    expect(runner.state()?.goals).toEqual([
      { state: 'met', detail: 'ns1 exists' },
      { state: 'checking', detail: 'probing from ns1 to 127.0.0.1' },
    ]);
    await vi.advanceTimersByTimeAsync(400);
    expect(fake.calls.pings).toBe(1);
    // The ping failed, as the goal wants: step one is done, step two opens, the lab replaced.
    expect(runner.state()).toMatchObject({ step: 1, done: ['one'] });
    expect(fake.calls.replaced).toEqual([emptyTopology()]);
    expect(runner.state()?.goals.map((g) => g.state)).toEqual(['unmet', 'unmet']);

    // A route raises no event: the runner asks for ns2 to be read again, now and then.
    fake.addNamespace('ns2', { routes: [] });
    runner.changed();
    await vi.advanceTimersByTimeAsync(RUNNER_TIMING.unwatchedMs * 2);
    expect(fake.calls.invalidated).toContain('ns2');
    expect(runner.state()?.goals.map((g) => g.state)).toEqual(['met', 'unmet']);
    fake.state.namespaces[2]!.routes = [
      { to: 'default', via: '10.0.0.1', dev: 'e0', protocol: 'boot', metric: null, managed: false },
    ];
    runner.changed();
    await vi.advanceTimersByTimeAsync(RUNNER_TIMING.debounceMs);
    expect(runner.state()).toMatchObject({ step: 2, done: ['one', 'two'], goals: [], complete: false });
    expect(checkpoints).toEqual(['two']);
    runner.stop();
  });

  test('a goal that must fail stays red while the ping is answered; probes run one at a time and back off', async () => {
    const fake = fakeLab();
    fake.addNamespace('ns1');
    fake.setReplies(true);
    const runner = new LessonRunner({
      lab: fake.lab,
      live: fake.live,
      document: emptyTopology,
      replaceLab: async () => undefined,
      log: () => undefined,
    });
    await runner.load(lesson());
    await vi.advanceTimersByTimeAsync(60_000);
    expect(runner.state()?.goals[1]).toEqual({ state: 'unmet', detail: 'ns1 → 127.0.0.1: 0% loss' });
    expect(runner.state()?.step).toBe(0);
    expect(fake.calls.maxRunning).toBe(1);
    // 2 s apart at first, then backing off to 15 s: far fewer than 60 s / 2 s.
    expect(fake.calls.pings).toBeGreaterThan(3);
    expect(fake.calls.pings).toBeLessThan(15);
    // A change brings the probe back within its minimum interval.
    const before = fake.calls.pings;
    runner.changed();
    await vi.advanceTimersByTimeAsync(RUNNER_TIMING.probes.minIntervalMs + 400);
    expect(fake.calls.pings).toBe(before + 1);
    runner.stop();
  });

  test('a met probe goal is not probed again on every change, but confirmed before the step is left', async () => {
    const fake = fakeLab();
    fake.addNamespace('ns1');
    fake.setReplies(true);
    const parsed = parseLesson(
      'lesson: c\ntitle: C\nsteps:\n  - id: a\n    title: A\n    goals:\n      - all: [{ namespace: { name: ns1 } }, { reach: { from: ns1, to: 10.0.0.1 } }]\n      - namespace: { name: ns2 }\n  - id: b\n    title: B\n',
    );
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    const runner = new LessonRunner({
      lab: fake.lab,
      live: fake.live,
      document: emptyTopology,
      replaceLab: async () => undefined,
      log: () => undefined,
    });
    await runner.load(parsed.lesson);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(runner.state()?.goals.map((g) => g.state)).toEqual(['met', 'unmet']);
    const settled = fake.calls.pings;
    // Learned MACs move with every probe: not a reason to probe again; nor is any change, for a met goal.
    runner.changed([{ op: 'fdb', ns: 'root', put: [], drop: [] }]);
    runner.changed([{ op: 'removeNamespace', name: 'other' }]);
    await vi.advanceTimersByTimeAsync(RUNNER_TIMING.probes.minIntervalMs + 500);
    expect(fake.calls.pings).toBe(settled);
    // The last goal met: the ping runs once more (the lab changed since it answered), then step b opens.
    fake.addNamespace('ns2');
    runner.changed([{ op: 'removeNamespace', name: 'other' }]);
    await vi.advanceTimersByTimeAsync(RUNNER_TIMING.debounceMs);
    expect(runner.state()).toMatchObject({ step: 0, goals: [{ state: 'met' }, { state: 'met' }] });
    await vi.advanceTimersByTimeAsync(400);
    expect(fake.calls.pings).toBe(settled + 1);
    expect(runner.state()).toMatchObject({ step: 1, done: ['a'] });
    runner.stop();
  });

  test('goto opens any step by id, and refuses one the lesson lacks', async () => {
    const fake = fakeLab();
    const runner = new LessonRunner({
      lab: fake.lab,
      live: fake.live,
      document: emptyTopology,
      replaceLab: async (start) => void fake.calls.replaced.push(start),
      log: () => undefined,
    });
    expect(await runner.goto('two')).toBe('no lesson is loaded');
    await runner.load(lesson());
    expect(await runner.goto('nine')).toBe('the lesson "t" has no step "nine" (one, two, three)');
    expect(await runner.goto('three')).toBeNull();
    expect(runner.state()?.step).toBe(2);
    expect(runner.view()?.steps.map((s) => [s.id, s.resets, s.goals.length])).toEqual([
      ['one', false, 2],
      ['two', true, 2],
      ['three', false, 0],
    ]);
    runner.stop();
  });
  test('a done step reopened stays open (and done) until the editor moves on; a restart begins at step one, nothing done', async () => {
    const fake = fakeLab();
    const runner = new LessonRunner({
      lab: fake.lab,
      live: fake.live,
      document: emptyTopology,
      replaceLab: async (start) => void fake.calls.replaced.push(start),
      log: () => undefined,
    });
    await runner.load(lesson());
    fake.addNamespace('ns1');
    runner.changed();
    await vi.advanceTimersByTimeAsync(3_000);
    expect(runner.state()).toMatchObject({ step: 1, done: ['one'] });
    expect(fake.calls.replaced).toHaveLength(1);

    // Back to step one to read it again: its goals are still met, and it stays open, the lab as it is.
    expect(await runner.goto('one')).toBeNull();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(runner.state()).toMatchObject({ step: 0, done: ['one'] });
    expect(runner.state()?.goals.map((g) => g.state)).toEqual(['met', 'met']);
    expect(fake.calls.replaced).toHaveLength(1);
    // Moving on opens the next step as usual.
    expect(await runner.goto('two')).toBeNull();
    expect(runner.state()).toMatchObject({ step: 1 });

    // A restart (a reset of the lab to its start) begins again at step one with nothing done;
    // goals met there turn green and, since the step was not done before, it is left as usual.
    fake.state.namespaces.splice(1);
    await runner.restart();
    expect(runner.state()).toMatchObject({ step: 0, done: [] });
    await vi.advanceTimersByTimeAsync(5_000);
    expect(runner.state()).toMatchObject({ step: 0, done: [] });
    fake.addNamespace('ns1');
    runner.changed();
    await vi.advanceTimersByTimeAsync(3_000);
    expect(runner.state()).toMatchObject({ step: 1, done: ['one'] });
    runner.stop();
  });
});
