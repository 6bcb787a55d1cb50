import { labContents } from '@netcanvas/model';
import { DestructiveDialog } from '../dialogs/DestructiveDialog';
import { useSession } from '../store/session';

/** Replacing the lab's topology removes what is there: say what, and offer to export it first. */
export function ReplaceDialog({
  what,
  onConfirm,
  onClose,
}: {
  what: string;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const doc = useSession((s) => s.document);
  return (
    <DestructiveDialog
      title={`Replace the lab with ${what}?`}
      items={[`the lab's ${labContents(doc)}`]}
      note="Whatever the new topology does not have is removed from the kernel."
      confirmLabel="Replace"
      onConfirm={onConfirm}
      onClose={onClose}
    />
  );
}
