import { uiActions, useUi } from '../store/ui';

/** Short messages (an edit refused, a command failed): bottom right, announced to screen readers. */
export function Notices() {
  const notices = useUi((s) => s.notices);
  return (
    <div
      aria-live="polite"
      className="pointer-events-none fixed bottom-56 right-4 z-40 flex w-96 flex-col gap-2"
    >
      {notices.map((n) => (
        <div
          key={n.id}
          role={n.tone === 'error' ? 'alert' : 'status'}
          className={`pointer-events-auto flex items-start gap-2 rounded-lg px-3 py-2 text-sm shadow-lg ring-1 ${n.tone === 'error' ? 'bg-red-50 text-red-900 ring-red-200' : 'bg-white text-slate-800 ring-slate-200'}`}
        >
          <span className="flex-1">
            {n.text}
            {n.detail && (
              <span
                data-testid="error-detail"
                className="mt-0.5 block break-words font-mono text-xs opacity-75"
              >
                {n.detail}
              </span>
            )}
          </span>
          <button
            type="button"
            aria-label="dismiss"
            onClick={() => uiActions.dismiss(n.id)}
            className="text-slate-500 hover:text-slate-700"
          >
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
