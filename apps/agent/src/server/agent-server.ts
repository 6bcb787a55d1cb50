import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { CloseReason, type Role } from '@netcanvas/model';
import { WebSocketServer } from 'ws';
import { Connection, UNKNOWN_VERSION } from './connection';
import { readSession } from './cookies';
import { createHostPolicy, hostName, isLoopbackAddress, urlHost, type HostPolicy } from './hosts';
import { createHttpApp } from './http-app';
import { resolveLimits } from './limits';
import { forLog, refuseUpgrade } from './refuse';
import { Secrets } from './secrets';
import { loadSessionKey, newSessionKey } from './session-key';
import type { AgentServer, AgentServerOptions } from './types';

const WS_PATH = '/ws';

const defaultLog = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

/**
 * The agent's one port: the web app and its API over HTTP (Express), and the live session over
 * a WebSocket at /ws. Every way in checks Host; the WebSocket also checks Origin and the session
 * cookie, all before the upgrade completes (docs/security.md, "The web side").
 */
export async function startAgentServer(options: AgentServerOptions): Promise<AgentServer> {
  const log = options.log ?? defaultLog;
  const limits = resolveLimits(options.limits);
  const listen = options.listen || '127.0.0.1';
  // Fail on a bad name now, not on the first request.
  hostName(listen);
  const allowedHosts = (options.allowedHosts ?? []).map(hostName);

  // The lab's key, kept across restarts when the agent gives a file (see secrets.ts).
  const key =
    options.sessionKeyFile === undefined
      ? newSessionKey()
      : await loadSessionKey(options.sessionKeyFile, { renew: options.newLinks, log });
  const secrets = new Secrets(key, options.clock);
  // Both known only once listening; requests cannot arrive before that, and are refused if they did.
  const bound: { port: number; policy?: HostPolicy } = { port: 0 };

  const app = createHttpApp({
    policy: () => bound.policy,
    port: () => bound.port,
    secrets,
    webRoot: options.webRoot === undefined ? undefined : path.resolve(options.webRoot),
    health: options.health,
    log,
  });
  const server = createServer(app);
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: limits.maxPayload,
    // Compression would let a small frame inflate into a large message, and costs CPU per client.
    perMessageDeflate: false,
    clientTracking: false,
  });

  /** Sockets between an accepted upgrade request and their close, per role: counted against that role's cap. */
  const upgrading: Record<Role, Set<Duplex>> = { editor: new Set(), viewer: new Set() };
  const caps: Record<Role, number> = {
    editor: limits.maxEditorConnections,
    viewer: limits.maxViewerConnections,
  };
  const connections = new Set<Connection>();
  let shuttingDown = false;

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // An 'error' on a raw upgrade socket with no listener would crash the process.
    socket.on('error', () => undefined);
    const who = req.socket.remoteAddress ?? 'unknown address';
    const refuse = (status: number, text: string, why: string) => {
      log(`refused WebSocket from ${who}: ${why}`);
      refuseUpgrade(socket, status, text);
    };
    // Only the path: the query may carry anything, including a token someone pasted.
    if (pathOf(req.url) !== WS_PATH) return refuse(404, 'Not Found', 'not the /ws path');
    const policy = bound.policy;
    if (!policy?.hostAllowed(req.headers.host))
      return refuse(421, 'Misdirected Request', `Host ${forLog(req.headers.host)} is not allowed`);
    if (!policy.originAllowed(req.headers.origin))
      return refuse(403, 'Forbidden: wrong Origin', `Origin ${forLog(req.headers.origin)} is not allowed`);
    const found = readSession(req.headers.cookie, bound.port, secrets);
    if (!found.ok)
      return refuse(
        401,
        'Unauthorized: open the editor or viewer link first',
        `no valid session cookie (${found.reason})`,
      );
    // The id is the session's, not the connection's: a reload, or a restart of the agent, keeps it.
    const { role, clientId } = found.session;
    if (shuttingDown) return refuse(503, 'Service Unavailable: shutting down', 'shutting down');
    const opening = upgrading[role];
    if (opening.size >= caps[role])
      return refuse(
        503,
        `Service Unavailable: too many ${role} connections`,
        `${opening.size} ${role} connections already`,
      );

    opening.add(socket);
    socket.once('close', () => opening.delete(socket));
    wss.handleUpgrade(req, socket, head, (ws) => {
      const connection = new Connection(ws, {
        clientId,
        role,
        limits,
        onSession: options.onSession,
        currentVersion: options.currentVersion ?? (() => UNKNOWN_VERSION),
        log,
      });
      connections.add(connection);
      // close() may have started while this handshake was finishing.
      if (shuttingDown) connection.closeWith(CloseReason.shuttingDown);
      void connection.closed.then(() => connections.delete(connection));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, listen, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  bound.port = port;
  bound.policy = createHostPolicy(listen, port, allowedHosts);
  if (!isLoopbackAddress(listen))
    log(
      `warning: lab "${options.labName}" is served on ${listen}, not only on this machine; anyone who can reach it and gets a link can use it`,
    );

  let closing: Promise<void> | undefined;
  const shutDown = async (): Promise<void> => {
    shuttingDown = true;
    const all = [...connections];
    for (const connection of all) connection.closeWith(CloseReason.shuttingDown);
    // Each ends within its close grace (answered, or cut).
    await Promise.all(all.map((connection) => connection.closed));
    for (const socket of [...upgrading.editor, ...upgrading.viewer]) socket.destroy();
    wss.close();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      // Idle keep-alive HTTP connections would hold close() open.
      server.closeAllConnections();
    });
  };

  const origin = `http://${urlHost(listen)}:${port}`;
  const editorUrl = `${origin}/?token=${secrets.issueEditorToken()}`;
  const viewerUrl = `${origin}/?view=${secrets.viewerToken}`;

  return {
    port,
    origin,
    editorUrl,
    viewerUrl,
    newEditorUrl: () => `${origin}/?token=${secrets.issueEditorToken()}`,
    close() {
      // A second call waits for the same shutdown instead of returning early.
      closing ??= shutDown();
      return closing;
    },
  };
}

function pathOf(url: string | undefined): string | undefined {
  try {
    return new URL(url ?? '', 'http://agent.invalid').pathname;
  } catch {
    return undefined;
  }
}
