import { HOST_LAB, Lab, type LabSelector } from '@netcanvas/kernel';
import { PROTOCOL_VERSION, type CommandRecord, type ServerMessage } from '@netcanvas/model';
import { startAgentServer, type AgentServer, type ClientSession } from '../server';
import { lockLab } from './agent-lock';
import { AuditLog } from './audit-log';
import { DocumentStore } from './document-store';
import { LiveState } from './live-state';
import { runPing } from './ping-tool';
import { Writer } from './writer';

export interface AgentOptions {
  selector: LabSelector;
  port: number;
  listen: string;
  allowedHosts?: string[];
  webRoot?: string;
  log?: (line: string) => void;
}

export interface RunningAgent {
  readonly server: AgentServer;
  readonly lab: Lab;
  /** Commands the agent ran at start to converge the kernel to the saved document. */
  readonly reconciled: { records: CommandRecord[]; conflicts: string[] };
  stop(): Promise<void>;
}

const LOG_KEPT = 500;
const PINGS_PER_CLIENT = 2;

/**
 * The agent: one lab, one document and its single writer, the live state, and the sessions of
 * every connected client. It reloads the saved document and reconciles the kernel with it before
 * it accepts anyone.
 */
export async function startAgent(options: AgentOptions): Promise<RunningAgent> {
  const log = options.log ?? (() => undefined);
  const unlock = await lockLab(options.selector.host ? HOST_LAB : options.selector.lab);
  let lab: Lab;
  try {
    lab = await Lab.open(options.selector, { create: true, mode: 'live' });
  } catch (error) {
    await unlock();
    throw error;
  }
  const store = new DocumentStore(lab.name);
  const audit = new AuditLog(lab.name);
  const saved = await store.load().catch(async (error: unknown) => {
    await lab.close();
    await unlock();
    throw error;
  });
  const sessions = new Set<ClientSession>();
  const recent: CommandRecord[] = [];

  const broadcast = (message: ServerMessage) => {
    for (const session of sessions) session.send(message);
  };
  const remember = (records: CommandRecord[]) => {
    recent.push(...records);
    if (recent.length > LOG_KEPT) recent.splice(0, recent.length - LOG_KEPT);
    if (records.length > 0) broadcast({ type: 'log', entries: records });
  };

  const live = new LiveState(lab, {
    patches: (patches, takenAt) => broadcast({ type: 'observed', takenAt, patches }),
    rates: (rates, at, intervalMs) => broadcast({ type: 'rates', at, intervalMs, rates }),
    ruleCounters: (counters, at) => broadcast({ type: 'ruleCounters', at, counters }),
    error: (error) => log(`live state: ${error instanceof Error ? error.message : String(error)}`),
  });
  const failed = async (error: unknown): Promise<never> => {
    // Nothing half-started stays behind: the live state's processes, the sessions, the lock.
    await live.stop().catch(() => undefined);
    await lab.close().catch(() => undefined);
    await unlock();
    throw error;
  };
  await live.start().catch(failed);

  const writer = new Writer(
    lab,
    store,
    live,
    audit,
    {
      committed(version, document, by, records) {
        remember(records);
        broadcast({ type: 'document', version, document, by });
      },
    },
    saved,
  );
  const reconciled = await writer.reconcile().catch(failed);
  for (const conflict of reconciled.conflicts) log(`cannot reconcile: ${conflict}`);

  const onSession = (session: ClientSession) => {
    sessions.add(session);
    let pings = 0;
    session.onClose(() => sessions.delete(session));
    session.send({
      type: 'welcome',
      protocolVersion: PROTOCOL_VERSION,
      role: session.role,
      clientId: session.clientId,
      lab: { name: lab.name, kind: lab.target.kind },
      version: writer.version,
      document: writer.document,
      observed: live.observed,
      log: recent.slice(-100),
    });
    session.onMessage((message) => {
      const fail = (error: unknown) => {
        log(`request failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        if ('requestId' in message)
          session.send({
            type: 'rejected',
            requestId: message.requestId,
            code: 'ERR_INTERNAL',
            message: 'the agent failed to handle this request; see its log',
            path: null,
            currentVersion: writer.version,
          });
      };
      switch (message.type) {
        case 'edit':
          writer.edit(message, session.clientId, session.role).then((reply) => session.send(reply), fail);
          break;
        case 'preview':
          writer.preview(message).then((reply) => session.send(reply), fail);
          break;
        case 'ping': {
          if (pings >= PINGS_PER_CLIENT) {
            session.send({
              type: 'rejected',
              requestId: message.requestId,
              code: 'ERR_BUSY',
              message: `at most ${PINGS_PER_CLIENT} pings at once`,
              path: null,
              currentVersion: -1,
            });
            break;
          }
          pings++;
          const names = live.observed.namespaces.map((ns) => ns.name);
          runPing(lab, message, names, (m) => session.send(m), session.clientId)
            .then(async (record) => {
              if (record) {
                await audit.append([record], session.role);
                remember([record]);
              }
            }, fail)
            .finally(() => pings--);
          break;
        }
        case 'hello':
          break; // the server answers a second hello itself
      }
    });
  };

  const server: AgentServer = await startAgentServer({
    port: options.port,
    listen: options.listen,
    allowedHosts: options.allowedHosts,
    webRoot: options.webRoot,
    labName: lab.name,
    health: () => ({
      ok: true,
      protocolVersion: PROTOCOL_VERSION,
      lab: lab.name,
      kind: lab.target.kind,
      version: writer.version,
      clients: sessions.size,
    }),
    onSession,
    log,
  }).catch(failed);

  let stopping: Promise<void> | undefined;
  return {
    server,
    lab,
    reconciled,
    stop() {
      // Idempotent: a second caller waits for the same shutdown.
      stopping ??= (async () => {
        await server.close();
        await live.stop();
        await lab.close();
        await unlock();
      })();
      return stopping;
    },
  };
}
