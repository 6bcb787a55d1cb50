import { z } from 'zod';

/**
 * Checkpoints on the wire (issue 13 §5): an editor saves the lab's document under a name, lists
 * the saved ones, resets the lab to one, and deletes one. The checkpoints are the agent's (files in the lab's
 * state folder); a reset is one edit batch through the writer, answered as an edit is
 * (`accepted` / `rejected` with the request's id). Joined to protocol.ts's unions.
 */

/** The most checkpoints one lab keeps, and the most one may weigh (its JSON): the disk is the machine's. */
export const CHECKPOINT_LIMITS = { count: 50, bytes: 4 * 1024 * 1024 } as const;

const CHECKPOINT_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** Why a checkpoint name cannot be used (it names a file), or null. */
export function checkpointNameProblem(name: string): string | null {
  if (name.length === 0) return 'empty; a checkpoint needs a name of 1 to 64 characters';
  if (name.length > 64) return `${name.length} characters, at most 64`;
  if (!CHECKPOINT_NAME_RE.test(name))
    return 'may only use letters, digits, "_", "." and "-", starting with a letter or digit (e.g. step-2)';
  return null;
}

export const CheckpointName = z.string().superRefine((value, ctx) => {
  const why = checkpointNameProblem(value);
  if (why !== null) ctx.addIssue({ code: 'custom', message: why, input: value });
});

/** What the lab's kernel held when the checkpoint was saved, beside the document (a note, not restored). */
export const CheckpointObservedNote = z.object({
  takenAt: z.string(),
  /** Namespaces and interfaces the kernel had (the lab's root's interfaces included). */
  namespaces: z.number(),
  interfaces: z.number(),
  /** Things made by hand (not the lab's): a reset to this checkpoint does not make or delete them. */
  unmanaged: z.array(z.string()),
});
export type CheckpointObservedNote = z.infer<typeof CheckpointObservedNote>;

/**
 * What a checkpoint's document holds, by name: a reset's question says what of the lab goes (what
 * the lab has and the checkpoint does not), not the whole lab. A veth pair as `a:ifname ⇄ b:ifname`.
 */
export const CheckpointHolds = z.object({
  namespaces: z.array(z.string()),
  bridges: z.array(z.string()),
  links: z.array(z.string()),
});
export type CheckpointHolds = z.infer<typeof CheckpointHolds>;

/** A saved checkpoint as a list shows it (its document stays on the agent until a reset). */
export const CheckpointInfo = z.object({
  name: z.string(),
  savedAt: z.string(),
  /** The document's version when it was saved. */
  version: z.number(),
  by: z.string(),
  namespaces: z.number(),
  bridges: z.number(),
  links: z.number(),
  observed: CheckpointObservedNote,
  holds: CheckpointHolds,
});
export type CheckpointInfo = z.infer<typeof CheckpointInfo>;

const RequestId = z.string().min(1).max(64);

// ---- client → agent -------------------------------------------------------------------------

export const CheckpointClientMessages = [
  /** Editors: save the lab's document now under `name` (an existing checkpoint of that name is replaced). */
  z.object({ type: z.literal('checkpointSave'), requestId: RequestId, name: CheckpointName }).strict(),
  /** Editors: the saved checkpoints (answered with `checkpoints`). */
  z.object({ type: z.literal('checkpointList'), requestId: RequestId }).strict(),
  /** Editors: the lab becomes the checkpoint's document (answered `accepted` / `rejected`). */
  z.object({ type: z.literal('checkpointReset'), requestId: RequestId, name: CheckpointName }).strict(),
  /**
   * Editors: forget a checkpoint (its file goes; the lab is not changed). Answered
   * `checkpointDeleted`, or `rejected` at `name` for a checkpoint the lab does not have.
   */
  z.object({ type: z.literal('checkpointDelete'), requestId: RequestId, name: CheckpointName }).strict(),
] as const;

export const CHECKPOINT_MESSAGES = [
  'checkpointSave',
  'checkpointList',
  'checkpointReset',
  'checkpointDelete',
] as const;

// ---- agent → client -------------------------------------------------------------------------

export const CheckpointServerMessages = [
  /** The list, to whoever asked (`requestId`), and to every client after a save or a delete (none). */
  z.object({
    type: z.literal('checkpoints'),
    requestId: z.string().optional(),
    checkpoints: z.array(CheckpointInfo),
  }),
  z.object({
    type: z.literal('checkpointSaved'),
    requestId: z.string(),
    checkpoint: CheckpointInfo,
    /** A checkpoint of that name existed and was replaced. */
    replaced: z.boolean(),
  }),
  /** The answer to `checkpointDelete` (every client gets the new list too). */
  z.object({ type: z.literal('checkpointDeleted'), requestId: z.string(), name: z.string() }),
] as const;
