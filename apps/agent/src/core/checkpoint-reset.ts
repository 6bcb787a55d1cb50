import {
  Edit,
  ErrorCode,
  replaceDocumentEdits,
  validateTopology,
  type ServerMessage,
  type Topology,
} from '@netcanvas/model';
import { CheckpointRefusal } from './checkpoints';
import { toOutcome } from './records';
import type { Writer } from './writer';

type Reply = Extract<ServerMessage, { type: 'accepted' } | { type: 'rejected' }>;
/** The writer's answer to a reset, as to any edit. */
export type ResetReply = Reply;

/** A checkpoint of the lab by name, or a document (a lesson's start, a student's starting lab). */
export type ResetTarget = { checkpoint: string } | { document: unknown };

export interface ResetCore {
  writer: Writer;
  /** Where a checkpoint's document is read (the agent's `CheckpointTool`, or its store). */
  checkpoints: { document(name: string): Promise<Topology> };
}

export interface ResetOptions {
  requestId?: string;
  /** Who asked (a client's id, "trainer", "agent"): the command log and the audit log say it. */
  by?: string;
  role?: string;
}

/**
 * Takes everything made by hand in the lab into the lab (`adopt all`: namespaces recorded,
 * interfaces marked, routes and rules re-made with the lab's marks), so that a reset after it
 * removes them as it removes the lab's own. For a lab that is a sandbox of its own, whose whole
 * content belongs to whoever resets it (a class's student's lab: the dialog promises "the work
 * done since is lost, in the kernel too"); never on the host, where `adopt all` is refused.
 * One audited edit through the one writer, as any adopt. What it cannot take stays as it was,
 * said in the reply's notes. Resolves to null when there was nothing made by hand.
 */
export async function claimHandMade(core: ResetCore, options: ResetOptions = {}): Promise<Reply | null> {
  const requestId = `${options.requestId ?? 'reset'}-claim`;
  for (let attempt = 0; attempt <= STALE_RETRIES; attempt++) {
    const reply = await core.writer.edit(
      {
        type: 'edit',
        requestId,
        baseVersion: core.writer.version,
        edits: [Edit.parse({ type: 'adopt', all: true })],
      },
      options.by ?? 'agent',
      options.role ?? 'editor',
    );
    if (reply.type === 'accepted') return reply;
    if (reply.code !== ErrorCode.staleVersion)
      return /nothing (made by hand|to adopt)/.test(reply.message) ? null : reply;
  }
  return null;
}

/**
 * After a reset to the start of a lab that is its owner's sandbox (after `claimHandMade`): removes
 * what is still not the lab's, which adopt could not take (a kind of interface, a name, a route, a
 * rule the model has no words for: kernel scrub.ts), so the lab is exactly the document. Its
 * commands join the reset's in the reply (the command log and the audit log have them, by `by`),
 * and the notes say what went. Never on the host: the caller checks, and the kernel refuses too.
 */
export async function scrubAfterReset(
  core: ResetCore,
  reply: Reply,
  options: ResetOptions = {},
): Promise<Reply> {
  if (reply.type !== 'accepted') return reply;
  const scrubbed = await core.writer.scrub(options.by ?? 'agent', options.role ?? 'editor');
  if (scrubbed.apply === null && scrubbed.kept.length === 0) return reply;
  const gone = new Set(scrubbed.removed);
  // A namespace the reset kept for what it held is gone now: its note would say otherwise.
  const notes = (reply.outcome.notes ?? []).filter(
    (note) =>
      !/^kept namespace "([^"]+)"/.test(note) || !gone.has(`namespace ${/"([^"]+)"/.exec(note)?.[1]}`),
  );
  if (scrubbed.removed.length > 0)
    notes.push(`removed what the lab did not make: ${scrubbed.removed.join(', ')}`);
  if (scrubbed.kept.length > 0) notes.push(`could not remove: ${scrubbed.kept.join(', ')}`);
  const outcome = toOutcome(scrubbed.apply, scrubbed.records);
  return {
    ...reply,
    outcome: {
      ok: reply.outcome.ok && outcome.ok,
      commands: [...reply.outcome.commands, ...outcome.commands],
      notRun: [...reply.outcome.notRun, ...outcome.notRun],
      ...(notes.length > 0 ? { notes } : {}),
    },
  };
}

/**
 * How often a reset is sent again when another edit came first (ERR_STALE_VERSION): the edits are
 * computed from the document as it is when they are sent, so a change in between is replaced too.
 */
const STALE_RETRIES = 5;

/**
 * Resets the lab to a checkpoint or a document: one edit batch through the one writer (the edits
 * that replace the whole document, model `replaceDocumentEdits`), planned against a fresh reading
 * of the kernel, applied, logged and broadcast like any edit. What the kernel holds that the lab
 * did not make (made by hand) is left as the writer leaves it on any edit: never deleted, shown as
 * unmanaged; what the lab made and the target lacks is deleted; what both have is kept as it is.
 */
export async function resetLab(
  core: ResetCore,
  target: ResetTarget,
  options: ResetOptions = {},
): Promise<Reply> {
  const requestId = options.requestId ?? `reset-${Date.now().toString(36)}`;
  const refused = (message: string, path: string | null): Reply => ({
    type: 'rejected',
    requestId,
    code: ErrorCode.invalid,
    message,
    path,
    currentVersion: core.writer.version,
  });
  let document: Topology;
  if ('checkpoint' in target) {
    try {
      document = await core.checkpoints.document(target.checkpoint);
    } catch (error) {
      if (error instanceof CheckpointRefusal) return refused(error.message, error.path);
      throw error;
    }
  } else {
    const valid = validateTopology(target.document);
    if (!valid.ok)
      return refused(
        valid.issues.map((i) => `document.${i.path}: ${i.message}`).join('; '),
        `document.${valid.issues[0]?.path ?? ''}`,
      );
    document = valid.value;
  }
  let reply: Reply | null = null;
  for (let attempt = 0; attempt <= STALE_RETRIES; attempt++) {
    reply = await core.writer.edit(
      {
        type: 'edit',
        requestId,
        baseVersion: core.writer.version,
        // Parsed as the wire parses an edit message: the writer takes edits with their defaults.
        edits: replaceDocumentEdits(core.writer.document, document).map((e) => Edit.parse(e)),
        // A reset brings the whole lab back, hand changes too (an edit alone leaves drift).
        converge: true,
      },
      options.by ?? 'agent',
      options.role ?? 'editor',
    );
    if (reply.type === 'accepted' || reply.code !== ErrorCode.staleVersion) return reply;
  }
  return reply as Reply;
}
