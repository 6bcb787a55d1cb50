import { useEffect, useState } from 'react';
import { useSession } from '../store/session';

/** live / connecting / reconnecting in N s / session ended; the reason on hover and for screen readers. */
export function ConnectionBadge() {
  const connection = useSession((s) => s.connection);
  const retryAt = useSession((s) => s.retryAt);
  const problem = useSession((s) => s.connectionProblem);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (connection !== 'reconnecting') return;
    const t = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(t);
  }, [connection]);
  const seconds = retryAt ? Math.max(0, Math.ceil((retryAt - now) / 1000)) : 0;
  const text =
    connection === 'live'
      ? 'live'
      : connection === 'connecting'
        ? 'connecting…'
        : connection === 'failed'
          ? 'disconnected'
          : connection === 'ended'
            ? 'session ended'
            : seconds > 0
              ? `reconnecting in ${seconds} s`
              : 'reconnecting…';
  const tone =
    connection === 'live'
      ? 'bg-emerald-50 text-emerald-800 ring-emerald-200'
      : connection === 'failed' || connection === 'ended'
        ? 'bg-red-50 text-red-800 ring-red-200'
        : 'bg-amber-50 text-amber-800 ring-amber-200';
  const dot =
    connection === 'live'
      ? 'bg-emerald-500'
      : connection === 'failed' || connection === 'ended'
        ? 'bg-red-500'
        : 'bg-amber-500 animate-pulse';
  return (
    <span
      role="status"
      aria-label={`connection: ${text}`}
      data-connection={connection}
      title={connection === 'live' ? 'Connected to the agent: the canvas is live' : (problem ?? undefined)}
      className={`inline-flex items-center gap-1.5 rounded-full px-2.5 py-1 text-sm font-medium ring-1 ${tone}`}
    >
      <span aria-hidden className={`size-2 rounded-full ${dot}`} />
      {text}
    </span>
  );
}
