import { useState } from 'react';
import { CARD_HEADER, CARD_WIDTH } from '../adapters/geometry';
import { proposeNodeName } from '../adapters/names';
import { problemOf, type Problem } from '../lib/messages';
import { submitEdits } from '../protocol/edits';
import { useSession } from '../store/session';
import { uiActions, type NewNodeDraft } from '../store/ui';
import { Button } from '../ui/Button';
import { Dialog, FieldError } from '../ui/Dialog';
import { TextField } from '../ui/TextField';

/** Names a namespace or bridge dropped from the palette (a free name proposed), then asks the agent. */
export function NewNodeDialog({ draft }: { draft: NewNodeDraft }) {
  const [name, setName] = useState(() =>
    proposeNodeName(useSession.getState().document, useSession.getState().observed, draft.kind),
  );
  const [error, setError] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const close = () => uiActions.draftNode(null);
  // The drop point is the card's header centre.
  const position = {
    x: Math.round(draft.position.x - CARD_WIDTH / 2),
    y: Math.round(draft.position.y - CARD_HEADER / 2),
  };

  const create = async () => {
    setBusy(true);
    const result = await submitEdits([
      draft.kind === 'namespace'
        ? { type: 'addNamespace', name: name.trim(), loUp: false, position }
        : { type: 'addBridge', name: name.trim(), position },
    ]);
    setBusy(false);
    if (result.ok) {
      close();
      uiActions.select({ kind: 'node', id: name.trim() });
    } else setError(problemOf(result));
  };

  const what = draft.kind === 'namespace' ? 'namespace' : 'bridge';
  return (
    <Dialog title={`New ${what}`} onClose={close}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void create();
        }}
        className="space-y-3"
      >
        <TextField
          label={`Name of the new ${what}`}
          value={name}
          onChange={(e) => setName(e.target.value)}
          hint={
            draft.kind === 'namespace'
              ? 'ip netns add NAME — its lo starts down, as in the tutorial'
              : 'ip link add NAME type bridge, in the lab’s root'
          }
        />
        <FieldError message={error?.message ?? null} detail={error?.detail ?? null} />
        <div className="flex justify-end gap-2 pt-1">
          <Button onClick={close}>Cancel</Button>
          <Button tone="primary" type="submit" disabled={busy}>
            Create {what}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
