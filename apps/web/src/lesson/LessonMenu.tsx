import { useReplaceConfirm } from '../panels/use-replace-confirm';
import { DropMenu } from '../ui/DropMenu';
import { builtInLessons, type BuiltInLesson } from './built-in-lessons';
import { lessonActions, useLesson } from './lesson-store';

/**
 * Editors pick a built-in lesson here (the top bar's "Lessons ▾"). Its first step's start
 * replaces the lab, so a lab that holds anything asks first, as opening an example does.
 */
export function LessonMenu() {
  const current = useLesson((s) => s.lesson?.id ?? null);
  const replace = useReplaceConfirm(
    (lesson: BuiltInLesson) => lessonActions.load(lesson.id),
    (lesson) => `the lesson “${lesson.title}”`,
  );
  return (
    <DropMenu
      label="lessons"
      button="Lessons ▾"
      // A function: the lessons are parsed when the menu first opens (./built-in-lessons.ts).
      choices={() =>
        builtInLessons().map((lesson) => ({
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
