import { replaceDocumentEdits } from '@netcanvas/model';
import { EXAMPLES, exampleTopology } from '../lib/examples';
import { submitEdits } from '../protocol/edits';
import { historyActions } from '../store/history';
import { documentPositions, layoutActions } from '../store/layout';
import { useSession } from '../store/session';
import { uiActions } from '../store/ui';
import { DropMenu } from '../ui/DropMenu';
import { useReplaceConfirm } from './use-replace-confirm';

type Example = (typeof EXAMPLES)[number];

async function openExample(example: Example): Promise<void> {
  const next = exampleTopology(example.raw);
  const result = await layoutActions.whileReplacing(() =>
    submitEdits(replaceDocumentEdits(useSession.getState().document, next), { record: false }),
  );
  // The whole document was replaced: the steps before name what is gone (store/history.ts).
  if (result.ok) historyActions.replaced(`the ${example.title} example was opened`);
  // The example's places are the layout's (examples/ are laid out by it): "Lay out new" may move them.
  if (result.ok) layoutActions.markLaidOut(documentPositions(next));
  if (result.ok) uiActions.requestFit();
  if (result.ok) uiActions.notify(`Opened the ${example.title} example.`);
  else uiActions.notify(`Could not open the example: ${result.message}`, 'error');
}

/** Opens one of examples/: the lab becomes that topology (after a confirmation if it holds anything). */
export function ExamplesMenu() {
  const replace = useReplaceConfirm(
    (example: Example) => void openExample(example),
    (example) => `the ${example.title} example`,
  );
  return (
    <DropMenu
      label="examples"
      button="Examples ▾"
      choices={EXAMPLES.map((ex) => ({
        key: ex.id,
        label: `open example ${ex.title}`,
        title: ex.title,
        description: ex.description,
        onChoose: () => replace.ask(ex),
      }))}
    >
      {replace.dialog}
    </DropMenu>
  );
}
