import type { Lab, LiveState } from '@netcanvas/kernel';
import {
  ErrorCode,
  PROTOCOL_VERSION,
  type ClientMessage,
  type CommandRecord,
  type ServerMessage,
} from '@netcanvas/model';
import type { ClientSession } from '../server';
import type { AuditLog } from './audit-log';
import type { CaptureTool } from './capture-tool';
import type { CheckpointTool } from './checkpoint-tool';
import { answerPath } from './path-tool';
import { runPing } from './ping-tool';
import type { Terminals } from './terminals';
import type { LinkFlaps } from './link-flap';
import type { PresenterRelay } from './presenter-relay';
import type { LessonTool } from './lesson-tool';
import type { Writer } from './writer';
import { noClass, type ClassHub } from '../class/class-hub';

const LOG_KEPT = 500;
const LOG_IN_WELCOME = 100;
const PINGS_PER_CLIENT = 2;

/** The command log every client sees: the last few hundred commands, reloaded from the audit log at start. */
export class CommandLog {
  private readonly recent: CommandRecord[];

  constructor(
    initial: CommandRecord[],
    private readonly broadcast: (message: ServerMessage) => void,
  ) {
    this.recent = initial.slice(-LOG_KEPT);
  }

  remember(records: readonly CommandRecord[]): void {
    this.recent.push(...records);
    if (this.recent.length > LOG_KEPT) this.recent.splice(0, this.recent.length - LOG_KEPT);
    if (records.length > 0) this.broadcast({ type: 'log', entries: [...records] });
  }

  last(count = LOG_IN_WELCOME): CommandRecord[] {
    return this.recent.slice(-count);
  }
}

export interface SessionCore {
  lab: Lab;
  writer: Writer;
  live: LiveState;
  audit: AuditLog;
  commandLog: CommandLog;
  log: (line: string) => void;
  /** Packet captures, watched by every client (capture-tool.ts). */
  captures: CaptureTool;
  /** The browser terminals (off unless `serve --terminals`); terminals.ts. */
  terminals: Terminals;
  /** Link flaps under way (link-flap.ts). */
  flaps: LinkFlaps;
  /** Presenting: the lead's frames to the followers (presenter-relay.ts). */
  presenter: PresenterRelay;
  /** The class this agent (the trainer's) runs, or null (class/classroom.ts). */
  classroom: ClassHub | null;
  /** The lab's lesson: its goals checked against the kernel (lesson-tool.ts, lesson-runner.ts). */
  lessons: LessonTool;
  /** The lab's checkpoints: save, list, reset (checkpoint-tool.ts). */
  checkpoints: CheckpointTool;
}

/**
 * Every connected client: welcomed with a state never older than the last accepted change, then
 * served (edits through the writer, previews, pings) until it goes.
 */
export class ClientSessions {
  private readonly sessions = new Set<ClientSession>();

  get size(): number {
    return this.sessions.size;
  }

  broadcast(message: ServerMessage): void {
    for (const session of this.sessions) session.send(message);
  }

  /** Welcomes a client once the live state has read what is pending, then serves it. */
  async admit(session: ClientSession, core: SessionCore): Promise<void> {
    let closed = false;
    session.onClose(() => {
      closed = true;
      this.sessions.delete(session);
      // Its pings end with it: nobody reads their lines any more.
      for (const stop of pingsOf(session)) stop();
      core.terminals.forget(session);
      core.presenter.leave(session);
    });
    // The writer marks what its steps changed before it answers; reading that first means the
    // welcome's observed state includes every change accepted before this client came.
    await core.live.fresh().catch((error: unknown) => core.log(`live state: ${describe(error)}`));
    if (closed) return;
    // Same tick: from here on, every broadcast reaches this client, and the welcome holds
    // everything broadcast before it.
    this.sessions.add(session);
    session.send({
      type: 'welcome',
      protocolVersion: PROTOCOL_VERSION,
      role: session.role,
      clientId: session.clientId,
      lab: { name: core.lab.name, kind: core.lab.target.kind },
      version: core.writer.version,
      document: core.writer.document,
      observed: core.live.observed,
      log: core.commandLog.last(),
    });
    session.send({ type: 'captures', captures: core.captures.list() });
    session.send(core.terminals.listMessage());
    core.presenter.join(session);
    session.send(core.lessons.message());
    let pings = 0;
    session.onMessage((message) => {
      if (message.type === 'ping' && pings >= PINGS_PER_CLIENT) {
        session.send(
          rejection(message.requestId, ErrorCode.busy, `at most ${PINGS_PER_CLIENT} pings at once`, -1),
        );
        return;
      }
      if (message.type === 'ping') pings++;
      void handle(message, session, core).finally(() => {
        if (message.type === 'ping') pings--;
      });
    });
    // The lab's checkpoints, for the Checkpoints menu (after the welcome, which it does not hold up).
    void core.checkpoints.listMessage().then(
      (m) => session.send(m),
      (error: unknown) => core.log(`checkpoints: ${describe(error)}`),
    );
  }
}

/** The stop of each ping a client has running. */
const runningPings = new WeakMap<ClientSession, Set<() => void>>();
function pingsOf(session: ClientSession): Set<() => void> {
  let set = runningPings.get(session);
  if (!set) runningPings.set(session, (set = new Set()));
  return set;
}

type Handler<T extends ClientMessage['type']> = (
  message: Extract<ClientMessage, { type: T }>,
  session: ClientSession,
  core: SessionCore,
) => Promise<void>;

async function answerPing(
  message: Extract<ClientMessage, { type: 'ping' }>,
  session: ClientSession,
  core: SessionCore,
) {
  // As of now: a ping right after the edit that made its namespace finds it (the edit's own
  // read may still be under way; `fresh` waits for what is marked, and only that).
  const names = (await core.live.fresh()).namespaces.map((ns) => ns.name);
  const running = pingsOf(session);
  let stopThis: (() => void) | undefined;
  const record = await runPing(
    core.lab,
    message,
    names,
    (m) => session.send(m),
    session.clientId,
    (stop) => {
      stopThis = stop;
      running.add(stop);
    },
  ).finally(() => stopThis && running.delete(stopThis));
  if (record) {
    await core.audit.append([record], session.role);
    core.commandLog.remember([record]);
  }
}

/** What each message asks of the core, keyed by its type: a new message type does not compile without one. */
const handlers: { [T in ClientMessage['type']]: Handler<T> } = {
  edit: async (message, session, core) =>
    session.send(await core.writer.edit(message, session.clientId, session.role)),
  preview: async (message, session, core) => session.send(await core.writer.preview(message)),
  ping: answerPing,
  path: answerPath,
  captureStart: (message, session, core) =>
    core.captures.start(message, session.clientId, session.role, (m) => session.send(m)),
  captureStop: async (message, session, core) =>
    core.captures.stop(message.requestId, message.captureId, (m) => session.send(m)),
  terminalOpen: (message, session, core) => core.terminals.open(message, session),
  terminalAttach: async (message, session, core) => core.terminals.attach(message, session),
  terminalDetach: async (message, session, core) => core.terminals.detach(message, session),
  terminalInput: async (message, session, core) => core.terminals.input(message, session),
  terminalResize: async (message, session, core) => core.terminals.resize(message, session),
  terminalClose: async (message, session, core) => core.terminals.close(message, session),
  flapLink: (message, session, core) =>
    core.flaps.flap(message, session.clientId, session.role, (m) => session.send(m)),
  lessonLoad: (message, session, core) => core.lessons.load(message, session),
  lessonGoto: (message, session, core) => core.lessons.goto(message, session),
  checkpointSave: (message, session, core) => core.checkpoints.save(message, session),
  checkpointList: (message, session, core) => core.checkpoints.list(message, session),
  checkpointReset: (message, session, core) => core.checkpoints.reset(message, session),
  checkpointDelete: (message, session, core) => core.checkpoints.delete(message, session),
  classWatch: async (message, session, core) =>
    core.classroom ? core.classroom.watch(message, session) : noClass(message, session),
  classLink: async (message, session, core) =>
    core.classroom ? core.classroom.link(message, session) : noClass(message, session),
  classReset: async (message, session, core) =>
    core.classroom ? core.classroom.reset(message, session) : noClass(message, session),
  presenting: async (message, session, core) => core.presenter.presenting(session, message.on),
  presenterFrame: async (message, session, core) => core.presenter.frameFrom(session, message.frame),
  presenterFollow: async (message, session, core) => core.presenter.follow(session, message.follow),
  hello: async () => undefined, // the server answers a second hello itself
};

/** Answers one message; a failure is told to the client with its reason, never thrown. */
async function handle(message: ClientMessage, session: ClientSession, core: SessionCore): Promise<void> {
  try {
    // TypeScript cannot pair `handlers[message.type]` with `message` by itself; the map's type does.
    await (handlers[message.type] as Handler<ClientMessage['type']>)(message, session, core);
  } catch (error) {
    core.log(
      `request ${message.type} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    if (!('requestId' in message)) return;
    const gone = core.lab.isGone();
    session.send(
      rejection(
        message.requestId,
        ErrorCode.internal,
        gone
          ? `the lab's sandbox is gone (destroyed from outside the agent); nothing was changed. Restart the agent (netcanvas serve) to make the lab again from its document`
          : `the agent could not handle this request: ${describe(error)}`,
        core.writer.version,
      ),
    );
  }
}

const rejection = (
  requestId: string,
  code: ErrorCode,
  message: string,
  currentVersion: number,
): Extract<ServerMessage, { type: 'rejected' }> => ({
  type: 'rejected',
  requestId,
  code,
  message,
  path: null,
  currentVersion,
});

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));
