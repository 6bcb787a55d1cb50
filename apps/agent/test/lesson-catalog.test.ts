import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  LESSONS_DIR,
  LessonLoadError,
  builtInLessonIds,
  loadLesson,
  readExamples,
} from '../src/core/lesson-catalog';

/** Where lessons are found, and how a bad one is refused (as `serve --lesson` and `lessonLoad` say it). */

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'netcanvas-lessons-'));
  await writeFile(
    path.join(dir, 'ok.lesson.yml'),
    'lesson: ok\ntitle: OK\nsteps:\n  - id: a\n    title: A\n    start: veth-pair\n',
  );
  await writeFile(
    path.join(dir, 'renamed.lesson.yml'),
    'lesson: other\ntitle: X\nsteps:\n  - id: a\n    title: A\n',
  );
  await writeFile(
    path.join(dir, 'bad.lesson.yml'),
    'lesson: bad\ntitle: Bad\nsteps:\n  - id: a\n    title: A\n    goals:\n      - reach: { from: ns9, to: 10.0.0.1 }\n',
  );
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const refusal = async (idOrFile: string, lessons = dir): Promise<string> => {
  const error = await loadLesson(idOrFile, lessons).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(LessonLoadError);
  return (error as Error).message;
};

describe('lesson catalog', () => {
  test('finds the repo’s lessons and examples from its own folder', async () => {
    expect(LESSONS_DIR).toBe(path.resolve(import.meta.dirname, '../../../lessons'));
    expect(await builtInLessonIds()).toContain('seed-tutorial');
    expect(Object.keys(await readExamples())).toContain('router-nat');
    expect((await loadLesson('seed-tutorial')).id).toBe('seed-tutorial');
  });

  test('loads a built-in lesson by id, its start resolved from examples/', async () => {
    const lesson = await loadLesson('ok', dir);
    expect(lesson.steps[0]?.start?.namespaces.map((n) => n.name)).toEqual(['ns0', 'ns1']);
    expect(await builtInLessonIds(dir)).toEqual(['bad', 'ok', 'renamed']);
  });

  test('refuses an unknown id, a file whose id is not its name, and a bad file, with line and field', async () => {
    expect(await refusal('nine')).toMatch(/lesson: no built-in lesson "nine" \(bad, ok, renamed\)/);
    expect(await refusal('Bad Id')).toMatch(/^Bad Id: lesson: an id/);
    expect(await refusal('renamed')).toMatch(
      /line 1: lesson: the file renamed\.lesson\.yml says "lesson: other"/,
    );
    expect(await refusal('bad')).toMatch(
      /line 7: steps\[0\]\.goals\[0\]\.reach\.from: namespace "ns9" is not in this step's lab/,
    );
    expect(await refusal(path.join(dir, 'none.lesson.yml'))).toMatch(/\(file\): no such file/);
  });
});
