import { useState } from 'react';
import { ReplaceDialog } from '../panels/ReplaceDialog';
import { layoutActions } from '../store/layout';
import { uiActions } from '../store/ui';
import { MenuButton, MenuItem, MenuList } from '../ui/Menu';
import { resetToCheckpoint, useCheckpoints } from './checkpoint-store';
import { SaveCheckpointDialog } from './SaveCheckpointDialog';

const savedAt = (iso: string) => new Date(iso).toLocaleTimeString();

/**
 * Checkpoints (issue 13 §5): save the lab as it is under a name; reset it to a saved one, after the
 * confirmation every replace of the lab asks (the agent converges the kernel in one edit).
 */
export function CheckpointsMenu() {
  const checkpoints = useCheckpoints((s) => s.checkpoints);
  const [open, setOpen] = useState(false);
  const [saving, setSaving] = useState(false);
  const [confirming, setConfirming] = useState<string | null>(null);

  const reset = async (name: string) => {
    setConfirming(null);
    const result = await layoutActions.whileReplacing(() => resetToCheckpoint(name));
    uiActions.notify(result.message, result.ok ? 'info' : 'error');
  };

  return (
    <div className="relative">
      <MenuButton label="checkpoints" open={open} onToggle={() => setOpen((o) => !o)}>
        Checkpoints ▾
      </MenuButton>
      {open && (
        <MenuList label="checkpoints" onClose={() => setOpen(false)}>
          <MenuItem
            label="save a checkpoint"
            title="Save as…"
            description="keep the lab as it is now, to come back to it"
            onClick={() => {
              setOpen(false);
              setSaving(true);
            }}
          />
          {checkpoints.map((c) => (
            <MenuItem
              key={c.name}
              label={`reset to checkpoint ${c.name}`}
              title={`Reset to ${c.name}`}
              description={`saved ${savedAt(c.savedAt)}: ${c.namespaces} namespaces, ${c.bridges} bridges, ${c.links} links`}
              onClick={() => {
                setOpen(false);
                setConfirming(c.name);
              }}
            />
          ))}
        </MenuList>
      )}
      {saving && <SaveCheckpointDialog onClose={() => setSaving(false)} />}
      {confirming && (
        <ReplaceDialog
          what={`checkpoint "${confirming}"`}
          onConfirm={() => void reset(confirming)}
          onClose={() => setConfirming(null)}
        />
      )}
    </div>
  );
}
