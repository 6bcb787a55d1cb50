import {
  ErrorCode,
  replaceDocumentEdits,
  type LessonGotoMessage,
  type LessonLoadMessage,
  type LessonMessage,
  type ObservedPatch,
  type Lesson,
  type ServerMessage,
  type Topology,
} from '@netcanvas/model';
import type { ClientSession } from '../server';
import type { CheckpointTool } from './checkpoint-tool';
import { resetLab } from './checkpoint-reset';
import { LessonLoadError, loadLesson } from './lesson-catalog';
import type { ProbeLab } from './lesson-probes';
import { LessonRunner, RUNNER_TIMING, type RunnerLive } from './lesson-runner';
import { toolRefusal } from './tool-refusal';
import type { Writer } from './writer';

export interface LessonToolParts {
  lab: ProbeLab;
  live: RunnerLive;
  writer: Writer;
  broadcast: (message: ServerMessage) => void;
  log: (line: string) => void;
  /** Saves a checkpoint named for a step whose goals were all met (a step with `checkpoint: true`). */
  checkpoint?: (name: string) => Promise<void>;
  /** Where built-in lessons are read (tests); the repo's `lessons/` otherwise. */
  lessonsDir?: string;
  timing?: typeof RUNNER_TIMING;
}

/**
 * A lab's lesson on the wire: the runner (lesson-runner.ts) and the messages about it
 * (protocol-lesson.ts). Every client is told the lesson after its welcome (`message()`), the
 * progress as it changes; editors load a built-in lesson and open steps. A step's start replaces
 * the lab through the one writer (`resetLab`: planned, logged and broadcast like any edit).
 */
export class LessonTool {
  readonly runner: LessonRunner;

  constructor(private readonly parts: LessonToolParts) {
    this.runner = new LessonRunner(
      {
        lab: parts.lab,
        live: parts.live,
        document: () => parts.writer.document,
        replaceLab: (start, reason) => this.replaceLab(start, reason),
        ...(parts.checkpoint ? { checkpoint: (stepId: string) => this.checkpoint(stepId) } : {}),
        log: parts.log,
      },
      parts.timing,
    );
    this.runner.onChange((change) => {
      const progress = this.runner.state();
      if (change === 'lesson' || progress === null) parts.broadcast(this.message());
      else parts.broadcast({ type: 'lessonProgress', progress });
    });
  }

  /** The lesson and its progress (after a welcome; and to everyone when a lesson is loaded). */
  message(): LessonMessage {
    return { type: 'lesson', lesson: this.runner.view(), progress: this.runner.state() };
  }

  /** The lab's live state changed (the live listener's patches). */
  changed(patches?: readonly ObservedPatch[]): void {
    this.runner.changed(patches);
  }

  /** `serve --lesson`: the lesson the agent starts with (its first step opens). */
  start(lesson: Lesson): Promise<void> {
    this.parts.log(`lesson "${lesson.id}" loaded (${lesson.steps.length} steps)`);
    return this.runner.load(lesson);
  }

  async load(message: LessonLoadMessage, session: ClientSession): Promise<void> {
    let lesson: Lesson;
    try {
      lesson = await loadLesson(message.lesson, this.parts.lessonsDir);
    } catch (error) {
      if (!(error instanceof LessonLoadError)) throw error;
      session.send(toolRefusal(message.requestId, ErrorCode.invalid, error.message, error.field));
      return;
    }
    this.parts.log(`lesson "${lesson.id}" loaded by ${session.clientId}`);
    session.send({ type: 'lessonAccepted', requestId: message.requestId });
    await this.runner.load(lesson);
  }

  async goto(message: LessonGotoMessage, session: ClientSession): Promise<void> {
    const opening = this.runner.goto(message.step);
    // Answered once the step is open (its lab replaced, if it has a start).
    const why = await opening;
    session.send(
      why === null
        ? { type: 'lessonAccepted', requestId: message.requestId }
        : toolRefusal(message.requestId, ErrorCode.invalid, why, 'step'),
    );
  }

  stop(): void {
    this.runner.stop();
  }

  private async replaceLab(start: Topology, reason: string): Promise<void> {
    // The lab is already that (an empty lab opening at an empty start): no edit to make.
    if (replaceDocumentEdits(this.parts.writer.document, start).length === 0) return;
    const reply = await resetLab(
      {
        writer: this.parts.writer,
        checkpoints: { document: () => Promise.reject(new Error('no checkpoint')) },
      },
      { document: start },
      { by: 'lesson', role: 'editor' },
    );
    if (reply.type === 'rejected') throw new Error(`${reason}: ${reply.message}`);
    if (!reply.outcome.ok) throw new Error(`${reason}: a command failed (see the command log)`);
  }

  private async checkpoint(stepId: string): Promise<void> {
    const name = `lesson-${stepId}`.slice(0, 64);
    await this.parts.checkpoint?.(name);
    this.parts.log(`lesson: checkpoint "${name}" saved (step "${stepId}" done)`);
  }
}

/**
 * The lab's lesson tool as the agent's core makes it: a step with `checkpoint: true` saves the
 * lab's document as a checkpoint (checkpoint-tool.ts), every client told the new list; `lesson`
 * (`serve --lesson`) opens at once.
 */
export async function openLessons(
  parts: Omit<LessonToolParts, 'checkpoint'> & { checkpoints: CheckpointTool },
  lesson: Lesson | undefined,
  onOpen: (tool: LessonTool) => void,
): Promise<LessonTool> {
  const { checkpoints, writer, live } = parts;
  const tool = new LessonTool({
    ...parts,
    checkpoint: async (name) => {
      const document = writer.document;
      await checkpoints.store.save({
        name,
        document,
        version: writer.version,
        by: 'lesson',
        observed: live.observed,
      });
      parts.broadcast(await checkpoints.listMessage());
    },
  });
  onOpen(tool);
  if (lesson) await tool.start(lesson);
  return tool;
}
