import { useSession } from '../store/session';
import { Button } from '../ui/Button';
import { Dialog } from '../ui/Dialog';

/** Replacing the lab's topology removes what is there: say so before doing it. */
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
    <Dialog title={`Replace the lab with ${what}?`} onClose={onClose}>
      <p className="text-sm text-slate-600">
        The lab now has {doc.namespaces.length} namespace(s), {doc.bridges.length} bridge(s) and{' '}
        {doc.links.length} veth pair(s). Whatever the new topology does not have is removed from the kernel.
      </p>
      <div className="mt-4 flex justify-end gap-2">
        <Button onClick={onClose}>Cancel</Button>
        <Button tone="primary" onClick={onConfirm}>
          Replace
        </Button>
      </div>
    </Dialog>
  );
}
