import { startConnection } from '../protocol/socket';
import { useSession } from '../store/session';
import { Button } from '../ui/Button';

/**
 * The agent no longer knows this browser's session (its links were renewed with
 * `serve --new-links`, the session expired, or the page was opened without a link). Reconnecting
 * cannot help, so the page stopped: this says what to do instead. "Try again" is for after
 * opening a link in another tab of this browser (which sets a new cookie).
 */
export function SessionEnded() {
  const ended = useSession((s) => s.connection === 'ended');
  const problem = useSession((s) => s.connectionProblem);
  const everConnected = useSession((s) => s.role !== null);
  if (!ended) return null;
  return (
    <div
      role="alert"
      aria-label="session ended"
      className="flex items-start gap-4 border-b border-red-200 bg-red-50 px-4 py-3 text-sm text-red-900"
    >
      <div className="min-w-0 flex-1">
        <strong className="block font-semibold">
          Not connected: the agent refused this browser’s session
        </strong>
        <span>{problem}</span>
        {everConnected && (
          <span className="mt-1 block text-red-800">
            What you see below is how the lab was when the connection ended; it no longer updates.
          </span>
        )}
      </div>
      <Button onClick={startConnection} aria-label="try to connect again">
        Try again
      </Button>
    </div>
  );
}
