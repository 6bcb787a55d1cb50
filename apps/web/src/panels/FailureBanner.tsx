import { shellQuote } from '@netcanvas/model';
import { useSession } from '../store/session';

/** A failed command stays visible (red) until the next apply that succeeds. */
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
      <strong>A command failed</strong> (exit {failed.exitCode}):{' '}
      <code className="font-mono">{shellQuote(failed.argv)}</code>
      {failed.stderr && <span className="ml-2 font-mono text-red-700">{failed.stderr.trim()}</span>}
    </div>
  );
}
