import { HOST_LAB, Lab, type LabSelector } from '@netcanvas/kernel';
import { PROTOCOL_VERSION, type CommandRecord } from '@netcanvas/model';
import path from 'node:path';
import { SESSION_KEY_FILE, startAgentServer, type AgentServer, type ClientSession } from '../server';
import { lockLab } from './agent-lock';
import { AuditLog } from './audit-log';
import { ClientSessions, CommandLog, type SessionCore } from './client-sessions';
import { DocumentStore } from './document-store';
import { LiveState } from './live-state';
import { labStateDir } from './state-dir';
import { startupDocument } from './startup-document';
import { watchUnhandled } from './unhandled';
import { Writer } from './writer';

export interface AgentOptions {
  selector: LabSelector;
  port: number;
  listen: string;
  allowedHosts?: string[];
  webRoot?: string;
  log?: (line: string) => void;
  /** `serve --new-links`: renew the lab's session key (new viewer link, earlier sessions refused). */
  newLinks?: boolean;
}

export interface RunningAgent {
  readonly server: AgentServer;
  readonly lab: Lab;
  /** Commands the agent ran at start to converge the kernel to the saved document. */
  readonly reconciled: { records: CommandRecord[]; conflicts: string[]; kept: string[] };
  /** What the agent said about its document at start (recovered from the kernel, a damaged file kept aside). */
  readonly notes: string[];
  /** Unhandled rejections and exceptions logged (not fatal) since start: tests expect none. */
  readonly unhandled: readonly string[];
  stop(): Promise<void>;
}

/**
 * The agent: one lab, one document and its single writer, the live state, and the sessions of
 * every connected client. Start-up goes from what cannot harm to what changes the kernel:
 * lock the lab, check the options and bind the port, then open the lab, load (or recover) the
 * document and reconcile; clients that connect meanwhile are welcomed once all that is done.
 * A failure at any point undoes what was started, in reverse.
 */
export async function startAgent(options: AgentOptions): Promise<RunningAgent> {
  const log = options.log ?? (() => undefined);
  const undo: (() => Promise<unknown>)[] = [];
  const failed = async (error: unknown): Promise<never> => {
    for (const step of undo.reverse()) await step().catch(() => undefined);
    throw error;
  };
  const unhandled = watchUnhandled(log);
  undo.push(async () => unhandled.stop());
  const unlock = await lockLab(options.selector.host ? HOST_LAB : options.selector.lab).catch(failed);
  undo.push(unlock);

  const sessions = new ClientSessions();
  let core: (SessionCore & { writer: Writer }) | null = null;
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const onSession = (session: ClientSession) => {
    void ready.then(() => (core ? sessions.admit(session, core) : undefined));
  };
  const server = await startAgentServer({
    port: options.port,
    listen: options.listen,
    allowedHosts: options.allowedHosts,
    webRoot: options.webRoot,
    labName: options.selector.host ? HOST_LAB : options.selector.lab,
    // In the lab's state folder: sessions and the viewer link outlive a restart.
    sessionKeyFile: path.join(
      labStateDir(options.selector.host ? HOST_LAB : options.selector.lab),
      SESSION_KEY_FILE,
    ),
    newLinks: options.newLinks,
    health: () => ({
      ok: core !== null,
      ...(core === null ? { starting: true } : {}),
      protocolVersion: PROTOCOL_VERSION,
      lab: options.selector.host ? HOST_LAB : options.selector.lab,
      version: core?.writer.version ?? null,
      clients: sessions.size,
    }),
    onSession,
    log,
  }).catch(failed);
  undo.push(() => server.close());

  // Only now is the kernel touched.
  const lab = await Lab.open(options.selector, { create: true, mode: 'live' }).catch(failed);
  undo.push(() => lab.close());
  const audit = new AuditLog(lab.name, (problem) => log(problem));
  const commandLog = new CommandLog(await audit.recent(500), (m) => sessions.broadcast(m));
  const store = new DocumentStore(lab.name);
  const startup = await startupDocument(store, lab).catch(failed);
  for (const note of startup.notes) log(note);

  // A lab in trouble fails every read (once a second): say each problem once, and when it ends.
  const liveErrors = onceEach(log);
  const live = new LiveState(lab, {
    patches: (patches, takenAt) => sessions.broadcast({ type: 'observed', takenAt, patches }),
    rates: (rates, at, intervalMs) => sessions.broadcast({ type: 'rates', at, intervalMs, rates }),
    ruleCounters: (counters, at) => sessions.broadcast({ type: 'ruleCounters', at, counters }),
    fdbAges: (ages, at) => sessions.broadcast({ type: 'fdbAges', at, ages }),
    error: (error) => liveErrors.say(`live state: ${error instanceof Error ? error.message : String(error)}`),
  });
  undo.push(() => live.stop());
  await live.start().catch(failed);

  const writer = new Writer(
    lab,
    store,
    live,
    audit,
    {
      committed(version, document, by, records) {
        commandLog.remember(records);
        sessions.broadcast({ type: 'document', version, document, by });
      },
    },
    startup.state,
  );
  const reconciled = await writer.reconcile({ keepOwned: startup.recovered }).catch(failed);
  for (const conflict of reconciled.conflicts) log(`cannot reconcile: ${conflict}`);
  for (const kept of reconciled.kept)
    log(`kept (the document was recovered; nothing owned is deleted): ${kept}`);
  core = { lab, writer, live, audit, commandLog, log };
  markReady();

  let stopping: Promise<void> | undefined;
  return {
    server,
    lab,
    reconciled,
    notes: startup.notes,
    unhandled: unhandled.seen,
    stop() {
      // Idempotent: a second caller waits for the same shutdown.
      stopping ??= (async () => {
        await server.close();
        await live.stop();
        await lab.close();
        await unlock();
        unhandled.stop();
      })();
      return stopping;
    },
  };
}

/** Logs a line only when it differs from the last one logged (a fault repeats once a second). */
function onceEach(log: (line: string) => void): { say(line: string): void } {
  let last = '';
  return {
    say(line) {
      if (line !== last) log(line);
      last = line;
    },
  };
}
