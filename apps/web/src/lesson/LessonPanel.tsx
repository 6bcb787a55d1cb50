import type { LessonProgress, LessonView } from '@netcanvas/model';
import { Suspense, useState } from 'react';
import { FoldButton } from '../panels/FoldButton';
import { useSession } from '../store/session';
import { useUi } from '../store/ui';
import { Button } from '../ui/Button';
import { lazyPart } from '../ui/lazy-part';
import { LessonGoals } from './LessonGoals';
import { LessonSteps } from './LessonSteps';
import { lessonActions, useLesson } from './lesson-store';
import { nextStep } from './lesson-steps';

// The Markdown stack (react-markdown, micromark, mdast, hast) is a chunk of its own, fetched when a
// lesson's step is first shown: most pages have no lesson.
const LessonMarkdown = lazyPart("the step's text", () =>
  import('./LessonMarkdown').then((m) => m.LessonMarkdown),
);

/**
 * The lesson beside the canvas (issue 13 §2): its steps (done, open, locked), the open step's
 * text and its goals as the agent judges them, and "Next" once the step is done. Editors may open
 * any step; viewers follow. In the presenter view the type is larger, for the back of the room.
 */
export function LessonPanel() {
  const lesson = useLesson((s) => s.lesson);
  const progress = useLesson((s) => s.progress);
  const present = useUi((s) => s.present);
  const [open, setOpenState] = useState(() => readFolded() !== true);
  const setOpen = (value: boolean) => {
    setOpenState(value);
    rememberFolded(!value);
  };
  if (!lesson) return null;
  if (!open)
    return (
      <aside
        aria-label="lesson"
        className="flex w-12 shrink-0 flex-col items-center gap-2 border-r border-slate-200 bg-white py-2"
      >
        <FoldButton open={false} side="left" panel="lesson" onClick={() => setOpen(true)} />
        <span className="text-sm font-semibold text-slate-800 [writing-mode:vertical-rl]">
          Lesson · step {(progress?.step ?? 0) + 1}/{lesson.steps.length}
        </span>
      </aside>
    );
  return (
    <aside
      aria-label="lesson"
      className={`flex shrink-0 flex-col overflow-hidden border-r border-slate-200 bg-white ${
        present ? 'w-[34rem] text-xl' : 'w-[25rem] text-[15px]'
      }`}
    >
      <header className="flex items-start gap-2 border-b border-slate-200 px-4 py-2">
        <div className="min-w-0 flex-1">
          <h2 className="font-semibold text-slate-900">{lesson.title}</h2>
          <p className="text-[0.85em] text-slate-600" aria-label="lesson progress">
            {progress?.complete
              ? 'Every step done ✓'
              : `Step ${(progress?.step ?? 0) + 1} of ${lesson.steps.length}`}
          </p>
        </div>
        <FoldButton open side="left" panel="lesson" onClick={() => setOpen(false)} />
      </header>
      <div className="min-h-0 flex-1 overflow-y-auto px-4 py-3">
        <LessonSteps lesson={lesson} progress={progress} />
        <OpenStep lesson={lesson} progress={progress} />
      </div>
    </aside>
  );
}

function OpenStep({ lesson, progress }: { lesson: LessonView; progress: LessonProgress | null }) {
  const editable = useSession((s) => s.role === 'editor');
  const refusal = useLesson((s) => s.refusal);
  const index = progress?.step ?? 0;
  const step = lesson.steps[index];
  if (!step) return null;
  const next = nextStep(lesson, progress);
  const last = index === lesson.steps.length - 1;
  return (
    <section aria-label="open step" className="mt-3 border-t border-slate-200 pt-3">
      <h3 className="text-[1.1em] font-semibold text-slate-900">
        {index + 1}. {step.title}
      </h3>
      <Suspense
        fallback={
          <p role="status" className="my-2 text-slate-500">
            Loading the step’s text…
          </p>
        }
      >
        <LessonMarkdown text={step.text} />
      </Suspense>
      <h4 className="mb-1 mt-3 text-[0.8em] font-semibold uppercase tracking-wide text-slate-600">Goals</h4>
      <LessonGoals step={step} statuses={progress?.goals ?? []} />
      {refusal && (
        <p role="alert" className="mt-2 text-[0.9em] text-red-800">
          {refusal}
        </p>
      )}
      {editable && !last && (
        <div className="mt-3 flex items-center gap-3">
          <Button
            tone="primary"
            disabled={next === null}
            onClick={() => next && lessonActions.goto(next)}
            title={next ? 'open the next step' : 'the next step opens when every goal is met'}
          >
            Next step ›
          </Button>
          {next === null && (
            <span className="text-[0.85em] text-slate-600">opens when every goal is met</span>
          )}
        </div>
      )}
      {last && progress?.complete && (
        <p className="mt-3 font-semibold text-emerald-800" role="status">
          Lesson complete ✓
        </p>
      )}
    </section>
  );
}

/** Folded or open is remembered in this browser (as the other panels are), under a key of its own. */
const FOLD_KEY = 'netcanvas.lessonPanelFolded';
function readFolded(): boolean | null {
  try {
    const value = globalThis.localStorage?.getItem(FOLD_KEY);
    return value === 'true' ? true : value === 'false' ? false : null;
  } catch {
    return null;
  }
}
function rememberFolded(folded: boolean): void {
  try {
    globalThis.localStorage?.setItem(FOLD_KEY, String(folded));
  } catch {
    // Storage refused (private mode): the choice lasts this page.
  }
}
