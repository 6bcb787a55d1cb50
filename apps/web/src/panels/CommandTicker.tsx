import { shellQuote } from '@netcanvas/model';
import type { CSSProperties } from 'react';
import { useSession } from '../store/session';

/**
 * The presenter view's log: the last command the agent ran, one line in type read from the back of
 * a room (as large as fits the window's width, up to 28 px; wrapped only when even 18 px cannot
 * hold it), with how it ended. Every action still shows the exact command it ran.
 */
export function CommandTicker() {
  const last = useSession((s) => s.log.at(-1));
  if (!last) return null;
  const command = shellQuote(last.argv);
  const ok = last.exitCode === 0;
  const style = { '--nc-chars': command.length + 4 } as CSSProperties;
  return (
    <div
      role="status"
      aria-label="last command"
      className="absolute bottom-3 left-16 right-3 z-10 flex items-baseline gap-3 rounded-lg bg-white/95 px-4 py-2 shadow-md ring-1 ring-slate-400"
    >
      <span
        className={`shrink-0 text-xl font-bold ${ok ? 'text-emerald-800' : 'text-red-800'}`}
        aria-label={`exit code ${last.exitCode}`}
      >
        {ok ? '✓' : `✗ ${last.exitCode}`}
      </span>
      <code className="nc-ticker min-w-0 break-all font-mono font-semibold text-slate-950" style={style}>
        {command}
      </code>
    </div>
  );
}
