import { TERMINALS_OFF_MESSAGE } from '@netcanvas/model';
import { useSession } from '../store/session';
import { Button } from '../ui/Button';
import { terminalActions, useTerminals } from './terminal-store';

/** A card's small ">_": a terminal in that namespace (editors, when the agent has terminals on). */
export function CardTerminalButton({ namespace }: { namespace: string }) {
  const editor = useSession((s) => s.role === 'editor');
  const enabled = useTerminals((s) => s.enabled);
  if (!editor || !enabled) return null;
  return (
    <button
      type="button"
      className="nodrag nc-text nc-11 shrink-0 rounded bg-slate-800 px-1 py-0.5 font-mono font-semibold leading-none text-white hover:bg-slate-700"
      aria-label={`open a terminal in ${namespace}`}
      title={`a shell in ${namespace}`}
      onClick={(e) => {
        e.stopPropagation();
        terminalActions.open(namespace);
      }}
    >
      &gt;_
    </button>
  );
}

/** The inspector's way to a terminal; when terminals are off, how to turn them on. */
export function TerminalSection({ namespace }: { namespace: string }) {
  const editor = useSession((s) => s.role === 'editor');
  const enabled = useTerminals((s) => s.enabled);
  if (!editor || enabled === null) return null;
  return (
    <section aria-label="terminal" className="border-b border-slate-100 px-4 py-3">
      <h3 className="mb-2 text-xs font-semibold uppercase tracking-wide text-slate-500">Terminal</h3>
      {enabled ? (
        <Button onClick={() => terminalActions.open(namespace)} aria-label={`terminal in ${namespace}`}>
          Open a terminal in {namespace}
        </Button>
      ) : (
        <p className="text-sm text-slate-600">{offText}</p>
      )}
    </section>
  );
}

const offText = TERMINALS_OFF_MESSAGE.replace(/^terminals are off/, 'Terminals are off');
