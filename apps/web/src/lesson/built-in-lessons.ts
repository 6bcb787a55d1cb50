import { parseLesson } from '@netcanvas/model';
import { EXAMPLES } from '../lib/examples';

/**
 * The built-in lessons (the repository's `lessons/*.lesson.yml`), bundled at build time as the
 * examples are: the picker lists them by title. The agent loads the same files by id
 * (`lessonLoad`), and checks them again; a file that does not parse here is not offered.
 */
export interface BuiltInLesson {
  id: string;
  title: string;
  summary: string;
  steps: number;
}

const files = import.meta.glob<string>('../../../../lessons/*.lesson.yml', {
  query: '?raw',
  import: 'default',
  eager: true,
});

const examples = Object.fromEntries(EXAMPLES.map((e) => [e.id, e.raw]));

let parsed: readonly BuiltInLesson[] | undefined;

/**
 * The seed tutorial first, then the others by title. Parsed (YAML, then the model's checks) on the
 * first ask, when the Lessons menu opens, not as the page loads: every page, a viewer's and a
 * student's too, paid ~0.2 s of its load for a menu most never open (docs/testing.md, session 10).
 */
export function builtInLessons(): readonly BuiltInLesson[] {
  parsed ??= Object.values(files)
    .flatMap((text) => {
      const result = parseLesson(text, { examples });
      if (!result.ok) return [];
      const { id, title, summary, steps } = result.lesson;
      return [{ id, title, summary, steps: steps.length }];
    })
    .sort(
      (a, b) =>
        Number(b.id === 'seed-tutorial') - Number(a.id === 'seed-tutorial') || a.title.localeCompare(b.title),
    );
  return parsed;
}
