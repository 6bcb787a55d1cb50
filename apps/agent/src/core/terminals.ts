import { LabInputError, type Lab, type LiveState, type TerminalHandle } from '@netcanvas/kernel';
import {
  ErrorCode,
  MAX_RUNNING_TERMINALS,
  ROOT,
  TERMINALS_OFF_MESSAGE,
  runningLimitProblem,
  type ClientMessage,
  type LabLimits,
  type ServerMessage,
  type TerminalInfo,
} from '@netcanvas/model';
import type { ClientSession } from '../server';
import type { AuditLog } from './audit-log';
import { ByteBudget, Scrollback, TypedLines } from './terminal-parts';
import { hasNamespaceNow, lookAgain } from './look-again';

type Message<T extends ClientMessage['type']> = Extract<ClientMessage, { type: T }>;

/** A terminal nobody with the editor link has attached for this long is ended (a tab closed for good). */
const ORPHAN_MS = 10 * 60 * 1000;
/** How often terminals are checked against the lab's namespaces (one deleted behind our back). */
const NAMESPACE_CHECK_MS = 500;
/** Typing and pasting: this many characters a second per terminal, this many at once. */
const INPUT_PER_SECOND = 16 * 1024;
const INPUT_BURST = 64 * 1024;
/** Output is sent on at most this rate per terminal; beyond it the shell waits (the pty is paused). */
const OUTPUT_PER_SECOND = 1024 * 1024;
const OUTPUT_BURST = 256 * 1024;

export interface TerminalsDeps {
  lab: Lab;
  live: LiveState;
  audit: AuditLog;
  /** To every connected client (the list of terminals, a terminal's end). */
  broadcast: (message: ServerMessage) => void;
  log: (line: string) => void;
  /** A class's limit on terminals running at once in this lab (below MAX_RUNNING_TERMINALS). */
  limits?: Pick<LabLimits, 'terminals'>;
}

/** One running shell and who is watching it. */
interface Running {
  info: TerminalInfo;
  handle: TerminalHandle;
  scrollback: Scrollback;
  watchers: Set<ClientSession>;
  typed: TypedLines;
  /** Who typed last: the author of the line the audit log gets next. */
  typist: ClientSession;
  input: ByteBudget;
  output: ByteBudget;
  pending: string;
  flushing: boolean;
  ended: boolean;
  orphanTimer: NodeJS.Timeout | null;
}

/**
 * The agent's browser terminals (issue 12 §1): off unless `serve --terminals`. Editors open, type,
 * resize and close; anyone attaches to watch. A terminal outlives the page that opened it (a
 * reload attaches again, its scrollback replayed) until it is closed, its shell exits, its
 * namespace goes, or no editor has watched it for ORPHAN_MS. Every session and every line typed
 * goes to the audit log.
 */
export class Terminals {
  private readonly running = new Map<string, Running>();
  private checkTimer: NodeJS.Timeout | null = null;
  private count = 0;
  /** Opens past the limit check, waiting for their shell: they hold a slot each. */
  private opening = 0;

  constructor(
    readonly enabled: boolean,
    private readonly deps: TerminalsDeps,
  ) {}

  /** The list every client gets after its welcome and whenever a terminal opens, ends or resizes. */
  listMessage(): ServerMessage {
    return {
      type: 'terminals',
      enabled: this.enabled,
      terminals: [...this.running.values()].map((r) => r.info),
    };
  }

  async open(m: Message<'terminalOpen'>, session: ClientSession): Promise<void> {
    if (!this.refuseUnlessOn(m.requestId, session)) return;
    const most = Math.min(MAX_RUNNING_TERMINALS, this.deps.limits?.terminals ?? MAX_RUNNING_TERMINALS);
    if (this.running.size + this.opening >= most) {
      const full = runningLimitProblem('terminals', most);
      return reject(session, m.requestId, ErrorCode.busy, full.message, full.path);
    }
    // The slot is held from here: opens sent together must not all pass the count above while
    // each waits for its shell (4 shells ran against a class's limit of 2).
    this.opening++;
    let handle: TerminalHandle | null;
    try {
      handle = await this.shellFor(m, session);
    } finally {
      this.opening--;
    }
    if (handle) this.started(m, handle, session);
  }

  /** The shell for an open, or null when refused (the refusal sent). */
  private async shellFor(m: Message<'terminalOpen'>, session: ClientSession): Promise<TerminalHandle | null> {
    if (!(await hasNamespaceNow(this.deps.live, m.namespace))) {
      reject(
        session,
        m.requestId,
        ErrorCode.invalid,
        `the lab has no namespace "${m.namespace}"`,
        'namespace',
      );
      return null;
    }
    try {
      return await this.deps.lab.terminal(m.namespace, { cols: m.cols, rows: m.rows });
    } catch (error) {
      if (!(error instanceof LabInputError)) throw error;
      reject(session, m.requestId, ErrorCode.invalid, error.message, error.field);
      return null;
    }
  }

  private started(m: Message<'terminalOpen'>, handle: TerminalHandle, session: ClientSession): void {
    const id = `t${++this.count}-${Date.now().toString(36)}`;
    const info: TerminalInfo = {
      id,
      namespace: m.namespace,
      openedBy: session.clientId,
      openedAt: new Date().toISOString(),
      cols: m.cols,
      rows: m.rows,
    };
    const running = this.track(info, handle, session);
    this.audit('terminalOpened', running, session, { argv: handle.shown });
    this.attachTo(running, session, m.requestId);
    this.deps.broadcast(this.listMessage());
  }

  attach(m: Message<'terminalAttach'>, session: ClientSession): void {
    if (!this.refuseUnlessOn(m.requestId, session)) return;
    const running = this.running.get(m.terminalId);
    if (!running)
      return reject(
        session,
        m.requestId,
        ErrorCode.invalid,
        `no terminal ${m.terminalId} is running`,
        'terminalId',
      );
    this.attachTo(running, session, m.requestId);
    this.audit('terminalAttached', running, session);
  }

  detach(m: Message<'terminalDetach'>, session: ClientSession): void {
    const running = this.running.get(m.terminalId);
    if (running) this.unwatch(running, session);
  }

  input(m: Message<'terminalInput'>, session: ClientSession): void {
    const running = this.editable(m.terminalId, session);
    if (!running) return;
    if (!running.input.take(m.data.length)) {
      session.send({
        type: 'error',
        code: ErrorCode.rateLimited,
        message: `terminal ${running.info.id}: typing too fast (at most ${INPUT_PER_SECOND} characters a second, ${INPUT_BURST} at once); some input was dropped`,
      });
      return;
    }
    if (running.typist !== session) running.typed.flush();
    running.typist = session;
    running.typed.push(m.data);
    running.handle.write(m.data);
  }

  resize(m: Message<'terminalResize'>, session: ClientSession): void {
    const running = this.editable(m.terminalId, session);
    if (!running || (running.info.cols === m.cols && running.info.rows === m.rows)) return;
    running.handle.resize(m.cols, m.rows);
    running.info = { ...running.info, cols: m.cols, rows: m.rows };
    this.deps.broadcast(this.listMessage());
  }

  close(m: Message<'terminalClose'>, session: ClientSession): void {
    const running = this.editable(m.terminalId, session);
    if (running) this.end(running, `closed by ${session.clientId}`);
  }

  /** A client went: it watches nothing any more. */
  forget(session: ClientSession): void {
    for (const running of this.running.values()) this.unwatch(running, session);
  }

  /** The agent stops: every shell ends with it. */
  stop(): void {
    for (const running of [...this.running.values()]) this.end(running, 'the agent stopped');
  }

  private refuseUnlessOn(requestId: string, session: ClientSession): boolean {
    if (!this.enabled) reject(session, requestId, ErrorCode.forbidden, TERMINALS_OFF_MESSAGE);
    return this.enabled;
  }

  /** The terminal, if this session may type into it (an editor's, and it runs). */
  private editable(id: string, session: ClientSession): Running | null {
    if (!this.enabled || session.role !== 'editor') return null;
    return this.running.get(id) ?? null;
  }

  private track(info: TerminalInfo, handle: TerminalHandle, session: ClientSession): Running {
    const running: Running = {
      info,
      handle,
      scrollback: new Scrollback(),
      watchers: new Set(),
      typed: new TypedLines((typed) => this.audit('terminalTyped', running, running.typist, { typed })),
      typist: session,
      input: new ByteBudget(INPUT_PER_SECOND, INPUT_BURST),
      output: new ByteBudget(OUTPUT_PER_SECOND, OUTPUT_BURST),
      pending: '',
      flushing: false,
      ended: false,
      orphanTimer: null,
    };
    this.running.set(info.id, running);
    handle.onData((data) => this.output(running, data));
    handle.onExit((exit) => void this.exited(running, exit.exitCode));
    this.checkTimer ??= setInterval(() => this.checkNamespaces(), NAMESPACE_CHECK_MS);
    this.checkTimer.unref();
    return running;
  }

  private attachTo(running: Running, session: ClientSession, requestId: string): void {
    running.watchers.add(session);
    if (session.role === 'editor' && running.orphanTimer) {
      clearTimeout(running.orphanTimer);
      running.orphanTimer = null;
    }
    // Output not yet flushed is in the scrollback already: flushed now, it would come twice.
    this.flush(running);
    session.send({
      type: 'terminalAttached',
      requestId,
      terminal: running.info,
      scrollback: running.scrollback.value,
    });
  }

  private unwatch(running: Running, session: ClientSession): void {
    running.watchers.delete(session);
    const editors = [...running.watchers].some((s) => s.role === 'editor');
    if (!editors && !running.orphanTimer && !running.ended) {
      running.orphanTimer = setTimeout(
        () => this.end(running, 'no editor watched it for 10 minutes'),
        ORPHAN_MS,
      );
      running.orphanTimer.unref();
    }
  }

  /** Output goes out in one message per turn of the event loop, within the output budget. */
  private output(running: Running, data: string): void {
    running.scrollback.push(data);
    running.pending += data;
    if (running.flushing) return;
    running.flushing = true;
    setImmediate(() => this.flush(running));
    if (!running.output.take(data.length)) {
      running.handle.pause();
      setTimeout(() => running.handle.resume(), Math.min(1000, running.output.waitFor(data.length)));
    }
  }

  private flush(running: Running): void {
    running.flushing = false;
    if (running.pending === '') return;
    const message: ServerMessage = {
      type: 'terminalOutput',
      terminalId: running.info.id,
      data: running.pending,
    };
    running.pending = '';
    for (const session of running.watchers) session.send(message);
  }

  /**
   * The shell ended by itself, or was killed because its namespace was deleted (say which). A
   * delete ends the namespace's processes a moment before the namespace goes (the kernel's apply
   * kills them first), so the namespace is looked for again for a while before "exited" is said.
   */
  private async exited(running: Running, exitCode: number): Promise<void> {
    if (running.ended) return;
    const ns = running.info.namespace;
    const outcome =
      ns === ROOT
        ? 'there'
        : await lookAgain(
            this.deps.live,
            (observed) => !observed.namespaces.some((n) => n.name === ns),
            () => running.ended,
          );
    if (outcome === 'cancelled') return;
    this.end(running, outcome === 'gone' ? namespaceGone(ns) : `the shell exited (code ${exitCode})`);
  }

  private checkNamespaces(): void {
    const names = new Set(this.deps.live.observed.namespaces.map((ns) => ns.name));
    for (const running of [...this.running.values()])
      if (running.info.namespace !== ROOT && !names.has(running.info.namespace))
        this.end(running, namespaceGone(running.info.namespace));
  }

  private end(running: Running, reason: string): void {
    if (running.ended) return;
    running.ended = true;
    this.flush(running);
    running.typed.flush();
    if (running.orphanTimer) clearTimeout(running.orphanTimer);
    running.handle.kill();
    this.running.delete(running.info.id);
    if (this.running.size === 0 && this.checkTimer) {
      clearInterval(this.checkTimer);
      this.checkTimer = null;
    }
    this.audit('terminalEnded', running, null, { reason });
    this.deps.broadcast({ type: 'terminalEnded', terminalId: running.info.id, reason });
    this.deps.broadcast(this.listMessage());
  }

  private audit(
    event: string,
    running: Running,
    session: ClientSession | null,
    extra: Record<string, unknown> = {},
  ): void {
    void this.deps.audit.note({
      event,
      terminal: running.info.id,
      namespace: running.info.namespace,
      ...(session ? { by: session.clientId, role: session.role } : {}),
      ...extra,
    });
  }
}

const namespaceGone = (ns: string) => `namespace ${ns} was deleted: this terminal is closed`;

function reject(
  session: ClientSession,
  requestId: string,
  code: ErrorCode,
  message: string,
  path: string | null = null,
): void {
  session.send({ type: 'rejected', requestId, code, message, path, currentVersion: -1 });
}
