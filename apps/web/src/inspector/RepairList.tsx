import { useState } from 'react';
import { problemOf } from '../lib/messages';
import { submitEdits, type SubmitOptions } from '../protocol/edits';
import { askBeforeDeleting } from '../store/confirm';
import { useSession } from '../store/session';
import { Button } from '../ui/Button';
import { FieldError } from '../ui/Dialog';
import type { Repair } from './repair';

/**
 * Drift as sentences, each with "Make the kernel match" (the topology's value sent again: the
 * agent converges the kernel, its commands in the log) and "Take the kernel's value" (an edit of
 * the topology, undoable). A viewer reads the sentences only.
 */
export function RepairList({ repairs }: { repairs: readonly Repair[] }) {
  const editable = useSession((s) => s.role === 'editor');
  if (repairs.length === 0) return null;
  return (
    <ul
      aria-label="drift"
      className="mb-2 space-y-2 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-200"
    >
      {repairs.map((r) => (
        <RepairItem key={r.subject} repair={r} editable={editable} />
      ))}
    </ul>
  );
}

function RepairItem({ repair, editable }: { repair: Repair; editable: boolean }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; detail: string | null } | null>(null);
  const { takeKernel } = repair;
  const run = async (edits: Repair['makeKernelMatch'], options: SubmitOptions) => {
    setError(null);
    setBusy(true);
    const result = await submitEdits(edits, options);
    setBusy(false);
    if (!result.ok) setError(problemOf(result));
  };
  const take = async () => {
    if (!('edits' in takeKernel)) return;
    if (takeKernel.removes && !(await askBeforeDeleting(takeKernel.edits))) return;
    await run(takeKernel.edits, { record: true });
  };
  return (
    <li data-drift-subject={repair.subject}>
      <p>⚠ {repair.sentence}</p>
      {editable && (
        <div className="mt-1.5 flex flex-wrap gap-2">
          <Button
            tone="primary"
            aria-label={`Make the kernel match: ${repair.subject}`}
            title="Sends the topology’s value again, with a converge: the agent makes the whole lab match the topology (the commands appear in the log)"
            disabled={busy}
            // Not an undo step (the document does not change); a converge of the whole lab, as an
            // edit alone runs only what it changes.
            onClick={() => void run(repair.makeKernelMatch, { record: false, converge: true })}
          >
            Make the kernel match
          </Button>
          <Button
            aria-label={`Take the kernel’s value: ${repair.subject}`}
            title={
              'edits' in takeKernel
                ? 'Changes the topology to what the kernel has (undoable)'
                : `Not offered: ${takeKernel.why}`
            }
            disabled={busy || !('edits' in takeKernel)}
            onClick={() => void take()}
          >
            Take the kernel’s value
          </Button>
        </div>
      )}
      {editable && !('edits' in takeKernel) && (
        <p className="mt-1 text-xs text-amber-800">The kernel’s value is not offered: {takeKernel.why}.</p>
      )}
      <FieldError message={error?.message ?? null} detail={error?.detail ?? null} />
    </li>
  );
}
