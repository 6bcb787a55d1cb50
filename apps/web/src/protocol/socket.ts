import {
  CLOSE_CODE,
  CloseReason,
  PROTOCOL_VERSION,
  ServerMessage,
  type ClientMessageInput,
} from '@netcanvas/model';
import { requestsActions } from '../store/requests';
import { sessionActions, useSession } from '../store/session';
import { applyServerMessage } from './apply-message';

/**
 * The one WebSocket to the agent. Same origin (the agent serves this page and checks Origin
 * exactly), the session cookie rides along; `hello` first, then everything the agent says goes
 * to the stores. Reconnects by itself with a growing delay; a fresh `welcome` replaces the state.
 */
const BACKOFF_MS = [250, 500, 1000, 2000, 4000, 8000];

let socket: WebSocket | null = null;
let attempt = 0;
let timer: ReturnType<typeof setTimeout> | null = null;
let everWelcomed = false;
let stopped = false;

const socketUrl = (): string => `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/ws`;

export function startConnection(): void {
  stopped = false;
  open();
}

/** Drops the socket and opens a new one at once: the welcome brings the whole state again. */
export function resync(): void {
  if (socket) {
    const old = socket;
    socket = null;
    old.close(1000, 'resync');
  }
  attempt = 0;
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
  ws.addEventListener('open', () => {
    ws.send(JSON.stringify({ type: 'hello', protocolVersion: PROTOCOL_VERSION }));
  });
  ws.addEventListener('message', (event) => {
    if (socket !== ws || typeof event.data !== 'string') return;
    receive(event.data);
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
    scheduleReconnect(event);
  });
}

function scheduleReconnect(event: CloseEvent): void {
  const delay = BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)] ?? 8000;
  attempt++;
  let problem: string;
  if (!everWelcomed && attempt >= 3)
    problem =
      'cannot open a session: open the editor or viewer link the agent printed (an editor link works once per browser)';
  else if (event.code === CLOSE_CODE) problem = `the agent closed the connection (${event.reason})`;
  else problem = 'the connection to the agent was lost';
  sessionActions.connection('reconnecting', { retryAt: Date.now() + delay, problem });
  timer = setTimeout(open, delay);
}

function receive(text: string): void {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return;
  }
  const parsed = ServerMessage.safeParse(json);
  if (!parsed.success) {
    console.warn('netcanvas: a message from the agent did not match the protocol', parsed.error.issues);
    return;
  }
  const m = parsed.data;
  if (m.type === 'welcome') {
    attempt = 0;
    everWelcomed = true;
  }
  applyServerMessage(m);
}
