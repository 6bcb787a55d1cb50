import type { CheckpointInfo } from '@netcanvas/model';
import { useState } from 'react';
import { useReplaceConfirm } from '../panels/use-replace-confirm';
import { layoutActions } from '../store/layout';
import { uiActions } from '../store/ui';
import { DropMenu, type DropMenuChoice } from '../ui/DropMenu';
import { resetToCheckpoint, useCheckpoints } from './checkpoint-store';
import { SaveCheckpointDialog } from './SaveCheckpointDialog';

const savedAt = (iso: string) => new Date(iso).toLocaleTimeString();
const contents = (c: CheckpointInfo) =>
  `saved ${savedAt(c.savedAt)}: ${c.namespaces} namespaces, ${c.bridges} bridges, ${c.links} links`;

async function reset(name: string): Promise<void> {
  const result = await layoutActions.whileReplacing(() => resetToCheckpoint(name));
  uiActions.notify(result.message, result.ok ? 'info' : 'error');
}

/**
 * Checkpoints (issue 13 §5): save the lab as it is under a name; reset it to a saved one, after the
 * confirmation every replace of the lab asks (the agent converges the kernel in one edit).
 */
export function CheckpointsMenu() {
  const checkpoints = useCheckpoints((s) => s.checkpoints);
  const [saving, setSaving] = useState(false);
  const replace = useReplaceConfirm(
    (name: string) => void reset(name),
    (name) => `checkpoint "${name}"`,
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
  ];
  return (
    <DropMenu label="checkpoints" button="Checkpoints ▾" choices={choices}>
      {saving && <SaveCheckpointDialog onClose={() => setSaving(false)} />}
      {replace.dialog}
    </DropMenu>
  );
}
