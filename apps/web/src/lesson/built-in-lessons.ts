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

/** The seed tutorial first, then the others by title. */
export const BUILT_IN_LESSONS: readonly BuiltInLesson[] = Object.values(files)
  .flatMap((text) => {
    const parsed = parseLesson(text, { examples });
    if (!parsed.ok) return [];
    const { id, title, summary, steps } = parsed.lesson;
    return [{ id, title, summary, steps: steps.length }];
  })
  .sort(
    (a, b) =>
      Number(b.id === 'seed-tutorial') - Number(a.id === 'seed-tutorial') || a.title.localeCompare(b.title),
  );
