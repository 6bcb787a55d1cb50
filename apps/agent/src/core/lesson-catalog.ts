import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import {
  LessonId,
  MAX_LESSON_BYTES,
  describeLessonIssue,
  parseLesson,
  type Lesson,
  type LessonIssue,
} from '@netcanvas/model';

/**
 * Where lessons come from: the built-in ones in the repo's `lessons/` (`<id>.lesson.yml`), or a
 * file named by `serve --lesson FILE`. A step's `start` may name one of the repo's `examples/`
 * (`router-nat` for examples/router-nat.json). Both folders are found from this source's own
 * folder, as serve.ts finds apps/web/dist: the bundled command line rewrites `import.meta.dirname`
 * to this file's folder (scripts/build-cli.mjs), so tsx and the bundle find the same folders.
 */

const REPO = path.resolve(import.meta.dirname, '../../../..');
export const LESSONS_DIR = path.join(REPO, 'lessons');
export const EXAMPLES_DIR = path.join(REPO, 'examples');
const LESSON_SUFFIX = '.lesson.yml';

/** A lesson that cannot be loaded: which, and every issue (`line 14: steps[2]...`). */
export class LessonLoadError extends Error {
  constructor(
    readonly source: string,
    readonly issues: readonly LessonIssue[],
    /** The field of the request at fault (`lesson`), for a refusal on the wire. */
    readonly field = 'lesson',
  ) {
    super(`${source}: ${issues.map(describeLessonIssue).join('\n  ')}`);
  }
}

/** The examples a step's `start` may name: each `examples/*.json`, by its name without `.json`. */
export async function readExamples(dir = EXAMPLES_DIR): Promise<Record<string, unknown>> {
  const examples: Record<string, unknown> = {};
  for (const file of await readdir(dir).catch(() => [] as string[])) {
    if (!file.endsWith('.json')) continue;
    try {
      examples[file.slice(0, -'.json'.length)] = JSON.parse(await readFile(path.join(dir, file), 'utf8'));
    } catch {
      // A damaged example is not offered: a lesson naming it is refused, naming it.
    }
  }
  return examples;
}

/** The built-in lessons' ids (`lessons/*.lesson.yml`), sorted. */
export async function builtInLessonIds(dir = LESSONS_DIR): Promise<string[]> {
  const files = await readdir(dir).catch(() => [] as string[]);
  return files
    .filter((f) => f.endsWith(LESSON_SUFFIX))
    .map((f) => f.slice(0, -LESSON_SUFFIX.length))
    .sort();
}

/** Reads and checks a lesson file; a LessonLoadError with every issue when it is wrong. */
export async function readLessonFile(file: string, examples?: Record<string, unknown>): Promise<Lesson> {
  const size = await stat(file).then(
    (s) => s.size,
    () => null,
  );
  if (size === null) throw new LessonLoadError(file, [{ line: 0, path: '(file)', message: 'no such file' }]);
  if (size > MAX_LESSON_BYTES)
    throw new LessonLoadError(file, [
      { line: 0, path: '(file)', message: `${size} bytes, at most ${MAX_LESSON_BYTES}` },
    ]);
  const parsed = parseLesson(await readFile(file, 'utf8'), { examples: examples ?? (await readExamples()) });
  if (!parsed.ok) throw new LessonLoadError(file, parsed.issues);
  return parsed.lesson;
}

/**
 * A built-in lesson by id (`lessons/<id>.lesson.yml`, whose `lesson:` must be that id), or, for
 * `serve --lesson`, a path to a lesson file (anything with a "/" or ending in `.yml`).
 */
export async function loadLesson(idOrFile: string, dir = LESSONS_DIR): Promise<Lesson> {
  if (idOrFile.includes('/') || idOrFile.endsWith('.yml')) return readLessonFile(idOrFile);
  const id = LessonId.safeParse(idOrFile);
  if (!id.success)
    throw new LessonLoadError(idOrFile, [
      { line: 0, path: 'lesson', message: id.error.issues[0]?.message ?? 'not an id' },
    ]);
  const known = await builtInLessonIds(dir);
  if (!known.includes(id.data))
    throw new LessonLoadError(idOrFile, [
      {
        line: 0,
        path: 'lesson',
        message: `no built-in lesson "${id.data}" (${known.join(', ') || `none in ${dir}`})`,
      },
    ]);
  const lesson = await readLessonFile(path.join(dir, `${id.data}${LESSON_SUFFIX}`));
  if (lesson.id !== id.data)
    throw new LessonLoadError(idOrFile, [
      { line: 1, path: 'lesson', message: `the file ${id.data}${LESSON_SUFFIX} says "lesson: ${lesson.id}"` },
    ]);
  return lesson;
}
