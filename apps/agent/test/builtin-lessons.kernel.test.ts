import { afterEach, describe, expect, it } from 'vitest';
import type { GoalState, LessonProgress, ServerMessage } from '@netcanvas/model';
import { loadLesson } from '../src/core/lesson-catalog';
import { startHarness, type AgentHarness } from './agent-fixture';
import type { TestClient } from './helpers/ws-client';

/**
 * The built-in lessons that a student finishes by fixing or adding something (lessons/), on the
 * real kernel through the agent: each goal is red on the lesson's starting lab, and turns green
 * only after the fix a student would type (done here by hand, behind the agent's back). The seed
 * tutorial is done in the browser (e2e/tests/lesson.spec.ts).
 */

let harness: AgentHarness | null = null;
afterEach(async () => {
  await harness?.stop();
  harness = null;
});

async function open(id: string): Promise<{ lab: AgentHarness; client: TestClient }> {
  const lab = await startHarness(id.slice(0, 8), { lesson: await loadLesson(id) });
  harness = lab;
  const client = await lab.editor();
  await client.hello();
  return { lab, client };
}

/** Waits for the open step to be `step` with its goals in these states (and the lesson complete or not). */
async function reaches(
  client: TestClient,
  step: number,
  states: GoalState[],
  complete = false,
): Promise<LessonProgress> {
  const progressOf = (m: ServerMessage) =>
    m.type === 'lessonProgress' || m.type === 'lesson' ? m.progress : null;
  const message = await client.next((m) => {
    const p = progressOf(m);
    return (
      p !== null &&
      p.step === step &&
      p.complete === complete &&
      p.goals.map((g) => g.state).join() === states.join()
    );
  }, 20_000);
  return progressOf(message) as LessonProgress;
}

async function run(lab: AgentHarness, namespace: string, ...argvs: string[][]): Promise<void> {
  for (const argv of argvs) expect((await lab.sh(namespace, argv)).exitCode, argv.join(' ')).toBe(0);
}

describe('the built-in lessons on the real kernel', () => {
  it('fix-the-network: each fault keeps its ping red until it is fixed', async () => {
    const { lab, client } = await open('fix-the-network');
    // The three faults: h1 → r1 (the /28), r1 → srv (eth1 down), h1 → srv (and srv's route).
    await reaches(client, 0, ['unmet', 'unmet', 'unmet']);
    await run(
      lab,
      'r1',
      ['ip', 'addr', 'add', '10.1.0.1/24', 'dev', 'eth0'],
      ['ip', 'addr', 'del', '10.1.0.1/28', 'dev', 'eth0'],
    );
    await reaches(client, 0, ['met', 'unmet', 'unmet']);
    await run(lab, 'r1', ['ip', 'link', 'set', 'eth1', 'up']);
    await reaches(client, 0, ['met', 'met', 'unmet']);
    await run(lab, 'srv', ['ip', 'route', 'add', '10.1.0.0/24', 'via', '10.2.0.1']);
    // All three fixed: the first step is done, and the second reads the fixes back.
    const done = await reaches(client, 1, ['met', 'met', 'met'], true);
    expect(done.done).toEqual(['find-the-faults', 'what-was-wrong']);
  });

  it('router-firewall: h2 is dropped in r1’s FORWARD while h1 still gets through, then the TTL rule', async () => {
    const { lab, client } = await open('router-firewall');
    await reaches(client, 0, ['unmet', 'met', 'met']);
    await run(lab, 'r1', ['iptables', '-A', 'FORWARD', '-s', '10.1.0.12', '-j', 'DROP']);
    await reaches(client, 1, ['unmet', 'met']);
    await run(lab, 'r1', ['iptables', '-t', 'mangle', '-A', 'FORWARD', '-j', 'TTL', '--ttl-set', '10']);
    const done = await reaches(client, 1, ['met', 'met'], true);
    expect(done.done).toEqual(['drop-one-host', 'ttl']);
  });
});
