import { Suspense } from 'react';
import { useSession } from '../store/session';
import { lazyPart } from '../ui/lazy-part';
import { terminalActions, useTerminals, type TerminalTab } from './terminal-store';

// xterm.js is a chunk of its own, fetched when a terminal first shows: most pages never open one.
// What the shell printed meanwhile is kept by the store and handed to the view once it is drawn.
const TerminalView = lazyPart('the terminal', () => import('./TerminalView').then((m) => m.TerminalView));

/**
 * The terminals, docked under the canvas: one tab per terminal (its namespace's name), the active
 * one's xterm below. Shown once there is a tab or something to say; foldable to its tab bar.
 */
export function TerminalPanel() {
  const tabs = useTerminals((s) => s.tabs);
  const active = useTerminals((s) => s.active);
  const folded = useTerminals((s) => s.folded);
  const problem = useTerminals((s) => s.problem);
  const editor = useSession((s) => s.role === 'editor');
  if (tabs.length === 0 && problem === null) return null;
  const shown = tabs.find((t) => t.info.id === active) ?? tabs[0];
  const open = !folded && shown !== undefined;
  // Squeezed under the canvas (App's Docked), it keeps its bar and six lines or so; folded, its bar.
  return (
    <section
      aria-label="terminals"
      className={`flex flex-col overflow-hidden border-t border-slate-300 bg-slate-900 ${open ? 'min-h-36' : 'shrink-0'}`}
    >
      <div role="tablist" className="flex shrink-0 items-center gap-1 bg-slate-800 px-2 py-1 text-sm">
        {tabs.map((tab) => (
          <Tab key={tab.info.id} tab={tab} selected={tab === shown} editor={editor} />
        ))}
        {problem && (
          <span className="ml-2 flex min-w-0 items-center gap-1">
            <span role="alert" className="truncate text-amber-300">
              {problem}
            </span>
            <button
              type="button"
              className="rounded px-1.5 text-slate-400 hover:bg-slate-700 hover:text-white"
              aria-label="dismiss the terminal problem"
              onClick={() => terminalActions.dismissProblem()}
            >
              ×
            </button>
          </span>
        )}
        <button
          type="button"
          className="ml-auto rounded px-2 py-0.5 text-slate-300 hover:bg-slate-700"
          aria-label={folded ? 'show terminals' : 'fold terminals'}
          onClick={() => terminalActions.fold(!folded)}
        >
          {folded ? '▴' : '▾'}
        </button>
      </div>
      {open && (
        // 18rem while there is room; less (xterm refits to its box) when the canvas needs it.
        <div className="h-72 min-h-0">
          <Suspense
            fallback={
              <p role="status" className="p-3 font-mono text-sm text-slate-300">
                Loading the terminal…
              </p>
            }
          >
            <TerminalView key={shown.info.id} tab={shown} editable={editor} />
          </Suspense>
        </div>
      )}
    </section>
  );
}

function Tab({ tab, selected, editor }: { tab: TerminalTab; selected: boolean; editor: boolean }) {
  const { namespace, id } = tab.info;
  const state = tab.ended ? ' (ended)' : editor ? '' : ' (watching)';
  return (
    <span
      className={`flex items-center rounded ${selected ? 'bg-slate-900 text-white' : 'text-slate-300 hover:bg-slate-700'}`}
    >
      <button
        type="button"
        role="tab"
        aria-selected={selected}
        className="px-2 py-0.5 font-mono"
        onClick={() => terminalActions.select(id)}
      >
        {namespace}
        {state}
      </button>
      <button
        type="button"
        className="px-1.5 py-0.5 text-slate-400 hover:text-white"
        aria-label={`close the terminal in ${namespace}`}
        title={tab.ended || !editor ? 'close this tab' : 'end this shell and close its tab'}
        onClick={() => terminalActions.close(id)}
      >
        ×
      </button>
    </span>
  );
}
