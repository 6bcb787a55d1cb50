import { PROTOCOL_VERSION } from '@netcanvas/model';
import path from 'node:path';
import {
  SESSION_KEY_FILE,
  UNKNOWN_VERSION,
  startAgentServer,
  type AgentServer,
  type ClientSession,
} from '../server';
import type { AgentOptions } from './agent';
import type { ClientSessions, SessionCore } from './client-sessions';
import { labStateDir } from './state-dir';
import type { Writer } from './writer';

export type AgentCore = SessionCore & { writer: Writer };

/**
 * Holds clients that connect while the agent is still starting: each is admitted once the core
 * (lab, document, writer, live state) is ready, so its welcome is never of a half-started agent.
 */
export class SessionGate {
  private current: AgentCore | null = null;
  private markReady: () => void = () => undefined;
  private readonly ready = new Promise<void>((resolve) => (this.markReady = resolve));

  constructor(private readonly sessions: ClientSessions) {}

  get core(): AgentCore | null {
    return this.current;
  }

  admitWhenReady(session: ClientSession): void {
    void this.ready.then(() => (this.current ? this.sessions.admit(session, this.current) : undefined));
  }

  open(core: AgentCore): void {
    this.current = core;
    this.markReady();
  }
}

/** Binds the port before the kernel is touched; /api/health says "starting" until the gate opens. */
export function serveClients(
  options: AgentOptions,
  labName: string,
  sessions: ClientSessions,
  gate: SessionGate,
  log: (line: string) => void,
): Promise<AgentServer> {
  return startAgentServer({
    port: options.port,
    listen: options.listen,
    allowedHosts: options.allowedHosts,
    webRoot: options.webRoot,
    labName,
    // In the lab's state folder: sessions and the viewer link outlive a restart.
    sessionKeyFile: path.join(labStateDir(labName), SESSION_KEY_FILE),
    newLinks: options.newLinks,
    health: () => ({
      ok: gate.core !== null,
      ...(gate.core === null ? { starting: true } : {}),
      protocolVersion: PROTOCOL_VERSION,
      lab: labName,
      version: gate.core?.writer.version ?? null,
      clients: sessions.size,
    }),
    onSession: (session) => gate.admitWhenReady(session),
    capturePcap: (id) => gate.core?.captures.pcap(id) ?? null,
    currentVersion: () => gate.core?.writer.version ?? UNKNOWN_VERSION,
    log,
  });
}
