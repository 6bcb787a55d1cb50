import { z } from 'zod';
import { Highlight, LessonId } from './lesson';

/**
 * A lesson on the wire (issue 13 §2), joined to protocol.ts's unions. The agent's lesson runner
 * (apps/agent/src/core/lesson-runner.ts) checks the open step's goals against the live kernel and
 * tells every client:
 *
 * - `lesson`: the lesson whole (its steps' words, no checks) and its progress; right after
 *   `welcome`, and whenever a lesson is loaded (null: none).
 * - `lessonProgress`: the progress alone, whenever a goal's state or the open step changes.
 *
 * Editors may send `lessonLoad` (a built-in lesson by id, from the repo's `lessons/`) and
 * `lessonGoto` (open a step); each is answered `lessonAccepted` or `rejected` (ERR_INVALID with the
 * field: `lesson`, `step`). A goal turns green only from the kernel's state or a probe's result,
 * never from a message.
 */

/** What a goal is at: `checking` until its first probe answered; `error` when it could not be judged (the detail says why). */
export const GoalState = z.enum(['met', 'unmet', 'checking', 'error']);
export type GoalState = z.infer<typeof GoalState>;

export const GoalStatus = z.object({
  state: GoalState,
  /** A short why, e.g. "ns1 → 10.0.1.1: 100% loss", "ns1 has lo down"; null when nothing to add. */
  detail: z.string().nullable(),
});
export type GoalStatus = z.infer<typeof GoalStatus>;

/** A step as clients see it: its words, its goals' sentences (their checks stay in the agent). */
export const LessonStepView = z.object({
  id: z.string(),
  title: z.string(),
  /** Markdown. */
  text: z.string(),
  highlight: z.array(Highlight),
  checkpoint: z.boolean(),
  /** True when opening it replaces the lab by its starting topology. */
  resets: z.boolean(),
  goals: z.array(z.object({ text: z.string() })),
});
export type LessonStepView = z.infer<typeof LessonStepView>;

export const LessonView = z.object({
  id: z.string(),
  title: z.string(),
  summary: z.string(),
  steps: z.array(LessonStepView),
});
export type LessonView = z.infer<typeof LessonView>;

export const LessonProgress = z.object({
  lessonId: z.string(),
  /** The open step's index in `steps`. */
  step: z.number().int().min(0),
  /** The open step's goals, in its order (`goals[i]` is `steps[step].goals[i]`). */
  goals: z.array(GoalStatus),
  /** Ids of the steps whose goals were all met at some time (in the order they were). */
  done: z.array(z.string()),
  /** Every step is done. */
  complete: z.boolean(),
});
export type LessonProgress = z.infer<typeof LessonProgress>;

// ---- client → agent ---------------------------------------------------------------------------

/** Loads a built-in lesson (one of `lessons/*.lesson.yml`) by id; the first step opens. Editors only. */
export const LessonLoadMessage = z
  .object({ type: z.literal('lessonLoad'), requestId: z.string().min(1).max(64), lesson: LessonId })
  .strict();
export type LessonLoadMessage = z.infer<typeof LessonLoadMessage>;

/** Opens a step by id (any step: an editor may skip ahead or go back). Editors only. */
export const LessonGotoMessage = z
  .object({ type: z.literal('lessonGoto'), requestId: z.string().min(1).max(64), step: LessonId })
  .strict();
export type LessonGotoMessage = z.infer<typeof LessonGotoMessage>;

export const LessonClientMessages = [LessonLoadMessage, LessonGotoMessage] as const;

// ---- agent → client ---------------------------------------------------------------------------

export const LessonMessage = z.object({
  type: z.literal('lesson'),
  lesson: LessonView.nullable(),
  progress: LessonProgress.nullable(),
});
export type LessonMessage = z.infer<typeof LessonMessage>;

export const LessonProgressMessage = z.object({
  type: z.literal('lessonProgress'),
  progress: LessonProgress,
});
export type LessonProgressMessage = z.infer<typeof LessonProgressMessage>;

/** A `lessonLoad` or `lessonGoto` was done (the lesson or progress that follows says what). */
export const LessonAcceptedMessage = z.object({ type: z.literal('lessonAccepted'), requestId: z.string() });
export type LessonAcceptedMessage = z.infer<typeof LessonAcceptedMessage>;

export const LessonServerMessages = [LessonMessage, LessonProgressMessage, LessonAcceptedMessage] as const;
