import { useState } from 'react';
import { useReplaceConfirm } from '../panels/use-replace-confirm';
import { DropMenu } from '../ui/DropMenu';
import type { BuiltInLesson } from './built-in-lessons';
import { lessonActions, useLesson } from './lesson-store';

/**
 * The built-in lessons' list (./built-in-lessons.ts: the lesson files and the YAML parser, a chunk
 * of its own), fetched and parsed when the menu first opens; an editor's page that never opens it
 * does not parse or compile YAML.
 */
const loadBuiltInLessons = (): Promise<readonly BuiltInLesson[]> =>
  import('./built-in-lessons').then((m) => m.builtInLessons());

/**
 * Editors pick a built-in lesson here (the top bar's "Lessons ▾"). Its first step's start
 * replaces the lab, so a lab that holds anything asks first, as opening an example does.
 */
export function LessonMenu() {
  const current = useLesson((s) => s.lesson?.id ?? null);
  const [lessons, setLessons] = useState<readonly BuiltInLesson[] | 'loading' | 'failed'>('loading');
  const replace = useReplaceConfirm(
    (lesson: BuiltInLesson) => lessonActions.load(lesson.id),
    (lesson) => `the lesson “${lesson.title}”`,
  );
  return (
    <DropMenu
      label="lessons"
      button="Lessons ▾"
      onOpen={() => {
        if (typeof lessons === 'string') loadBuiltInLessons().then(setLessons, () => setLessons('failed'));
      }}
      choices={() =>
        lessons === 'loading'
          ? 'Loading the lessons…'
          : lessons === 'failed'
            ? 'Could not load the lessons: the app may have been rebuilt since this page opened. Reload the page.'
            : lessons.map((lesson) => ({
                key: lesson.id,
                label: `start lesson ${lesson.title}`,
                title: `${lesson.title}${lesson.id === current ? ' (open)' : ''}`,
                description: `${lesson.steps} steps. ${lesson.summary}`,
                onChoose: () => replace.ask(lesson),
              }))
      }
    >
      {replace.dialog}
    </DropMenu>
  );
}
