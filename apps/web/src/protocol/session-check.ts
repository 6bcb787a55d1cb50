import { SESSION_PATH, SessionInfo, SessionRefusal, type SessionRefusalReason } from '@netcanvas/model';

/**
 * GET /api/session: does the agent still know this browser's session? A page cannot see why its
 * WebSocket upgrade was refused (a 401 looks like any failed connection), so it asks this when
 * a socket closes before `welcome`. Asked after each welcome too: that refreshes the cookie's
 * expiry (the agent re-issues it), so a session in use does not run out.
 */
export type SessionVerdict =
  | { kind: 'ok'; session: SessionInfo }
  /** The agent answered 401: reconnecting cannot help. */
  | { kind: 'gone'; reason: SessionRefusalReason }
  /** No answer, or not one about the session (agent down or restarting, 5xx): keep trying. */
  | { kind: 'unreachable' };

const ASK_TIMEOUT_MS = 5000;

export async function askSession(fetcher: typeof fetch = fetch): Promise<SessionVerdict> {
  let response: Response;
  try {
    response = await fetcher(SESSION_PATH, {
      cache: 'no-store',
      credentials: 'same-origin',
      signal: AbortSignal.timeout(ASK_TIMEOUT_MS),
    });
  } catch {
    return { kind: 'unreachable' };
  }
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // a body that is not JSON says nothing more than its status
  }
  if (response.status === 401) {
    const refusal = SessionRefusal.safeParse(body);
    return { kind: 'gone', reason: refusal.success ? refusal.data.reason : 'unknown' };
  }
  if (response.ok) {
    const session = SessionInfo.safeParse(body);
    if (session.success) return { kind: 'ok', session: session.data };
  }
  return { kind: 'unreachable' };
}

export const SESSION_ENDED_TEXT =
  'Your session has ended: the agent’s links were renewed or your session expired. Open the editor link `netcanvas serve` printed, or ask for the new viewer link.';
export const NO_SESSION_TEXT =
  'This browser has no session with the agent: open the editor link `netcanvas serve` printed (it works once), or the viewer link you were given.';

/** What the page says once the agent has refused the session. */
export function sessionGoneText(reason: SessionRefusalReason, everWelcomed: boolean): string {
  // No cookie at all on a page that never got in: it was opened without a link.
  return reason === 'none' && !everWelcomed ? NO_SESSION_TEXT : SESSION_ENDED_TEXT;
}
