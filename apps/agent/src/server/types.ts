import type { ClientMessage, CloseReason, Role, ServerMessage } from '@netcanvas/model';

/** One connected client that said a valid `hello`. The core owns what it is sent. */
export interface ClientSession {
  /**
   * The session's id, e.g. `c-3f9a1b2c`, from its signed cookie: the same after a reload or an agent
   * restart, and shared by every tab with that cookie (so not unique among connections). Shown in
   * logs as "who asked".
   */
  readonly clientId: string;
  /** From the session cookie that opened the socket; fixed for the connection's life. */
  readonly role: Role;
  /**
   * Sends one message. Dropped silently once the socket is closing. A client that does not read
   * (more than `limits.maxBufferedBytes` waiting to be written) is closed with `slow-consumer`.
   */
  send(message: ServerMessage): void;
  /**
   * Bytes sent and not yet written to the socket: a presenter's follower that far behind gets only
   * the newest frame (presenter-relay.ts). Missing (a session with no socket): never behind.
   */
  backlog?(): number;
  close(reason: CloseReason): void;
  /**
   * Messages after `hello`, already parsed with `ClientMessage` and allowed for this role. Messages
   * that arrive before the first handler is registered are kept and handed to it.
   */
  onMessage(handler: (message: ClientMessage) => void): void;
  onClose(handler: () => void): void;
}

export interface ServerLimits {
  /** Largest WebSocket message, in bytes; a larger one closes that socket with 1009. */
  maxPayload: number;
  /** Steady messages per second per connection (token bucket). */
  messagesPerSecond: number;
  /** Messages a connection may send at once before the rate applies. */
  burst: number;
  /**
   * Open and opening editor WebSockets; one more is answered 503. Each role has its own cap, so
   * viewers (a class) can never lock the editors out.
   */
  maxEditorConnections: number;
  /** Open and opening viewer WebSockets; one more is answered 503. */
  maxViewerConnections: number;
  /** Time a new socket has to send `hello`. */
  helloTimeoutMs: number;
  /** Bytes waiting to be written to one client before it is closed as a slow consumer. */
  maxBufferedBytes: number;
}

export interface AgentServerOptions {
  /** 0 = any free port. */
  port: number;
  /** Address to bind; anything but loopback is logged as a warning. */
  listen: string;
  /** Extra host names (no port) accepted in Host and Origin, besides the loopback names and `listen`. */
  allowedHosts?: string[];
  /** A built web app folder (index.html + assets). Missing: GET / answers 503. */
  webRoot?: string;
  labName: string;
  /** JSON for GET /api/health (no auth: it must not carry secrets). */
  health: () => unknown;
  /** Called once per client, right after its `hello` is accepted. The core sends `welcome`. */
  onSession: (session: ClientSession) => void;
  /**
   * The document's version now, for the `rejected` the server sends itself (a viewer's edit, an
   * edit whose fields are wrong). Missing, or -1 (`UNKNOWN_VERSION`): the core cannot say yet.
   */
  currentVersion?: () => number;
  /** Refusals and warnings, one line each. Tokens, session secrets and URLs are never written here. */
  log?: (line: string) => void;
  limits?: Partial<ServerLimits>;
  /**
   * Where the session key is kept (the lab's state folder, `session.key`), so that session
   * cookies and the viewer link outlive a restart. Missing: a key in memory, for this run only.
   */
  sessionKeyFile?: string;
  /** `serve --new-links`: a new key, so a new viewer link and every earlier session refused. */
  newLinks?: boolean;
  /** A capture's pcap for GET /api/captures/ID.pcap (capture-download.ts); null if unknown. */
  capturePcap?: (id: string) => Buffer | null;
  /** ms since the epoch, for session expiry; tests move it. */
  clock?: () => number;
}

export interface AgentServer {
  readonly port: number;
  /** e.g. `http://127.0.0.1:7878` */
  readonly origin: string;
  /** origin + `/?token=` + the one-time editor token issued at start. */
  readonly editorUrl: string;
  /** origin + `/?view=` + the reusable viewer token. */
  readonly viewerUrl: string;
  /** Issues another one-time editor token (earlier unused ones stay valid, up to a few). */
  newEditorUrl(): string;
  /** Closes every socket with `shutting-down`, then the HTTP server. */
  close(): Promise<void>;
}
