import { shellQuote, type CommandRecord } from '@netcanvas/model';
import { memo, useEffect, useRef } from 'react';
import { formatTime } from '../lib/format';
import { logToScript } from '../lib/script';
import { useSession } from '../store/session';
import { uiActions } from '../store/ui';
import { Button } from '../ui/Button';
import { plural } from '../lib/plural';
import { usePanel } from './use-panel';

/**
 * Every command the agent ran, as it ran: when, who asked, where, the command, and how it ended.
 * A bar with the count (and, folded, the last command) that takes room for its list only when
 * there is something to list; folded or open is remembered (../store/panels.ts).
 */
export function CommandLog() {
  const log = useSession((s) => s.log);
  const me = useSession((s) => s.clientId);
  const { open, toggle } = usePanel('log');
  const list = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const last = log.at(-1);

  useEffect(() => {
    const el = list.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [log, open]);

  const copy = () => {
    const script = logToScript(log, useSession.getState().lab?.name ?? 'lab');
    void navigator.clipboard?.writeText(script).catch(() => undefined);
    uiActions.showScript(script);
  };

  return (
    <section
      aria-label="command log"
      // Squeezed under the canvas (App's Docked), it keeps its bar and three lines or so.
      className={`flex flex-col overflow-hidden border-t border-slate-200 bg-white ${open && log.length > 0 ? 'min-h-24' : 'shrink-0'}`}
    >
      <div className="flex h-8 shrink-0 items-center gap-3 px-4">
        <h2 className="shrink-0 text-sm font-semibold text-slate-800">Command log</h2>
        <span className="shrink-0 text-xs text-slate-600" data-testid="log-count">
          {plural(log.length, 'command')}
        </span>
        {log.length === 0 ? (
          <span className="min-w-0 truncate text-xs text-slate-600">
            Every change on the canvas runs real commands; they appear here as they run.
          </span>
        ) : (
          !open &&
          last && (
            <span className="min-w-0 truncate font-mono text-xs text-slate-800" aria-label="last command">
              {shellQuote(last.argv)}
            </span>
          )
        )}
        <div className="ml-auto flex shrink-0 gap-2">
          <Button
            aria-label="copy as shell script"
            disabled={log.length === 0}
            onClick={copy}
            className="!py-0.5"
          >
            Copy as shell script
          </Button>
          <Button
            tone="ghost"
            aria-label={open ? 'hide command log' : 'show command log'}
            aria-expanded={open}
            onClick={toggle}
            className="!py-0.5"
          >
            {open ? 'Hide' : 'Show'}
          </Button>
        </div>
      </div>
      {open && log.length > 0 && (
        // The log is a live region holding a list (role="log" on the <ol> itself would unmake the
        // list its <li>s need); it scrolls, so it takes the focus to be scrolled by keyboard.
        <div
          ref={list}
          role="log"
          aria-label="commands"
          tabIndex={0}
          onScroll={(e) => {
            const el = e.currentTarget;
            stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
          }}
          className="h-[min(11rem,16vh)] min-h-16 overflow-y-auto border-t border-slate-100 px-4 py-1 font-mono text-[13px] focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-sky-600"
        >
          <ol>
            {log.map((record, i) => (
              <LogLine key={`${record.at}-${i}`} record={record} mine={record.by === me} />
            ))}
          </ol>
        </div>
      )}
    </section>
  );
}

const LogLine = memo(function LogLine({ record, mine }: { record: CommandRecord; mine: boolean }) {
  const ok = record.exitCode === 0;
  return (
    <li
      data-exit-code={record.exitCode}
      className={`flex items-baseline gap-3 border-b border-slate-50 py-1 ${ok ? '' : 'bg-red-50'}`}
    >
      <span className="shrink-0 text-slate-500">{formatTime(record.at)}</span>
      <span className="w-20 shrink-0 truncate text-slate-500" title={`asked by ${record.by}`}>
        {mine ? 'you' : record.by}
      </span>
      <span className="min-w-0 flex-1">
        <span className="break-all text-slate-900" data-testid="command">
          {shellQuote(record.argv)}
        </span>
        {record.brctl && (
          // brctl ≡ ip: older material (the seed tutorial) says it with brctl.
          <span
            className="ml-2 text-slate-600"
            data-testid="brctl"
            title="the same, with brctl (bridge-utils)"
          >
            ≡ {record.brctl}
          </span>
        )}
        <span className="ml-2 font-sans text-xs text-slate-500">{record.reason}</span>
        {!ok && record.stderr && (
          <span className="block whitespace-pre-wrap text-red-700">{record.stderr.trim()}</span>
        )}
      </span>
      <span
        className={`shrink-0 font-sans text-xs font-semibold ${ok ? 'text-emerald-700' : 'text-red-700'}`}
        aria-label={`exit code ${record.exitCode}`}
      >
        {ok ? '✓ 0' : `✗ ${record.exitCode}`}
      </span>
      <span className="w-16 shrink-0 text-right font-sans text-xs text-slate-500">
        {Math.round(record.durationMs)} ms
      </span>
    </li>
  );
});
