import { uiActions } from '../store/ui';
import { Button } from '../ui/Button';
import { Dialog } from '../ui/Dialog';

/** The command log as a script: copied already when the browser allows, and here to select by hand. */
export function ScriptDialog({ script }: { script: string }) {
  const close = () => uiActions.showScript(null);
  return (
    <Dialog title="The command log as a shell script" onClose={close} wide>
      <p className="mb-2 text-sm text-slate-600">
        Copied to the clipboard (if the browser allowed it). Run it as root.
      </p>
      <textarea
        readOnly
        aria-label="shell script"
        value={script}
        onFocus={(e) => e.currentTarget.select()}
        className="h-80 w-full rounded-md border border-slate-300 bg-slate-50 p-3 font-mono text-[13px] text-slate-900"
      />
      <div className="mt-3 flex justify-end">
        <Button tone="primary" onClick={close}>
          Close
        </Button>
      </div>
    </Dialog>
  );
}
