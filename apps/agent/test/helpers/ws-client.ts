import { request } from 'node:http';
import {
  applyObservedPatch,
  followDocumentEdits,
  PROTOCOL_VERSION,
  ServerMessage,
  type HeldDocument,
  type ObservedState,
  type Topology,
} from '@netcanvas/model';
import WebSocket from 'ws';

/**
 * A small, strict test client for the agent's WebSocket: it parses every server message with the
 * protocol's schema, buffers them, and lets a test wait for the next one matching a predicate.
 * Shared by the server tests and the core/kernel tests.
 */

const DEFAULT_TIMEOUT_MS = 5000;

/** `name=value` of the session cookie the server sets in exchange for an editor or viewer link. */
export async function exchangeToken(url: string): Promise<string> {
  const response = await fetch(url, { redirect: 'manual' });
  const setCookie = response.headers.getSetCookie();
  await response.body?.cancel();
  if (response.status !== 303) throw new Error(`token exchange answered ${response.status}, not 303`);
  const first = setCookie[0];
  if (first === undefined) throw new Error('token exchange set no cookie');
  const pair = first.split(';')[0];
  if (pair === undefined || !pair.includes('=')) throw new Error('token exchange set a malformed cookie');
  return pair;
}

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * A plain HTTP request with full control of the headers (fetch will not send a foreign Host).
 * `url` gives the address to connect to; `headers.host` may differ from it.
 */
export function httpRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string> } = {},
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

export interface ConnectOptions {
  /** The Origin header; defaults to `origin` itself (what the agent's own page sends). null: none. */
  origin?: string | null;
  /** The Host header; defaults to the one the URL implies. */
  host?: string;
  /** Defaults to `/ws`. */
  path?: string;
}

/** The upgrade was answered with an HTTP status instead of a WebSocket. */
export class UpgradeRefused extends Error {
  constructor(readonly status: number) {
    super(`WebSocket upgrade refused with HTTP ${status}`);
    this.name = 'UpgradeRefused';
  }
}

export interface Closed {
  code: number;
  reason: string;
}

export interface TestClient {
  /** Sends a value as JSON (need not be a valid message: tests send bad ones). */
  send(message: unknown): void;
  /** Sends text or bytes as they are. */
  sendRaw(data: string | Buffer): void;
  /** Sends `hello` (this protocol's version unless given) and waits for `welcome`. */
  hello(protocolVersion?: number, timeoutMs?: number): Promise<Extract<ServerMessage, { type: 'welcome' }>>;
  /**
   * The first message, buffered or still to come, that matches `predicate` (any message if none),
   * taken out of the buffer. Rejects on timeout, on close, and on a message the schema refuses.
   */
  next(predicate?: (message: ServerMessage) => boolean, timeoutMs?: number): Promise<ServerMessage>;
  /** The next new version of the document, whole or as edits: its document is `documentAfter`'s. */
  nextDocument(
    predicate?: (version: number) => boolean,
    timeoutMs?: number,
  ): Promise<Extract<ServerMessage, { type: 'document' | 'documentEdits' }>>;
  /** `next` for a message type, typed. */
  nextOfType<T extends ServerMessage['type']>(
    type: T,
    timeoutMs?: number,
  ): Promise<Extract<ServerMessage, { type: T }>>;
  /** The observed state as this client holds it now (see observedAfter). */
  readonly observed: ObservedState | undefined;
  /** Messages received and not yet taken by `next`. */
  readonly buffered: readonly ServerMessage[];
  /** Resolves when the socket closes, with the close code and reason. Never rejects. */
  readonly closed: Promise<Closed>;
  readonly isClosed: boolean;
  readonly socket: WebSocket;
  close(): Promise<Closed>;
}

/** The observed state a client holds once it has applied a message (welcome or patches). */
const stateAfter = new WeakMap<ServerMessage, ObservedState>();
/** The document a client holds once it has applied a message (welcome, document or its edits). */
const documentsAfter = new WeakMap<ServerMessage, Topology>();

/**
 * The client's document right after `message` (a welcome, `document` or `documentEdits`), as a page
 * holds it: edits applied with the model's `applyEdits` to the version they name. Edits for
 * another version, or that do not apply, fail the client (the agent sent what a page cannot follow).
 */
export const documentAfter = (message: ServerMessage): Topology | undefined => documentsAfter.get(message);

const isDocument = (m: ServerMessage) => m.type === 'document' || m.type === 'documentEdits';

/**
 * The client's observed state right after `message` (a welcome or an `observed` message), as a
 * page holds it: the welcome's, with every patch since applied by the model's
 * `applyObservedPatch`. A patch that does not fit fails the client (the agent broke the algebra).
 */
export const observedAfter = (message: ServerMessage): ObservedState | undefined => stateAfter.get(message);

/** The namespace, as the client holds it after `message`, when that message patched it. */
export const patchedNamespace = (message: ServerMessage, name: string) =>
  message.type === 'observed' &&
  message.patches.some((p) => (p.op === 'namespace' ? p.namespace.name : 'ns' in p ? p.ns : null) === name)
    ? observedAfter(message)?.namespaces.find((ns) => ns.name === name)
    : undefined;

interface Waiter {
  predicate: (message: ServerMessage) => boolean;
  resolve(message: ServerMessage): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/** Opens a WebSocket to `${origin}/ws` (or `options.path`) with a session cookie; rejects with UpgradeRefused on an HTTP answer. */
export function connect(
  origin: string,
  cookie: string | undefined,
  options: ConnectOptions = {},
): Promise<TestClient> {
  const headers: Record<string, string> = {};
  if (cookie !== undefined) headers.Cookie = cookie;
  if (options.host !== undefined) headers.Host = options.host;
  const originHeader = options.origin === undefined ? origin : options.origin;
  const socket = new WebSocket(`${origin.replace(/^http/, 'ws')}${options.path ?? '/ws'}`, {
    headers,
    ...(originHeader === null ? {} : { origin: originHeader }),
  });

  const buffer: ServerMessage[] = [];
  const waiters = new Set<Waiter>();
  let observed: ObservedState | undefined;
  let held: HeldDocument | undefined;
  let closedWith: Closed | undefined;
  let failure: Error | undefined;

  const settle = (waiter: Waiter) => {
    clearTimeout(waiter.timer);
    waiters.delete(waiter);
  };
  const failAll = (error: Error) => {
    for (const waiter of [...waiters]) {
      settle(waiter);
      waiter.reject(error);
    }
  };

  socket.on('message', (data, isBinary) => {
    let parsed: ServerMessage;
    try {
      if (isBinary) throw new Error('the server sent a binary frame');
      const bytes = Buffer.isBuffer(data)
        ? data
        : Array.isArray(data)
          ? Buffer.concat(data)
          : Buffer.from(data);
      const text = bytes.toString('utf8');
      const result = ServerMessage.safeParse(JSON.parse(text));
      if (!result.success)
        throw new Error(`the server sent a message the protocol refuses: ${result.error.message}`);
      parsed = result.data;
      if (parsed.type === 'welcome') observed = parsed.observed;
      else if (parsed.type === 'observed' && observed)
        observed = applyObservedPatch(observed, parsed.patches, parsed.takenAt);
      if (observed && (parsed.type === 'welcome' || parsed.type === 'observed'))
        stateAfter.set(parsed, observed);
      held = followDocument(held, parsed);
    } catch (error) {
      failure = error instanceof Error ? error : new Error(String(error));
      failAll(failure);
      return;
    }
    for (const waiter of waiters) {
      if (waiter.predicate(parsed)) {
        settle(waiter);
        waiter.resolve(parsed);
        return;
      }
    }
    buffer.push(parsed);
  });

  const closed = new Promise<Closed>((resolve) => {
    socket.once('close', (code, reason) => {
      closedWith = { code, reason: reason.toString('utf8') };
      failAll(new Error(`the socket closed (${code} ${closedWith.reason}) before a matching message`));
      resolve(closedWith);
    });
  });

  const next = (
    predicate: (message: ServerMessage) => boolean = () => true,
    timeoutMs = DEFAULT_TIMEOUT_MS,
  ) => {
    if (failure !== undefined) return Promise.reject(failure);
    const index = buffer.findIndex(predicate);
    if (index !== -1) return Promise.resolve(buffer.splice(index, 1)[0] as ServerMessage);
    if (closedWith !== undefined)
      return Promise.reject(new Error(`the socket is closed (${closedWith.code} ${closedWith.reason})`));
    return new Promise<ServerMessage>((resolve, reject) => {
      const waiter: Waiter = {
        predicate,
        resolve,
        reject,
        timer: setTimeout(() => {
          waiters.delete(waiter);
          const seen = buffer.map((m) => m.type).join(', ') || 'nothing';
          reject(new Error(`no matching message within ${timeoutMs} ms (buffered: ${seen})`));
        }, timeoutMs),
      };
      waiters.add(waiter);
    });
  };

  const client: TestClient = {
    send: (message) => socket.send(JSON.stringify(message)),
    sendRaw: (data) => socket.send(data),
    async hello(protocolVersion = PROTOCOL_VERSION, timeoutMs) {
      socket.send(JSON.stringify({ type: 'hello', protocolVersion }));
      return (await next((m) => m.type === 'welcome', timeoutMs)) as Extract<
        ServerMessage,
        { type: 'welcome' }
      >;
    },
    next,
    nextDocument: async (predicate = () => true, timeoutMs) =>
      (await next((m) => isDocument(m) && 'version' in m && predicate(m.version), timeoutMs)) as Extract<
        ServerMessage,
        { type: 'document' | 'documentEdits' }
      >,
    nextOfType: async <T extends ServerMessage['type']>(type: T, timeoutMs?: number) =>
      (await next((m) => m.type === type, timeoutMs)) as Extract<ServerMessage, { type: T }>,
    get observed() {
      return observed;
    },
    get buffered() {
      return buffer;
    },
    closed,
    get isClosed() {
      return closedWith !== undefined;
    },
    socket,
    close() {
      if (socket.readyState === WebSocket.CONNECTING || socket.readyState === WebSocket.OPEN) socket.close();
      return closed;
    },
  };

  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(client));
    socket.once('unexpected-response', (req, res) => {
      res.resume();
      req.destroy();
      reject(new UpgradeRefused(res.statusCode ?? 0));
    });
    // Kept for the socket's whole life: ws emits 'error' after a refused upgrade too, and an
    // unheard 'error' would crash the test worker. Rejecting after 'open' is a no-op.
    socket.on('error', (error) => reject(error));
  });
}

/** The HTTP status an upgrade is refused with; throws if it is accepted. */
export async function refusedStatus(
  origin: string,
  cookie: string | undefined,
  options: ConnectOptions = {},
): Promise<number> {
  try {
    const client = await connect(origin, cookie, options);
    await client.close();
  } catch (error) {
    if (error instanceof UpgradeRefused) return error.status;
    throw error;
  }
  throw new Error('the upgrade was accepted');
}

/** The document and version a client holds after `message` (recorded for `documentAfter`). */
function followDocument(held: HeldDocument | undefined, message: ServerMessage): HeldDocument | undefined {
  let next: HeldDocument | null | undefined = held;
  if (message.type === 'welcome' || message.type === 'document')
    next = { version: message.version, document: message.document };
  else if (message.type === 'documentEdits') {
    next = held && followDocumentEdits(held, message);
    if (!next)
      throw new Error(`edits of version ${message.baseVersion} do not fit this client's ${held?.version}`);
  } else return held;
  documentsAfter.set(message, next.document);
  return next;
}
