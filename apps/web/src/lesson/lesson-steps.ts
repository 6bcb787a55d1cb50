import { allMet, type LessonProgress, type LessonView } from '@netcanvas/model';

/**
 * Where each step of a lesson stands for the panel, from the agent's progress: `done` (its goals
 * were all met), `current` (the open one), `skipped` (before the open one, never done: an editor
 * went past it) or `locked` (after the open one, not done yet).
 */
export type StepStanding = 'done' | 'current' | 'skipped' | 'locked';

export function stepStandings(lesson: LessonView, progress: LessonProgress | null): StepStanding[] {
  const open = progress?.lessonId === lesson.id ? progress.step : 0;
  const done = new Set(progress?.lessonId === lesson.id ? progress.done : []);
  return lesson.steps.map((step, i) => {
    if (i === open) return 'current';
    if (done.has(step.id)) return 'done';
    return i < open ? 'skipped' : 'locked';
  });
}

/**
 * The step "Next" opens, or null: only once the open step is done (every goal met, or a step
 * without goals, which waits for an editor), and never past the last.
 */
export function nextStep(lesson: LessonView, progress: LessonProgress | null): string | null {
  if (!progress || progress.lessonId !== lesson.id) return null;
  const open = lesson.steps[progress.step];
  const next = lesson.steps[progress.step + 1];
  if (!open || !next) return null;
  const finished = open.goals.length === 0 || allMet(progress.goals) || progress.done.includes(open.id);
  return finished ? next.id : null;
}
