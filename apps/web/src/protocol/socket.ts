import {
  CLOSE_CODE,
  CloseReason,
  PROTOCOL_VERSION,
  type ServerMessage,
  type ClientMessageInput,
} from '@netcanvas/model';
import { requestsActions } from '../store/requests';
import { sessionActions, useSession } from '../store/session';
import { applyServerMessage } from './apply-message';
import { parseServerMessage } from './parse-message';
import { askSession, sessionGoneText, type SessionVerdict } from './session-check';

/**
 * The one WebSocket to the agent. Same origin (the agent serves this page and checks Origin
 * exactly), the session cookie rides along; `hello` first, then everything the agent says goes
 * to the stores. Reconnects by itself with a growing delay; a fresh `welcome` replaces the state.
 * Sessions outlive a restart of the agent, so a restart is a short "reconnecting". When a socket
 * closes before its welcome, the page asks GET /api/session why; if the agent says the session is
 * gone (links renewed, expired, never opened), it says so and stops: only a link can help.
 */
const BACKOFF_MS = [250, 500, 1000, 2000, 4000, 8000];

let socket: WebSocket | null = null;
let attempt = 0;
let timer: ReturnType<typeof setTimeout> | null = null;
let everWelcomed = false;
let stopped = false;
/** Bumped whenever the connection starts over, so an answer to an older question is ignored. */
let generation = 0;

const socketUrl = (): string => `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/ws`;

/** Starts (or, after the session ended and the user asks to try again, restarts) the connection. */
export function startConnection(): void {
  stopped = false;
  if (useSession.getState().connection === 'ended')
    sessionActions.connection('connecting', { problem: null });
  resync();
}

/** Stops for good (until startConnection): no socket, no timer, no pending question. */
export function stopConnection(): void {
  stopped = true;
  generation++;
  if (timer) clearTimeout(timer);
  timer = null;
  if (socket) {
    const old = socket;
    socket = null;
    old.close(1000, 'stopped');
  }
}

/** Drops the socket and opens a new one at once: the welcome brings the whole state again. */
export function resync(): void {
  if (socket) {
    const old = socket;
    socket = null;
    old.close(1000, 'resync');
  }
  attempt = 0;
  generation++;
  if (timer) clearTimeout(timer);
  open();
}

export function send(message: ClientMessageInput): boolean {
  if (!socket || socket.readyState !== WebSocket.OPEN || !useSession.getState().ready) return false;
  socket.send(JSON.stringify(message));
  return true;
}

function open(): void {
  if (stopped) return;
  timer = null;
  sessionActions.connection(attempt === 0 && !everWelcomed ? 'connecting' : 'reconnecting');
  const ws = new WebSocket(socketUrl());
  socket = ws;
  let welcomed = false;
  ws.addEventListener('open', () => {
    ws.send(JSON.stringify({ type: 'hello', protocolVersion: PROTOCOL_VERSION }));
  });
  ws.addEventListener('message', (event) => {
    if (socket !== ws || typeof event.data !== 'string') return;
    if (receive(event.data) === 'welcome') {
      welcomed = true;
      // Refreshes the cookie's expiry: a session in use does not run out.
      void askSession();
    }
  });
  ws.addEventListener('close', (event) => {
    if (socket !== ws) return;
    socket = null;
    requestsActions.abandonAll(useSession.getState().version);
    if (event.code === CLOSE_CODE && event.reason === CloseReason.badProtocolVersion) {
      sessionActions.connection('failed', {
        problem: 'this page and the agent speak different protocol versions: reload the page',
      });
      return;
    }
    // Closed after a welcome (the agent restarting, a network blip): simply reconnect. Closed
    // before one: the upgrade may have been refused for want of a session, so ask.
    if (welcomed) scheduleReconnect(event, null);
    else void checkSessionThenReconnect(event);
  });
}

async function checkSessionThenReconnect(event: CloseEvent): Promise<void> {
  const asked = generation;
  const verdict = await askSession();
  if (stopped || asked !== generation) return;
  if (verdict.kind === 'gone') {
    stopped = true;
    sessionActions.connection('ended', { problem: sessionGoneText(verdict.reason, everWelcomed) });
    return;
  }
  scheduleReconnect(event, verdict);
}

function scheduleReconnect(event: CloseEvent, verdict: SessionVerdict | null): void {
  const delay = BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)] ?? 8000;
  attempt++;
  let problem: string;
  if (event.code === CLOSE_CODE) problem = `the agent closed the connection (${event.reason})`;
  else if (verdict?.kind === 'ok')
    problem = 'the agent knows your session but refused the connection (it may be full); trying again';
  else if (verdict?.kind === 'unreachable') problem = 'cannot reach the agent (it may be restarting)';
  else problem = 'the connection to the agent was lost';
  sessionActions.connection('reconnecting', { retryAt: Date.now() + delay, problem });
  timer = setTimeout(open, delay);
}

function receive(text: string): ServerMessage['type'] | null {
  const parsed = parseServerMessage(text);
  if (!parsed.ok) {
    console.warn(`netcanvas: a message from the agent was refused (${parsed.reason}): ${parsed.error}`);
    return null;
  }
  const m = parsed.message;
  if (m.type === 'welcome') {
    attempt = 0;
    everWelcomed = true;
  }
  // A patch that does not fit this page's state: it missed something; a welcome sets it right.
  if (!applyServerMessage(m)) resync();
  return m.type;
}
