import { checkpointNameProblem } from '@netcanvas/model';
import { useState } from 'react';
import { uiActions } from '../store/ui';
import { Button } from '../ui/Button';
import { Dialog } from '../ui/Dialog';
import { TextField } from '../ui/TextField';
import { saveCheckpoint, useCheckpoints } from './checkpoint-store';

/** "Save as…": a name for the lab as it is now (an existing name is replaced, and the field says so). */
export function SaveCheckpointDialog({ onClose }: { onClose: () => void }) {
  // The list as the store holds it, mapped here: a selector that returned a new array on every
  // call made React re-render without end (error #185) the moment the dialog opened.
  const checkpoints = useCheckpoints((s) => s.checkpoints);
  const taken = checkpoints.map((c) => c.name);
  const [name, setName] = useState(() => `step-${taken.length + 1}`);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const problem = name === '' ? undefined : (checkpointNameProblem(name) ?? undefined);
  const save = async () => {
    setBusy(true);
    const result = await saveCheckpoint(name);
    setBusy(false);
    if (!result.ok) return setError(result.message);
    uiActions.notify(result.message);
    onClose();
  };
  return (
    <Dialog title="Save a checkpoint" onClose={onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <TextField
          label="Name"
          aria-label="checkpoint name"
          value={name}
          maxLength={64}
          onChange={(e) => {
            setName(e.target.value);
            setError(undefined);
          }}
          hint={
            taken.includes(name)
              ? `replaces the checkpoint "${name}"`
              : 'the lab as it is now, kept by the agent'
          }
          error={problem ?? error}
        />
        <div className="mt-4 flex justify-end gap-2">
          <Button onClick={onClose}>Cancel</Button>
          <Button tone="primary" type="submit" disabled={busy || name === '' || problem !== undefined}>
            Save
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
