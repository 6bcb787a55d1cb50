import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WebSocketServer } from 'ws';
import { createHostPolicy, hostName, isLoopbackAddress, urlHost, type HostPolicy } from './hosts';
import { createHttpApp } from './http-app';
import { resolveLimits } from './limits';
import { Secrets } from './secrets';
import { loadSessionKey, newSessionKey } from './session-key';
import type { AgentServer, AgentServerOptions } from './types';
import { Sockets, upgradeHandler } from './upgrade';

const defaultLog = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

/**
 * The agent's one port: the web app and its API over HTTP (Express), and the live session over
 * a WebSocket at /ws. Every way in checks Host; the WebSocket also checks Origin and the session
 * cookie, all before the upgrade completes (upgrade.ts; docs/security.md, "The web side").
 */
export async function startAgentServer(options: AgentServerOptions): Promise<AgentServer> {
  const log = options.log ?? defaultLog;
  const limits = resolveLimits(options.limits);
  const listenOn = options.listen || '127.0.0.1';
  // Fail on a bad name now, not on the first request.
  hostName(listenOn);
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
    capturePcap: options.capturePcap,
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

  const sockets = new Sockets();
  server.on('upgrade', upgradeHandler({ wss, sockets, secrets, limits, bound, options, log }));

  await listen(server, options.port, listenOn);
  const port = (server.address() as AddressInfo).port;
  bound.port = port;
  bound.policy = createHostPolicy(listenOn, port, allowedHosts);
  if (!isLoopbackAddress(listenOn))
    log(
      `warning: lab "${options.labName}" is served on ${listenOn}, not only on this machine; anyone who can reach it and gets a link can use it`,
    );

  let closing: Promise<void> | undefined;
  const shutDown = async (): Promise<void> => {
    await sockets.closeAll();
    wss.close();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      // Idle keep-alive HTTP connections would hold close() open.
      server.closeAllConnections();
    });
  };

  const origin = `http://${urlHost(listenOn)}:${port}`;
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

/** Listens on `port` at `address`; rejects if it cannot (the port taken, the address not this machine's). */
function listen(server: Server, port: number, address: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, address, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
