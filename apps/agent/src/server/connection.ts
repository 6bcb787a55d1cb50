import {
  CLOSE_CODE,
  CloseReason,
  ErrorCode,
  type BadEdit,
  type ClientMessage,
  type Role,
  type ServerMessage,
} from '@netcanvas/model';
import { WebSocket, type RawData } from 'ws';
import { allowedFor, checkHello, parseClientMessage, rawDataToText } from './incoming';
import { RateLimiter } from './rate-limit';
import type { ClientSession, ServerLimits } from './types';
import { wireText } from './wire-text';
import { documentFor, versionAfter } from './document-edits';

/** Kept for the server's callers; the reason itself lives in the protocol. */
export const ServerCloseReason = { slowConsumer: CloseReason.slowConsumer } as const;
type AnyCloseReason = CloseReason;

/** How long a closing peer gets to answer our close frame before the socket is cut. */
const CLOSE_GRACE_MS = 1000;

/** Messages held while the core has not registered a handler yet (it normally does so in onSession). */
const MAX_PENDING = 64;

/**
 * `currentVersion` of a `rejected` sent by the server layer itself while the core cannot say the
 * document's version (it is still starting): -1 can never be mistaken for a real one.
 */
export const UNKNOWN_VERSION = -1;

export interface ConnectionContext {
  clientId: string;
  role: Role;
  limits: ServerLimits;
  onSession: (session: ClientSession) => void;
  /** The document's version now, for the `rejected` this layer sends itself. */
  currentVersion: () => number;
  log: (line: string) => void;
}

/**
 * One WebSocket from upgrade to close: waits for `hello`, then admits messages through the rate
 * limiter, the schema and the role check, in that order (cheapest first, so a flood costs little).
 */
export class Connection {
  /** Resolves when the socket is closed (by either side, or cut). */
  readonly closed: Promise<void>;
  private phase: 'hello' | 'open' | 'closing' = 'hello';
  private readonly limiter: RateLimiter;
  private readonly helloTimer: NodeJS.Timeout;
  private graceTimer: NodeJS.Timeout | undefined;
  private readonly messageHandlers: ((message: ClientMessage) => void)[] = [];
  private readonly closeHandlers: (() => void)[] = [];
  /** Messages that arrived before the core registered a handler (at most MAX_PENDING). */
  private pending: ClientMessage[] = [];
  /** The document version this client holds: the last welcome or document sent (document-edits.ts). */
  private documentVersion: number | undefined;

  constructor(
    private readonly ws: WebSocket,
    private readonly ctx: ConnectionContext,
  ) {
    this.limiter = new RateLimiter(ctx.limits);
    this.helloTimer = setTimeout(() => this.closeWith(CloseReason.helloTimeout), ctx.limits.helloTimeoutMs);
    this.closed = new Promise((resolve) => ws.once('close', () => resolve()));
    ws.on('message', (data, isBinary) => this.receive(data, isBinary));
    // Without a listener an 'error' (e.g. a message over maxPayload) would crash the agent; ws
    // closes the socket itself (1009 for too large), we only note it.
    ws.on('error', (error) => ctx.log(`client ${ctx.clientId}: ${error.message}`));
    ws.once('close', () => this.onSocketClose());
  }

  get clientId(): string {
    return this.ctx.clientId;
  }

  /** Starts the close handshake with CLOSE_CODE and a reason; cuts the socket if the peer does not answer. */
  closeWith(reason: AnyCloseReason): void {
    if (this.phase === 'closing') return;
    this.phase = 'closing';
    clearTimeout(this.helloTimer);
    if (this.ws.readyState === WebSocket.CLOSED) return;
    this.ws.close(CLOSE_CODE, reason);
    this.graceTimer = setTimeout(() => this.ws.terminate(), CLOSE_GRACE_MS);
    this.graceTimer.unref();
  }

  private onSocketClose(): void {
    this.phase = 'closing';
    clearTimeout(this.helloTimer);
    clearTimeout(this.graceTimer);
    this.pending = [];
    for (const handler of this.closeHandlers) this.guard('close handler', handler);
  }

  private send(message: ServerMessage): void {
    if (this.phase === 'closing' || this.ws.readyState !== WebSocket.OPEN) return;
    const sent = documentFor(message, this.documentVersion);
    this.documentVersion = versionAfter(sent) ?? this.documentVersion;
    this.ws.send(wireText(sent));
    // A client that stopped reading would otherwise make us hold every broadcast in memory.
    if (this.ws.bufferedAmount > this.ctx.limits.maxBufferedBytes) {
      this.ctx.log(
        `client ${this.ctx.clientId}: closed, ${this.ws.bufferedAmount} bytes waiting (slow consumer)`,
      );
      this.closeWith(ServerCloseReason.slowConsumer);
    }
  }

  private receive(data: RawData, isBinary: boolean): void {
    if (this.phase === 'closing') return;
    const decision = this.limiter.check();
    if (decision === 'close') {
      this.ctx.log(`client ${this.ctx.clientId}: closed for flooding`);
      this.closeWith(CloseReason.rateLimited);
      return;
    }
    if (decision !== 'accept') {
      if (decision === 'drop-and-warn')
        this.sendError(
          ErrorCode.rateLimited,
          `too many messages: at most ${this.ctx.limits.messagesPerSecond} a second (bursts of ${this.ctx.limits.burst}); some were dropped`,
        );
      return;
    }
    if (this.phase === 'hello') return this.receiveHello(data, isBinary);
    if (isBinary)
      return this.sendError(
        ErrorCode.badMessage,
        '(message): binary frames are not accepted; send JSON text',
      );
    const parsed = parseClientMessage(rawDataToText(data));
    if (!parsed.ok && parsed.badEdit === undefined) return this.sendError(ErrorCode.badMessage, parsed.error);
    const message = parsed.ok ? parsed.message : parsed.badEdit;
    if (message.type === 'hello')
      return this.sendError(ErrorCode.badMessage, 'type: hello was already sent; send it once, first');
    if (!allowedFor(this.ctx.role, message.type)) {
      const text = `a ${this.ctx.role} may not send ${message.type}: open the editor link to make changes`;
      // A terminal's keystrokes carry no request id: refused as a message, not as a request.
      if (!('requestId' in message)) return this.sendError(ErrorCode.forbidden, text);
      return this.reject(message.requestId, ErrorCode.forbidden, text);
    }
    if (parsed.ok) this.deliver(parsed.message);
    else this.refuseEdit(parsed.badEdit);
  }

  /** A wrong edit is answered as the writer answers one: every issue with its field, the first field as the path. */
  private refuseEdit({ requestId, issues }: BadEdit): void {
    const message = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
    this.reject(requestId, ErrorCode.invalid, message, issues[0]?.path ?? null);
  }

  private reject(requestId: string, code: ErrorCode, message: string, path: string | null = null): void {
    this.send({
      type: 'rejected',
      requestId,
      code,
      message,
      path,
      currentVersion: this.ctx.currentVersion(),
    });
  }

  private receiveHello(data: RawData, isBinary: boolean): void {
    const verdict = isBinary ? 'bad-hello' : checkHello(rawDataToText(data));
    if (verdict === 'bad-protocol-version') return this.closeWith(CloseReason.badProtocolVersion);
    if (verdict === 'bad-hello') return this.closeWith(CloseReason.badHello);
    clearTimeout(this.helloTimer);
    this.phase = 'open';
    const session = this.session();
    this.guard('onSession', () => this.ctx.onSession(session));
  }

  private deliver(message: ClientMessage): void {
    if (this.messageHandlers.length === 0) {
      if (this.pending.length < MAX_PENDING) this.pending.push(message);
      else this.sendError(ErrorCode.busy, 'the agent is not ready for requests yet; try again');
      return;
    }
    for (const handler of this.messageHandlers) this.guard('message handler', () => handler(message));
  }

  private sendError(code: ErrorCode, message: string): void {
    this.send({ type: 'error', code, message });
  }

  /**
   * Runs the core's callback so that a throw (or a rejected promise) is logged instead of
   * becoming an uncaught exception that takes the root agent, and every other client, down.
   */
  private guard(what: string, callback: () => unknown): void {
    const report = (error: unknown) => {
      this.ctx.log(
        `client ${this.ctx.clientId}: ${what} failed: ${error instanceof Error ? error.message : String(error)}`,
      );
      this.sendError(ErrorCode.internal, 'the agent failed to handle this; see its log');
    };
    try {
      const result = callback();
      if (result instanceof Promise) result.catch(report);
    } catch (error) {
      report(error);
    }
  }

  private session(): ClientSession {
    return {
      clientId: this.ctx.clientId,
      role: this.ctx.role,
      send: (message) => this.send(message),
      backlog: () => this.ws.bufferedAmount,
      close: (reason) => this.closeWith(reason),
      onMessage: (handler) => {
        this.messageHandlers.push(handler);
        if (this.messageHandlers.length === 1 && this.pending.length > 0) {
          // Later, not inside onMessage: the core may still be setting up when it registers.
          queueMicrotask(() => {
            const queued = this.pending;
            this.pending = [];
            for (const message of queued) this.deliver(message);
          });
        }
      },
      onClose: (handler) => {
        if (this.ws.readyState === WebSocket.CLOSED)
          queueMicrotask(() => this.guard('close handler', handler));
        else this.closeHandlers.push(handler);
      },
    };
  }
}
