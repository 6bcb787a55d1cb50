import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeLessonIssue, parseLesson, type GoalCheck, type Lesson } from '../src';

// The built-in lessons (the repo's `lessons/`), read as the agent reads them: every file must
// parse, with the examples a step's `start` may name, so a broken lesson fails `pnpm test`.

const repo = path.resolve(import.meta.dirname, '../../..');
const examples = Object.fromEntries(
  readdirSync(path.join(repo, 'examples'))
    .filter((f) => f.endsWith('.json'))
    .map((f) => [
      f.slice(0, -'.json'.length),
      JSON.parse(readFileSync(path.join(repo, 'examples', f), 'utf8')),
    ]),
);
const files = readdirSync(path.join(repo, 'lessons')).filter((f) => f.endsWith('.lesson.yml'));

function read(file: string): Lesson {
  const parsed = parseLesson(readFileSync(path.join(repo, 'lessons', file), 'utf8'), { examples });
  if (!parsed.ok) throw new Error(`${file}:\n${parsed.issues.map(describeLessonIssue).join('\n')}`);
  return parsed.lesson;
}

const kinds = (check: GoalCheck): string[] =>
  check.kind === 'all' || check.kind === 'any'
    ? check.goals.flatMap(kinds)
    : check.kind === 'not'
      ? kinds(check.goal)
      : [check.kind];

describe('the built-in lessons', () => {
  it('are the seed tutorial and two more', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'seed-tutorial.lesson.yml',
        'fix-the-network.lesson.yml',
        'router-firewall.lesson.yml',
      ]),
    );
  });

  it.each(files)(
    '%s parses, its id is its file name, and every step that has goals is checked by the kernel',
    (file) => {
      const lesson = read(file);
      expect(`${lesson.id}.lesson.yml`).toBe(file);
      // A lesson opens on a lab it knows: its first step says where it starts.
      expect(lesson.steps[0]?.start).not.toBeNull();
      for (const step of lesson.steps) expect(step.goals.length, step.id).toBeGreaterThan(0);
    },
  );

  it('the seed tutorial follows its chapters, and its loopback ping is a real probe', () => {
    const seed = read('seed-tutorial.lesson.yml');
    expect(seed.steps.map((s) => s.id)).toEqual([
      'namespace',
      'loopback',
      'veth-pair',
      'veth-peer',
      'bridge',
      'iptables',
      'nat',
    ]);
    const goalKinds = (id: string) =>
      seed.steps.find((s) => s.id === id)!.goals.flatMap((g) => kinds(g.check));
    expect(goalKinds('loopback')).toEqual(['interfaceUp', 'reach']);
    expect(goalKinds('veth-peer')).toEqual(['vethPeer', 'vethPeer']);
    expect(goalKinds('bridge')).toContain('learnedMacs');
    expect(goalKinds('nat')).toContain('sourceSeen');
    // brctl ≡ ip: the bridge chapter says both forms.
    const bridge = seed.steps.find((s) => s.id === 'bridge')!.text;
    expect(bridge).toContain('brctl addbr br0          # ≡ ip link add br0 type bridge');
    expect(bridge).toContain('brctl addif br0 eth0     # ≡ ip link set dev eth0 master br0');
  });
});
