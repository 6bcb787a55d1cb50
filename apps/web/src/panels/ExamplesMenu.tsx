import { useState } from 'react';
import { replaceDocumentEdits } from '@netcanvas/model';
import { EXAMPLES, exampleTopology } from '../lib/examples';
import { submitEdits } from '../protocol/edits';
import { documentPositions, layoutActions } from '../store/layout';
import { useSession } from '../store/session';
import { uiActions } from '../store/ui';
import { MenuButton, MenuItem, MenuList } from '../ui/Menu';
import { ReplaceDialog } from './ReplaceDialog';

/** Opens one of examples/: the lab becomes that topology (after a confirmation if it holds anything). */
export function ExamplesMenu() {
  const [open, setOpen] = useState(false);
  const [confirming, setConfirming] = useState<(typeof EXAMPLES)[number] | null>(null);

  const apply = async (example: (typeof EXAMPLES)[number]) => {
    setConfirming(null);
    const next = exampleTopology(example.raw);
    const result = await layoutActions.whileReplacing(() =>
      submitEdits(replaceDocumentEdits(useSession.getState().document, next)),
    );
    // The example's places are the layout's (examples/ are laid out by it): "Lay out new" may move them.
    if (result.ok) layoutActions.markLaidOut(documentPositions(next));
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
      <MenuButton label="examples" open={open} onToggle={() => setOpen((o) => !o)}>
        Examples ▾
      </MenuButton>
      {open && (
        <MenuList label="examples" onClose={() => setOpen(false)}>
          {EXAMPLES.map((ex) => (
            <MenuItem
              key={ex.id}
              label={`open example ${ex.title}`}
              title={ex.title}
              description={ex.description}
              onClick={() => choose(ex)}
            />
          ))}
        </MenuList>
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
