import { labContents, resetRemoves, type CheckpointInfo } from '@netcanvas/model';
import { useState } from 'react';
import { DestructiveDialog } from '../dialogs/DestructiveDialog';
import { useReplaceConfirm } from '../panels/use-replace-confirm';
import { layoutActions } from '../store/layout';
import { useSession } from '../store/session';
import { uiActions } from '../store/ui';
import { DropMenu, type DropMenuChoice } from '../ui/DropMenu';
import {
  checkpointContents as contents,
  deleteCheckpoint,
  resetToCheckpoint,
  useCheckpoints,
} from './checkpoint-store';
import { SaveCheckpointDialog } from './SaveCheckpointDialog';

async function reset(name: string): Promise<void> {
  const result = await layoutActions.whileReplacing(() => resetToCheckpoint(name));
  uiActions.notify(result.message, result.ok ? 'info' : 'error');
}

async function forget(name: string): Promise<void> {
  const result = await deleteCheckpoint(name);
  uiActions.notify(result.message, result.ok ? 'info' : 'error');
}

/**
 * Checkpoints (issue 13 §5): save the lab as it is under a name; reset it to a saved one, after the
 * confirmation every replace of the lab asks (the agent converges the kernel in one edit); delete
 * one, after a confirmation (the lab is not changed).
 */
export function CheckpointsMenu() {
  const checkpoints = useCheckpoints((s) => s.checkpoints);
  const [saving, setSaving] = useState(false);
  const [deleting, setDeleting] = useState<CheckpointInfo | null>(null);
  const replace = useReplaceConfirm(
    (name: string) => void reset(name),
    (name) => `checkpoint "${name}"`,
    (name) => {
      const holds = checkpoints.find((c) => c.name === name)?.holds;
      return holds
        ? resetRemoves(useSession.getState().document, holds)
        : [`the lab's ${labContents(useSession.getState().document)}`];
    },
  );
  const choices: DropMenuChoice[] = [
    {
      key: 'save',
      label: 'save a checkpoint',
      title: 'Save as…',
      description: 'keep the lab as it is now, to come back to it',
      onChoose: () => setSaving(true),
    },
    ...checkpoints.map((c) => ({
      key: `reset ${c.name}`,
      label: `reset to checkpoint ${c.name}`,
      title: `Reset to ${c.name}`,
      description: contents(c),
      onChoose: () => replace.confirm(c.name),
    })),
    ...checkpoints.map((c) => ({
      key: `delete ${c.name}`,
      label: `delete checkpoint ${c.name}`,
      title: `Delete ${c.name}`,
      description: 'forget this checkpoint (the lab stays as it is)',
      onChoose: () => setDeleting(c),
    })),
  ];
  return (
    <DropMenu label="checkpoints" button="Checkpoints ▾" choices={choices}>
      {saving && <SaveCheckpointDialog onClose={() => setSaving(false)} />}
      {replace.dialog}
      {deleting && (
        <DestructiveDialog
          title={`Delete checkpoint "${deleting.name}"?`}
          items={[`checkpoint ${deleting.name}, ${contents(deleting)}`]}
          note="The lab stays as it is; a reset to this checkpoint is no longer possible."
          confirmLabel="Delete"
          onConfirm={() => {
            setDeleting(null);
            void forget(deleting.name);
          }}
          onClose={() => setDeleting(null)}
        />
      )}
    </DropMenu>
  );
}
