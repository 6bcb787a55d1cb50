import { useState } from 'react';
import { submitEdits } from '../protocol/edits';
import { Button } from '../ui/Button';
import { problemOf, type Problem } from '../lib/messages';
import { FieldError } from '../ui/Dialog';

/** `ip -n NS link set lo up|down`: the tutorial's first step. */
export function LoControl({
  namespace,
  loUp,
  editable,
}: {
  namespace: string;
  loUp: boolean;
  editable: boolean;
}) {
  const [error, setError] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const toggle = async () => {
    setBusy(true);
    const result = await submitEdits([{ type: 'setNamespace', name: namespace, loUp: !loUp }]);
    setBusy(false);
    setError(result.ok ? null : problemOf(result));
  };
  return (
    <div>
      <div className="flex items-center gap-3">
        <span className="text-sm text-slate-600">
          lo desired: <strong className="text-slate-900">{loUp ? 'up' : 'down'}</strong>
        </span>
        {editable && (
          <Button
            aria-label={loUp ? `take lo down in ${namespace}` : `bring lo up in ${namespace}`}
            disabled={busy}
            onClick={() => void toggle()}
          >
            {loUp ? 'Take lo down' : 'Bring lo up'}
          </Button>
        )}
      </div>
      <FieldError message={error?.message ?? null} detail={error?.detail ?? null} />
    </div>
  );
}
