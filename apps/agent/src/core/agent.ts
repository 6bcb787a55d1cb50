import { HOST_LAB, Lab, type LabSelector } from '@netcanvas/kernel';
import type { LabLimits, Lesson, LessonProgress } from '@netcanvas/model';
import type { ClassHub } from '../class/class-hub';
import type { AgentServer, ClientSession } from '../server';
import { lockLab } from './agent-lock';
import { openCore, type OpenedCore } from './agent-core';
import { SessionGate, serveClients } from './agent-serve';
import {
  claimHandMade,
  resetLab,
  scrubAfterReset,
  type ResetReply,
  type ResetTarget,
} from './checkpoint-reset';
import { ClientSessions } from './client-sessions';
import { StartUndo } from './start-undo';
import { watchUnhandled } from './unhandled';

export interface AgentOptions {
  selector: LabSelector;
  port: number;
  listen: string;
  allowedHosts?: string[];
  webRoot?: string;
  log?: (line: string) => void;
  /** `serve --new-links`: renew the lab's session key (new viewer link, earlier sessions refused). */
  newLinks?: boolean;
  /** `serve --terminals`: editors may open shells in the lab (docs/security.md, "Terminals"). */
  terminals?: boolean;
  /** `serve --lesson`: the lab's lesson, read and checked before the agent starts. */
  lesson?: Lesson;
  /** A student's lab in a class: what it may hold (model class-limits.ts). */
  limits?: LabLimits;
  /** `serve --class N`: the trainer's agent answers its editors about the class. */
  classroom?: ClassHub;
}

export interface RunningAgent {
  readonly server: AgentServer;
  readonly lab: Lab;
  /** Commands the agent ran at start to converge the kernel to the saved document. */
  readonly reconciled: OpenedCore['reconciled'];
  /** What the agent said about its document at start (recovered from the kernel, a damaged file kept aside). */
  readonly notes: string[];
  /** Unhandled rejections and exceptions logged (not fatal) since start: tests expect none. */
  readonly unhandled: readonly string[];
  /** Admits a client made in this process (the class's watcher of a student's lab), as if it had connected. */
  attach(session: ClientSession): void;
  /** Clients connected now, those attached in this process included. */
  clientCount(): number;
  /**
   * Resets the lab to a document or a checkpoint, as an edit by `by` (the class's reset of a
   * student's lab: checkpoint-reset.ts); with `restartLesson`, the lesson starts again at its first
   * step, nothing done; with `removeHandMade` (a lab that is wholly its owner's sandbox: a class's
   * student's), what was made by hand is taken into the lab first, so the reset removes it too, and
   * what could not be taken is removed after it (checkpoint-reset.ts `scrubAfterReset`).
   */
  reset(
    target: ResetTarget,
    by: string,
    options?: { restartLesson?: boolean; removeHandMade?: boolean },
  ): Promise<ResetReply>;
  /** The lesson's progress now (null without a lesson), as its runner has it. */
  lessonProgress(): LessonProgress | null;
  stop(): Promise<void>;
}

/**
 * The agent: one lab, one document and its single writer, the live state, and the sessions of
 * every connected client. Start-up goes from what cannot harm to what changes the kernel:
 * lock the lab, check the options and bind the port (agent-serve), then open the lab, load (or
 * recover) the document and reconcile (agent-core); clients that connect meanwhile are welcomed
 * once all that is done, and served by client-sessions. A failure at any point undoes what was
 * started, in reverse (start-undo).
 */
export async function startAgent(options: AgentOptions): Promise<RunningAgent> {
  const log = options.log ?? (() => undefined);
  const labName = options.selector.host ? HOST_LAB : options.selector.lab;
  const undo = new StartUndo();
  const unhandled = watchUnhandled(log);
  undo.push(async () => unhandled.stop());
  const unlock = await undo.guard(lockLab(labName));
  undo.push(unlock);

  const sessions = new ClientSessions();
  const gate = new SessionGate(sessions);
  const server = await undo.guard(serveClients(options, labName, sessions, gate, log));
  undo.push(() => server.close());

  // Only now is the kernel touched.
  const lab = await undo.guard(Lab.open(options.selector, { create: true, mode: 'live' }));
  undo.push(() => lab.close());
  const { core, reconciled, notes } = await openCore(lab, sessions, undo, log, {
    terminals: options.terminals === true,
    ...(options.lesson ? { lesson: options.lesson } : {}),
    limits: options.limits,
    classroom: options.classroom,
  });
  gate.open(core);

  let stopping: Promise<void> | undefined;
  return {
    server,
    lab,
    reconciled,
    notes,
    unhandled: unhandled.seen,
    attach: (session) => gate.admitWhenReady(session),
    clientCount: () => sessions.size,
    async reset(target, by, { restartLesson = false, removeHandMade = false } = {}) {
      // Only a sandbox lab of its own: on the host, what was not made by the lab is the machine's.
      const wholly = removeHandMade && lab.target.kind === 'sandbox';
      if (wholly) await claimHandMade(core, { by, role: 'editor' });
      const reset = await resetLab(core, target, { by, role: 'editor' });
      // What the claim could not adopt, the reset left: removed now, in the kernel too.
      const reply = wholly ? await scrubAfterReset(core, reset, { by, role: 'editor' }) : reset;
      if (restartLesson && reply.type === 'accepted') {
        // Judged on the kernel as the reset left it, not on a reading from before it.
        await core.live.fresh();
        await core.lessons.runner.restart();
      }
      return reply;
    },
    lessonProgress: () => core.lessons.runner.state(),
    stop() {
      // Idempotent: a second caller waits for the same shutdown.
      stopping ??= (async () => {
        core.terminals.stop();
        core.lessons.stop();
        await core.captures.stopAll();
        await server.close();
        await core.live.stop();
        await lab.close();
        await unlock();
        unhandled.stop();
      })();
      return stopping;
    },
  };
}
