import { useState } from 'react';
import { replaceDocumentEdits } from '../adapters/replace';
import { EXAMPLES, exampleTopology } from '../lib/examples';
import { submitEdits } from '../protocol/edits';
import { useSession } from '../store/session';
import { uiActions } from '../store/ui';
import { Button } from '../ui/Button';
import { ReplaceDialog } from './ReplaceDialog';

/** Opens one of examples/: the lab becomes that topology (after a confirmation if it holds anything). */
export function ExamplesMenu() {
  const [open, setOpen] = useState(false);
  const [confirming, setConfirming] = useState<(typeof EXAMPLES)[number] | null>(null);

  const apply = async (example: (typeof EXAMPLES)[number]) => {
    setConfirming(null);
    const next = exampleTopology(example.raw);
    const result = await submitEdits(replaceDocumentEdits(useSession.getState().document, next));
    if (result.ok) uiActions.requestFit();
    if (result.ok) uiActions.notify(`Opened the ${example.title} example.`);
    else uiActions.notify(`Could not open the example: ${result.message}`, 'error');
  };

  const choose = (example: (typeof EXAMPLES)[number]) => {
    setOpen(false);
    const doc = useSession.getState().document;
    if (doc.namespaces.length + doc.bridges.length === 0) void apply(example);
    else setConfirming(example);
  };

  return (
    <div className="relative">
      <Button
        tone="ghost"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-label="examples"
        onClick={() => setOpen((o) => !o)}
      >
        Examples ▾
      </Button>
      {open && (
        <div
          role="menu"
          aria-label="examples"
          className="absolute right-0 z-40 mt-1 w-80 rounded-lg bg-white p-1 shadow-lg ring-1 ring-slate-200"
          onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}
        >
          {EXAMPLES.map((ex) => (
            <button
              key={ex.id}
              role="menuitem"
              type="button"
              aria-label={`open example ${ex.title}`}
              onClick={() => choose(ex)}
              className="block w-full rounded-md px-3 py-2 text-left hover:bg-slate-100 focus-visible:bg-slate-100 focus-visible:outline-none"
            >
              <span className="block text-sm font-semibold text-slate-900">{ex.title}</span>
              <span className="block text-xs text-slate-500">{ex.description}</span>
            </button>
          ))}
        </div>
      )}
      {confirming && (
        <ReplaceDialog
          what={`the ${confirming.title} example`}
          onConfirm={() => void apply(confirming)}
          onClose={() => setConfirming(null)}
        />
      )}
    </div>
  );
}
