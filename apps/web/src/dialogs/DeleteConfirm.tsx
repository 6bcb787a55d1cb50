import { useConfirm } from '../store/confirm';
import { DestructiveDialog } from './DestructiveDialog';

/** The question `askBeforeDeleting` asks, when it asks one. */
export function DeleteConfirm() {
  const question = useConfirm((s) => s.question);
  if (!question) return null;
  return (
    <DestructiveDialog
      title={question.title}
      items={question.items}
      note="They are removed from the kernel too. Undo (Ctrl+Z) brings them back, addresses and all."
      confirmLabel="Delete"
      onConfirm={() => question.answer(true)}
      onClose={() => question.answer(false)}
    />
  );
}
