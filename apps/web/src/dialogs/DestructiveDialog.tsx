import { downloadTopology } from '../lib/export-file';
import { Button } from '../ui/Button';
import { Dialog } from '../ui/Dialog';

/**
 * The one question before something that takes more than one click to make again: what goes,
 * named ("ns1 and its 2 links: veth0 ⇄ br0, …"), and "Export first" (the topology file, then
 * the choice is still open). Escape, or a click outside, cancels.
 */
export function DestructiveDialog({
  title,
  items,
  note,
  confirmLabel,
  onConfirm,
  onClose,
}: {
  title: string;
  items: readonly string[];
  note: string;
  confirmLabel: string;
  onConfirm: () => void;
  onClose: () => void;
}) {
  return (
    <Dialog title={title} onClose={onClose}>
      <ul aria-label="what goes" className="list-disc space-y-1 pl-5 text-sm text-slate-800">
        {items.map((item) => (
          <li key={item} className="font-mono text-[13px]">
            {item}
          </li>
        ))}
      </ul>
      <p className="mt-3 text-sm text-slate-600">{note}</p>
      <div className="mt-4 flex items-center gap-2">
        <Button tone="ghost" aria-label="export first" onClick={downloadTopology}>
          Export first
        </Button>
        <span className="ml-auto" />
        <Button onClick={onClose}>Cancel</Button>
        <Button tone="danger" onClick={onConfirm}>
          {confirmLabel}
        </Button>
      </div>
    </Dialog>
  );
}
