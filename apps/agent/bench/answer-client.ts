import { PROTOCOL_VERSION, type ServerMessage } from '@netcanvas/model';
import WebSocket from 'ws';

type Answer = Extract<ServerMessage, { type: 'accepted' | 'rejected' }>;

/** A client that sends edits and reads only the answers to them (see `answerClient`). */
export interface AnswerClient {
  /** The welcome's version (the document's, when this client said hello). */
  readonly version: number;
  /** Sends a message and resolves with the `accepted` or `rejected` that names its requestId. */
  request(message: { requestId: string } & Record<string, unknown>, timeoutMs: number): Promise<Answer>;
  close(): Promise<void>;
}

/** The first bytes of a message this client reads; every other message is left as bytes. */
const READ = ['{"type":"welcome"', '{"type":"accepted"', '{"type":"rejected"'];

/**
 * The benchmark's editor for edit → `accepted` (bench:agent (b)). The benchmark runs the agent in
 * its own process, and the strict test client (helpers/ws-client.ts) parses every message there
 * with the protocol's schema and keeps it: the whole `document` the agent sends before each
 * `accepted` (at 1,000 namespaces ~0.2 MB through zod), the patches and the rates, all on the
 * agent's event loop. A page does that in the browser's process, not the agent's. This client
 * parses only its welcome and the answers to its requests (found by their first bytes, as the
 * agent writes them: `type` first), so what is timed is the agent's.
 */
export function answerClient(origin: string, cookie: string, helloTimeoutMs: number): Promise<AnswerClient> {
  const socket = new WebSocket(`${origin.replace(/^http/, 'ws')}/ws`, {
    headers: { Cookie: cookie },
    origin,
  });
  const waiting = new Map<string, (answer: Answer) => void>();
  let version = -1;
  let welcomed: () => void = () => undefined;
  socket.on('message', (data: Buffer) => {
    const head = data.subarray(0, 24).toString('utf8');
    if (!READ.some((prefix) => head.startsWith(prefix))) return;
    const message = JSON.parse(data.toString('utf8')) as ServerMessage;
    if (message.type === 'welcome') {
      version = message.version;
      welcomed();
    } else if (message.type === 'accepted' || message.type === 'rejected') {
      waiting.get(message.requestId)?.(message);
      waiting.delete(message.requestId);
    }
  });
  const withTimeout = <T>(what: string, ms: number, wait: (done: (value: T) => void) => void) =>
    new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${what} within ${ms} ms`)), ms);
      wait((value) => {
        clearTimeout(timer);
        resolve(value);
      });
    });
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.once('open', () => {
      socket.send(JSON.stringify({ type: 'hello', protocolVersion: PROTOCOL_VERSION }));
      withTimeout<void>('welcome', helloTimeoutMs, (done) => (welcomed = done)).then(() => {
        resolve({
          get version() {
            return version;
          },
          request(message, timeoutMs) {
            socket.send(JSON.stringify(message));
            return withTimeout<Answer>(`answer to ${message.requestId}`, timeoutMs, (done) =>
              waiting.set(message.requestId, done),
            );
          },
          close: () =>
            new Promise<void>((closed) => {
              socket.once('close', () => closed());
              socket.close();
            }),
        });
      }, reject);
    });
  });
}
