import { labContents } from '@netcanvas/model';
import { DestructiveDialog } from '../dialogs/DestructiveDialog';
import { useSession } from '../store/session';

/**
 * Replacing the lab's topology removes what is there: say what (`removes`, when the new topology's
 * names are known: a checkpoint's; else the whole lab), and offer to export it first.
 */
export function ReplaceDialog({
  what,
  removes,
  onConfirm,
  onClose,
}: {
  what: string;
  removes?: string[];
  onConfirm: () => void;
  onClose: () => void;
}) {
  const doc = useSession((s) => s.document);
  const items =
    removes === undefined
      ? [`the lab's ${labContents(doc)}`]
      : removes.length > 0
        ? removes
        : ['nothing the lab has: the checkpoint has every namespace, bridge and veth pair of it'];
  return (
    <DestructiveDialog
      title={`Replace the lab with ${what}?`}
      items={items}
      note={
        removes === undefined
          ? 'Whatever the new topology does not have is removed from the kernel.'
          : 'These are removed from the kernel; what both have is set as the checkpoint has it.'
      }
      confirmLabel="Replace"
      onConfirm={onConfirm}
      onClose={onClose}
    />
  );
}
