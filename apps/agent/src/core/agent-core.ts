import type { Lab } from '@netcanvas/kernel';
import type { CommandRecord, LabLimits, Lesson, ObservedPatch } from '@netcanvas/model';
import type { ClassHub } from '../class/class-hub';
import { documentMessage } from '../server';
import type { AgentCore } from './agent-serve';
import { AuditLog } from './audit-log';
import { CaptureTool } from './capture-tool';
import { CheckpointTool } from './checkpoint-tool';
import { LinkFlaps } from './link-flap';
import { CommandLog, type ClientSessions } from './client-sessions';
import { DocumentStore } from './document-store';
import type { StartUndo } from './start-undo';
import { startupDocument } from './startup-document';
import { Terminals } from './terminals';
import { PresenterRelay } from './presenter-relay';
import { openLessons, type LessonTool } from './lesson-tool';
import { Writer, type WriterEvents } from './writer';

export interface OpenedCore {
  core: AgentCore;
  reconciled: { records: CommandRecord[]; conflicts: string[]; kept: string[] };
  notes: string[];
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

/** The live state, its patches, rates and counters broadcast to every client. */
async function startLive(
  lab: Lab,
  sessions: ClientSessions,
  undo: StartUndo,
  log: (line: string) => void,
  /** Told each patch (the lesson's goals are judged again). */
  changed: (patches: ObservedPatch[]) => void = () => undefined,
) {
  // A lab in trouble fails every read (once a second): say each problem once, and when it ends.
  const liveErrors = onceEach(log);
  const live = lab.live({
    patches: (patches, takenAt) => {
      sessions.broadcast({ type: 'observed', takenAt, patches });
      changed(patches);
    },
    rates: (rates, at, intervalMs) => sessions.broadcast({ type: 'rates', at, intervalMs, rates }),
    ruleCounters: (counters, at) => sessions.broadcast({ type: 'ruleCounters', at, counters }),
    fdbAges: (ages, at) => sessions.broadcast({ type: 'fdbAges', at, ages }),
    error: (error) => liveErrors.say(`live state: ${error instanceof Error ? error.message : String(error)}`),
  });
  undo.push(() => live.stop());
  await undo.guard(live.start());
  return live;
}

export interface CoreOptions {
  terminals: boolean;
  /** A class's limits on this lab (class-limits.ts); none beyond the agent's own without. */
  limits?: LabLimits;
  /** The class this (the trainer's) agent runs. */
  classroom?: ClassHub;
  /** `serve --lesson`: the lesson the lab starts with (lesson-catalog.ts read it). */
  lesson?: Lesson;
}

/**
 * Everything behind the sessions, on an opened lab: the audit and command logs, the document
 * loaded (or recovered from the kernel), the live state, and the one writer, which first
 * reconciles the kernel with the document.
 */
export async function openCore(
  lab: Lab,
  sessions: ClientSessions,
  undo: StartUndo,
  log: (line: string) => void,
  options: CoreOptions = { terminals: false },
): Promise<OpenedCore> {
  const audit = new AuditLog(lab.name, (problem) => log(problem));
  const commandLog = new CommandLog(await audit.recent(500), (m) => sessions.broadcast(m));
  const store = new DocumentStore(lab.name);
  const startup = await undo.guard(startupDocument(store, lab));
  for (const note of startup.notes) log(note);
  let lessons: LessonTool | null = null;
  const live = await startLive(lab, sessions, undo, log, (patches) => lessons?.changed(patches));
  const committed: WriterEvents = {
    committed(version, document, by, records, change) {
      commandLog.remember(records);
      sessions.broadcast(documentMessage(version, document, by, change));
    },
  };
  const writer = new Writer(lab, store, live, audit, committed, startup.state, options.limits);
  const reconciled = await undo.guard(writer.reconcile({ keepOwned: startup.recovered }));
  for (const conflict of reconciled.conflicts) log(`cannot reconcile: ${conflict}`);
  for (const kept of reconciled.kept)
    log(`kept (the document was recovered; nothing owned is deleted): ${kept}`);
  const captures = new CaptureTool({
    lab,
    live,
    broadcast: (m) => sessions.broadcast(m),
    limits: options.limits,
    record: async (record, role) => {
      await audit.append([record], role);
      commandLog.remember([record]);
    },
  });
  undo.push(() => captures.stopAll());
  const broadcast = (m: Parameters<ClientSessions['broadcast']>[0]) => sessions.broadcast(m);
  const limits = options.limits;
  const terminals = new Terminals(options.terminals, { lab, live, audit, broadcast, log, limits });
  undo.push(async () => terminals.stop());
  const flaps = new LinkFlaps({
    lab,
    live,
    audit,
    document: () => writer.document,
    remember: (r) => commandLog.remember(r),
    log,
  });
  undo.push(async () => flaps.stopAll());
  const presenter = new PresenterRelay();
  undo.push(async () => presenter.stop());
  const checkpoints = new CheckpointTool({ lab: lab.name, writer, live, broadcast, log });
  const lessonParts = { lab, live, writer, broadcast, log, checkpoints };
  const lessonTool = await openLessons(lessonParts, options.lesson, (tool) => {
    lessons = tool;
    undo.push(async () => tool.stop());
  });
  return {
    core: {
      lab,
      writer,
      live,
      audit,
      commandLog,
      log,
      captures,
      terminals,
      flaps,
      presenter,
      checkpoints,
      lessons: lessonTool,
      classroom: options.classroom ?? null,
    },
    reconciled,
    notes: startup.notes,
  };
}
