import type { GoalStatus, LessonStepView } from '@netcanvas/model';

/** A goal's state, as a mark and a word (never colour alone: a projector washes colours out). */
const LOOK: Record<GoalStatus['state'], { mark: string; word: string; className: string }> = {
  met: { mark: '✓', word: 'met', className: 'text-emerald-800 bg-emerald-50 ring-emerald-300' },
  unmet: { mark: '✗', word: 'not yet', className: 'text-red-800 bg-red-50 ring-red-200' },
  checking: { mark: '…', word: 'checking', className: 'text-slate-700 bg-slate-50 ring-slate-200' },
  error: { mark: '!', word: 'cannot tell', className: 'text-amber-900 bg-amber-50 ring-amber-300' },
};

/**
 * The open step's goals, each with its state and the agent's detail ("ns0 → 127.0.0.1: Network
 * is unreachable"), as the agent judges them against the kernel: they turn green as it says.
 */
export function LessonGoals({ step, statuses }: { step: LessonStepView; statuses: readonly GoalStatus[] }) {
  if (step.goals.length === 0)
    return <p className="text-slate-600">No goal to check here: move on when you are ready.</p>;
  return (
    <ul aria-label="goals" className="space-y-2">
      {step.goals.map((goal, i) => {
        const status = statuses[i] ?? { state: 'checking', detail: null };
        const look = LOOK[status.state];
        return (
          <li
            key={`${i}-${goal.text}`}
            data-state={status.state}
            aria-label={`goal: ${goal.text} (${look.word})`}
            className={`flex gap-2 rounded-md px-2 py-1.5 ring-1 ${look.className}`}
          >
            <span aria-hidden className="w-5 shrink-0 text-center font-bold">
              {look.mark}
            </span>
            <span className="min-w-0">
              <span className="block font-medium">{goal.text}</span>
              {status.detail && (
                <span className="block break-words text-[0.85em] opacity-90" data-testid="goal-detail">
                  {status.detail}
                </span>
              )}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
