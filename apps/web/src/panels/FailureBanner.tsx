import { shellQuote } from '@netcanvas/model';
import { failureSentence } from '../lib/messages';
import { useSession } from '../store/session';

/** A failed command: a sentence about where and why, the command on a detail line. Stays until an apply succeeds. */
export function FailureBanner() {
  const failed = useSession((s) => {
    for (let i = s.log.length - 1; i >= 0; i--) {
      const r = s.log[i]!;
      if (r.reason === 'ping tool') continue;
      return r.exitCode !== 0 ? r : null;
    }
    return null;
  });
  if (!failed) return null;
  return (
    <div role="alert" className="border-b border-red-200 bg-red-50 px-4 py-2 text-sm text-red-900">
      <p>
        <strong>{failureSentence(failed)}</strong>
      </p>
      <p data-testid="error-detail" className="mt-0.5 font-mono text-xs text-red-700">
        {shellQuote(failed.argv)} (exit {failed.exitCode})
      </p>
    </div>
  );
}
