import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { CloseReason, type Role } from '@netcanvas/model';
import type { WebSocketServer } from 'ws';
import { Connection, UNKNOWN_VERSION } from './connection';
import { readSession } from './cookies';
import type { HostPolicy } from './hosts';
import { forLog, refuseUpgrade } from './refuse';
import type { Secrets } from './secrets';
import type { AgentServerOptions, ServerLimits } from './types';

const WS_PATH = '/ws';

/** The server's WebSockets: those opening (counted against their role's cap) and those open. */
export class Sockets {
  /** Sockets between an accepted upgrade request and their close, per role. */
  readonly upgrading: Record<Role, Set<Duplex>> = { editor: new Set(), viewer: new Set() };
  readonly connections = new Set<Connection>();
  shuttingDown = false;

  /** Closes every connection (each answered or cut within its close grace), then what is still opening. */
  async closeAll(): Promise<void> {
    this.shuttingDown = true;
    const all = [...this.connections];
    for (const connection of all) connection.closeWith(CloseReason.shuttingDown);
    await Promise.all(all.map((connection) => connection.closed));
    for (const socket of [...this.upgrading.editor, ...this.upgrading.viewer]) socket.destroy();
  }
}

export interface UpgradeContext {
  wss: WebSocketServer;
  sockets: Sockets;
  secrets: Secrets;
  limits: ServerLimits;
  /** Known once listening: requests cannot arrive before, and would be refused if they did. */
  bound: { port: number; policy?: HostPolicy };
  options: Pick<AgentServerOptions, 'onSession' | 'currentVersion'>;
  log: (line: string) => void;
}

/**
 * The answer to an HTTP upgrade: the path, Host, Origin, the session cookie and the role's cap are
 * all checked before the WebSocket exists (docs/security.md, "The web side"); a refusal is an HTTP
 * status with a line in the log saying why.
 */
export function upgradeHandler(context: UpgradeContext) {
  const { sockets, log } = context;
  return (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    // An 'error' on a raw upgrade socket with no listener would crash the process.
    socket.on('error', () => undefined);
    const who = req.socket.remoteAddress ?? 'unknown address';
    const admitted = admit(req, context);
    if (!admitted.ok) {
      log(`refused WebSocket from ${who}: ${admitted.why}`);
      return refuseUpgrade(socket, admitted.status, admitted.text);
    }
    const { role, clientId } = admitted;
    const opening = sockets.upgrading[role];
    opening.add(socket);
    socket.once('close', () => opening.delete(socket));
    context.wss.handleUpgrade(req, socket, head, (ws) => {
      const connection = new Connection(ws, {
        clientId,
        role,
        limits: context.limits,
        onSession: context.options.onSession,
        currentVersion: context.options.currentVersion ?? (() => UNKNOWN_VERSION),
        log,
      });
      sockets.connections.add(connection);
      // close() may have started while this handshake was finishing.
      if (sockets.shuttingDown) connection.closeWith(CloseReason.shuttingDown);
      void connection.closed.then(() => sockets.connections.delete(connection));
    });
  };
}

type Admission =
  { ok: true; role: Role; clientId: string } | { ok: false; status: number; text: string; why: string };

/** The session an upgrade opens, or why it is refused (checked in this order). */
function admit(req: IncomingMessage, { bound, secrets, sockets, limits }: UpgradeContext): Admission {
  // Only the path: the query may carry anything, including a token someone pasted.
  if (pathOf(req.url) !== WS_PATH)
    return { ok: false, status: 404, text: 'Not Found', why: 'not the /ws path' };
  const policy = bound.policy;
  if (!policy?.hostAllowed(req.headers.host))
    return {
      ok: false,
      status: 421,
      text: 'Misdirected Request',
      why: `Host ${forLog(req.headers.host)} is not allowed`,
    };
  if (!policy.originAllowed(req.headers.origin))
    return {
      ok: false,
      status: 403,
      text: 'Forbidden: wrong Origin',
      why: `Origin ${forLog(req.headers.origin)} is not allowed`,
    };
  const found = readSession(req.headers.cookie, bound.port, secrets);
  if (!found.ok)
    return {
      ok: false,
      status: 401,
      text: 'Unauthorized: open the editor or viewer link first',
      why: `no valid session cookie (${found.reason})`,
    };
  if (sockets.shuttingDown)
    return { ok: false, status: 503, text: 'Service Unavailable: shutting down', why: 'shutting down' };
  // The id is the session's, not the connection's: a reload, or a restart of the agent, keeps it.
  const role = found.session.role;
  const cap = role === 'editor' ? limits.maxEditorConnections : limits.maxViewerConnections;
  const opening = sockets.upgrading[role].size;
  if (opening >= cap)
    return {
      ok: false,
      status: 503,
      text: `Service Unavailable: too many ${role} connections`,
      why: `${opening} ${role} connections already`,
    };
  return { ok: true, role, clientId: found.session.clientId };
}

function pathOf(url: string | undefined): string | undefined {
  try {
    return new URL(url ?? '', 'http://agent.invalid').pathname;
  } catch {
    return undefined;
  }
}
