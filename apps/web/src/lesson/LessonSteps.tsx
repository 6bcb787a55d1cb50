import type { LessonProgress, LessonView } from '@netcanvas/model';
import { useSession } from '../store/session';
import { lessonActions } from './lesson-store';
import { stepStandings, type StepStanding } from './lesson-steps';

const MARK: Record<StepStanding, { mark: string; word: string; className: string }> = {
  done: { mark: '✓', word: 'done', className: 'text-emerald-800' },
  current: {
    mark: '▶',
    word: 'open',
    className: 'font-semibold text-slate-900 bg-fuchsia-50 ring-1 ring-fuchsia-300',
  },
  skipped: { mark: '○', word: 'skipped', className: 'text-slate-600' },
  locked: { mark: '🔒', word: 'locked', className: 'text-slate-500' },
};

/** The lesson's steps, each with where it stands; an editor opens any of them with a click. */
export function LessonSteps({ lesson, progress }: { lesson: LessonView; progress: LessonProgress | null }) {
  const editable = useSession((s) => s.role === 'editor');
  const standings = stepStandings(lesson, progress);
  return (
    <ol aria-label="steps" className="space-y-0.5">
      {lesson.steps.map((step, i) => {
        const standing = standings[i] ?? 'locked';
        const look = MARK[standing];
        const label = `step ${i + 1}: ${step.title} (${look.word})`;
        const body = (
          <>
            <span aria-hidden className="w-6 shrink-0 text-center">
              {look.mark}
            </span>
            <span className="min-w-0 truncate">
              {i + 1}. {step.title}
            </span>
          </>
        );
        return (
          <li key={step.id} data-standing={standing}>
            {editable && standing !== 'current' ? (
              <button
                type="button"
                aria-label={label}
                title={`open this step${step.resets ? ' (its start replaces the lab)' : ''}`}
                onClick={() => lessonActions.goto(step.id)}
                className={`flex w-full items-center gap-1 rounded px-1 py-0.5 text-left hover:bg-slate-100 ${look.className}`}
              >
                {body}
              </button>
            ) : (
              <div
                aria-label={label}
                className={`flex items-center gap-1 rounded px-1 py-0.5 ${look.className}`}
              >
                {body}
              </div>
            )}
          </li>
        );
      })}
    </ol>
  );
}
