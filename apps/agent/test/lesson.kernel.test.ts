import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLesson, type GoalState, type LessonProgress, type ServerMessage } from '@netcanvas/model';
import { startHarness, requestId, type AgentHarness } from './agent-fixture';
import type { TestClient } from './helpers/ws-client';

/**
 * A lesson on the real kernel, through the agent (issue 13 §2): the goals turn green only as the
 * test changes the lab by hand, behind the agent's back, as a student at a terminal would; a probe
 * goal turns green only once the address it needs is there; a goal that must fail stays red.
 */

const LESSON = `lesson: kernel-tiny
title: A namespace, its lo and an address
steps:
  - id: namespace
    title: A namespace
    start: empty
    checkpoint: true
    goals:
      - text: ns1 exists
        namespace: { name: ns1 }
      - text: ping 127.0.0.1 fails while lo is down
        reach: { from: ns1, to: 127.0.0.1, expect: fail }
  - id: address
    title: lo up, and an address on it
    goals:
      - interfaceUp: { namespace: ns1, ifname: lo }
      - address: { namespace: ns1, ifname: lo, cidr: 10.0.9.1/32 }
      - reach: { from: ns1, to: 10.0.9.1 }
      - text: this one must fail, and stays red once lo is up
        reach: { from: ns1, to: 127.0.0.1, expect: fail }
`;

const parsed = parseLesson(LESSON);
if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));

let harness: AgentHarness;
let editor: TestClient;

beforeAll(async () => {
  harness = await startHarness('lesson', { lesson: parsed.lesson });
  editor = await harness.editor();
  await editor.hello();
});
afterAll(async () => harness?.stop());

/** The next progress (or lesson) whose open step and goal states are these. */
async function progressUntil(step: number, states: GoalState[], timeoutMs = 15_000): Promise<LessonProgress> {
  const matches = (p: LessonProgress | null) =>
    p !== null && p.step === step && JSON.stringify(p.goals.map((g) => g.state)) === JSON.stringify(states);
  const progressOf = (m: ServerMessage) =>
    m.type === 'lessonProgress' ? m.progress : m.type === 'lesson' ? m.progress : null;
  const message = await editor.next((m) => matches(progressOf(m)), timeoutMs);
  return progressOf(message) as LessonProgress;
}

/** Sends a lesson request and waits for its answer (`lessonAccepted` or `rejected`). */
async function answer(client: TestClient, request: Record<string, unknown>): Promise<ServerMessage> {
  const id = requestId();
  client.send({ ...request, requestId: id });
  return client.next((m) => (m.type === 'rejected' || m.type === 'lessonAccepted') && m.requestId === id);
}

describe('a lesson through the agent, on the real kernel', () => {
  it('tells a new client the lesson after its welcome', async () => {
    const lesson = await editor.nextOfType('lesson');
    expect(lesson.lesson?.steps.map((s) => s.id)).toEqual(['namespace', 'address']);
    expect(lesson.lesson?.steps[1]?.goals.map((g) => g.text)).toEqual([
      'lo is up in ns1',
      "ns1's lo has 10.0.9.1/32",
      'ns1 reaches 10.0.9.1',
      'this one must fail, and stays red once lo is up',
    ]);
    expect(lesson.progress).toMatchObject({ step: 0, goals: [{ state: 'unmet' }, { state: 'unmet' }] });
  });

  it('turns goals green from what is done by hand, opens the next step, and keeps a must-fail goal red', async () => {
    expect((await harness.sh('root', ['ip', 'netns', 'add', 'ns1'])).exitCode).toBe(0);
    // ns1 exists and, lo being down, its ping of 127.0.0.1 fails: step one is done.
    const opened = await progressUntil(1, ['unmet', 'unmet', 'unmet', 'met']);
    expect(opened.done).toEqual(['namespace']);
    // The step asked for a checkpoint when done: every client is told the list with it.
    const saved = await editor.next(
      (m) => m.type === 'checkpoints' && m.checkpoints.some((c) => c.name === 'lesson-namespace'),
    );
    expect(saved).toBeTruthy();
    expect(opened.goals[2]?.detail).toMatch(/^ns1 → 10\.0\.9\.1: /);

    expect((await harness.sh('ns1', ['ip', 'link', 'set', 'lo', 'up'])).exitCode).toBe(0);
    // lo up: its goal is met, the must-fail goal turns red (127.0.0.1 answers), and the probe
    // of 10.0.9.1 stays red: the address is not there yet.
    const up = await progressUntil(1, ['met', 'unmet', 'unmet', 'unmet']);
    expect(up.goals[3]?.detail).toBe('ns1 → 127.0.0.1: 0% loss');

    expect((await harness.sh('ns1', ['ip', 'addr', 'add', '10.0.9.1/32', 'dev', 'lo'])).exitCode).toBe(0);
    const reached = await progressUntil(1, ['met', 'met', 'met', 'unmet']);
    expect(reached.goals[2]).toEqual({ state: 'met', detail: 'ns1 → 10.0.9.1: 0% loss' });
    expect(reached.complete).toBe(false);
  });

  it('opens a step an editor picks, and refuses one the lesson lacks, naming the field', async () => {
    expect(await answer(editor, { type: 'lessonGoto', step: 'nine' })).toMatchObject({
      type: 'rejected',
      code: 'ERR_INVALID',
      path: 'step',
    });
    const viewer = await harness.viewer();
    await viewer.hello();
    viewer.send({ type: 'lessonGoto', requestId: 'v1', step: 'namespace' });
    expect(await viewer.next((m) => m.type === 'rejected' && m.requestId === 'v1')).toMatchObject({
      code: 'ERR_FORBIDDEN',
    });
    expect(await answer(editor, { type: 'lessonGoto', step: 'namespace' })).toMatchObject({
      type: 'lessonAccepted',
    });
  });

  it('a done step reopened stays open; a reset to the start removes what was made by hand and begins the lesson again', async () => {
    // The step reopened above is done and its goals are met (ns1 is still there): it stays open.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(harness.agent.lessonProgress()).toMatchObject({ step: 0, done: ['namespace'] });

    // The class's reset of a student's lab to its start: the hand-made ns1 goes with the rest.
    const reply = await harness.agent.reset({ document: { schemaVersion: 1 } }, 'trainer', {
      restartLesson: true,
      removeHandMade: true,
    });
    expect(reply).toMatchObject({ type: 'accepted', outcome: { ok: true } });
    expect((await harness.agent.lab.observe()).namespaces.map((n) => n.name)).toEqual(['root']);
    expect(harness.agent.lessonProgress()).toMatchObject({ step: 0, done: [] });
    await progressUntil(0, ['unmet', 'unmet']);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(harness.agent.lessonProgress()).toMatchObject({ step: 0, done: [] });
    // Done again, as the student does it again.
    expect((await harness.sh('root', ['ip', 'netns', 'add', 'ns1'])).exitCode).toBe(0);
    const again = await progressUntil(1, ['unmet', 'unmet', 'unmet', 'met']);
    expect(again.done).toEqual(['namespace']);
  });

  it('loads a built-in lesson for everyone, and refuses one there is not, naming the field', async () => {
    expect(await answer(editor, { type: 'lessonLoad', lesson: 'no-such-lesson' })).toMatchObject({
      type: 'rejected',
      code: 'ERR_INVALID',
      path: 'lesson',
    });
    const viewer = await harness.viewer();
    await viewer.hello();
    await viewer.nextOfType('lesson');
    editor.send({ type: 'lessonLoad', requestId: requestId(), lesson: 'seed-tutorial' });
    const loaded = await viewer.next((m) => m.type === 'lesson' && m.lesson?.id === 'seed-tutorial');
    expect(loaded).toMatchObject({ progress: { lessonId: 'seed-tutorial', step: 0, done: [] } });
  });
});
