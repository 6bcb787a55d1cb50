import { z } from 'zod';
import { CheckpointName } from './protocol-checkpoint';

/**
 * A class on the wire (issue 13 §4): `netcanvas serve --class N` runs a lab per student, each its
 * own agent on its own port; the trainer's agent tells the trainer's editor sessions how every
 * student's lab is doing (a miniature, its goals) and issues a student's links. Students never
 * get any of it: these messages are the trainer's agent's, and editor-only. Joined to
 * protocol.ts's unions. docs/classroom.md says how it fits together.
 */

/** `s01` … `s40`: a student's id in the class, and the end of its lab's name (`<class>-s01`). */
export const StudentId = z.string().regex(/^s\d{2}$/, { error: 'a student is named s01, s02, …' });
export type StudentId = z.infer<typeof StudentId>;

/**
 * A node or a link of a miniature, by what the kernel has against what the document wants:
 * `ok` as wanted and up; `down` wanted down; `drift` there but not as wanted (down, an address
 * missing); `missing` not in the kernel; `unmanaged` in the kernel and not in the document.
 */
export const MiniState = z.enum(['ok', 'down', 'drift', 'missing', 'unmanaged']);
export type MiniState = z.infer<typeof MiniState>;

export const MiniNode = z.object({
  name: z.string(),
  kind: z.enum(['namespace', 'bridge']),
  x: z.number(),
  y: z.number(),
  state: MiniState,
});
export type MiniNode = z.infer<typeof MiniNode>;

/** A veth between two nodes ("root" for the lab's root, drawn only when a link reaches it). */
export const MiniEdge = z.object({ a: z.string(), b: z.string(), state: MiniState });
export type MiniEdge = z.infer<typeof MiniEdge>;

/** A lab drawn small: enough for a grid of 40 on one screen, a few hundred bytes each. */
export const Miniature = z.object({ nodes: z.array(MiniNode), edges: z.array(MiniEdge) });
export type Miniature = z.infer<typeof Miniature>;

/** A student's lesson as the lesson runner says it: goals met of those open, and where they are. */
export const GoalSummary = z.object({
  met: z.number().int().min(0),
  total: z.number().int().min(0),
  /** The current step, from 1; `steps` when the lesson is done. */
  step: z.number().int().min(0),
  steps: z.number().int().min(0),
  stepTitle: z.string(),
  done: z.boolean(),
});
export type GoalSummary = z.infer<typeof GoalSummary>;

export const StudentStatus = z.object({
  id: StudentId,
  /** The student's lab (a sandbox), `<class>-s01`. */
  lab: z.string(),
  /** The student's agent, e.g. `http://127.0.0.1:7879`. */
  origin: z.string(),
  state: z.enum(['starting', 'ready', 'failed', 'stopped']),
  /** Why it failed to start, or what went wrong since. */
  problem: z.string().nullable(),
  /** The latest one-time editor link issued for the student (works once: the links page says so). */
  editorUrl: z.string().nullable(),
  /** The student's lab's reusable viewer link ("look in"). */
  viewerUrl: z.string().nullable(),
  /** Clients connected to the student's agent (the class's own watcher not counted). */
  clients: z.number().int().min(0),
  /** The document's version: how many edits the student made. */
  version: z.number().int(),
  miniature: Miniature,
  /** Null while the class runs no lesson (or its runner has not said yet). */
  goals: GoalSummary.nullable(),
  /** The names of the checkpoints the student's lab has saved (what a reset may go back to). */
  checkpoints: z.array(z.string()),
});
export type StudentStatus = z.infer<typeof StudentStatus>;

export const ClassInfo = z.object({
  name: z.string(),
  size: z.number().int(),
  lesson: z.string().nullable(),
  limits: z.object({
    namespaces: z.number(),
    terminals: z.number(),
    captures: z.number(),
    capturePackets: z.number(),
    captureBytes: z.number(),
  }),
});
export type ClassInfo = z.infer<typeof ClassInfo>;

const RequestId = z.string().min(1).max(64);

// ---- client → agent (the trainer's editor sessions) ---------------------------------------

export const ClassClientMessages = [
  /** Start getting the class's status: all of it now (`classStatus`), then what changes. */
  z.object({ type: z.literal('classWatch'), requestId: RequestId }).strict(),
  /** A fresh one-time editor link for a student (a lost link, or the trainer taking over). */
  z.object({ type: z.literal('classLink'), requestId: RequestId, student: StudentId }).strict(),
  /**
   * Resets students' labs (issue 13 §5): to the class's start (and the lesson's first step), or to
   * a checkpoint each student's lab saved under that name. Each lab converges its kernel through
   * its own writer, as an edit; the others are not touched.
   */
  z
    .object({
      type: z.literal('classReset'),
      requestId: RequestId,
      students: z.union([z.literal('all'), z.array(StudentId).min(1).max(40)]),
      to: z.union([
        z.object({ start: z.literal(true) }).strict(),
        z.object({ checkpoint: CheckpointName }).strict(),
      ]),
    })
    .strict(),
] as const;

/** The class's messages, all editor-only: a viewer of the trainer's lab gets none of it. */
export const CLASS_MESSAGES = ['classWatch', 'classLink', 'classReset'] as const;

/** How one student's reset went: `ok` once its kernel converged; else why not. */
export const StudentReset = z.object({ student: StudentId, ok: z.boolean(), message: z.string() });
export type StudentReset = z.infer<typeof StudentReset>;

// ---- agent → client -------------------------------------------------------------------------

export const ClassServerMessages = [
  /** The whole class, the answer to `classWatch`. */
  z.object({
    type: z.literal('classStatus'),
    requestId: z.string(),
    class: ClassInfo,
    students: z.array(StudentStatus),
  }),
  /** Students whose status changed since (a watcher gets them at most a few times a second). */
  z.object({ type: z.literal('classStudents'), students: z.array(StudentStatus) }),
  /** The answer to `classReset`: each student's outcome, once every lab asked has converged. */
  z.object({ type: z.literal('classResetDone'), requestId: z.string(), results: z.array(StudentReset) }),
  z.object({
    type: z.literal('classLinkIssued'),
    requestId: z.string(),
    student: StudentId,
    editorUrl: z.string(),
  }),
] as const;

export type ClassServerMessage = z.infer<(typeof ClassServerMessages)[number]>;
