import { z } from 'zod';
import { Topology } from './topology';
import {
  ObservedFdbEntry,
  ObservedFirewall,
  ObservedInterface,
  ObservedNamespace,
  ObservedRoute,
  ObservedState,
} from './observed';
import { NamespaceName, ROOT } from './names';
import { Edit } from './edits';
import { formatPath, type ValidationIssue } from './issues';
import { PathMessage, PathResultMessage } from './protocol-path';
import { CaptureServerMessages, CaptureStartMessage, CaptureStopMessage } from './protocol-capture';
import { TerminalClientMessages, TerminalServerMessages } from './protocol-terminal';
import { FlapLinkMessage, FlapStartedMessage } from './protocol-effects';
import { PresenterClientMessages, PresenterMessage } from './protocol-presenter';
import { ClassClientMessages, ClassServerMessages } from './protocol-class';
import { LessonClientMessages, LessonServerMessages } from './protocol-lesson';
import { CheckpointClientMessages, CheckpointServerMessages } from './protocol-checkpoint';

/**
 * The WebSocket protocol between the web app (and any client) and the agent, in one file (as
 * tldraw does it): a version, one union of messages per direction, parsed with zod on both sides,
 * and one close code with named reasons.
 */

export const PROTOCOL_VERSION = 1;

/** Every refusal closes with this code; the reason says why. (A message over the size limit gets ws's own 1009.) */
export const CLOSE_CODE = 4000;
export const CloseReason = {
  badProtocolVersion: 'bad-protocol-version',
  badHello: 'bad-hello',
  helloTimeout: 'hello-timeout',
  rateLimited: 'rate-limited',
  /** The client reads too slowly: its unsent messages passed the agent's buffer limit. */
  slowConsumer: 'slow-consumer',
  shuttingDown: 'shutting-down',
} as const;
export type CloseReason = (typeof CloseReason)[keyof typeof CloseReason];

export const Role = z.enum(['editor', 'viewer']);
export type Role = z.infer<typeof Role>;

// ---- GET /api/session (HTTP, not the WebSocket) ---------------------------------------------

/**
 * Who the session cookie says this browser is. The page asks when its WebSocket closes before
 * `welcome` (the upgrade's 401 is invisible to a page), and after each welcome (which refreshes
 * the cookie's expiry). 200: `SessionInfo`; 401: `SessionRefusal`.
 */
export const SESSION_PATH = '/api/session';
export const SessionInfo = z.object({ role: Role, clientId: z.string() });
export type SessionInfo = z.infer<typeof SessionInfo>;
/**
 * Why there is no session: `none` no cookie of this agent's; `expired` a genuine one past its
 * time; `unknown` a cookie the agent's key did not sign (its links were renewed, or it is not
 * this agent's). Never carries a secret.
 */
export const SessionRefusalReason = z.enum(['none', 'expired', 'unknown']);
export type SessionRefusalReason = z.infer<typeof SessionRefusalReason>;
export const SessionRefusal = z.object({ reason: SessionRefusalReason, message: z.string() });
export type SessionRefusal = z.infer<typeof SessionRefusal>;

/**
 * Every code an agent sends, in one registry: the `code` of `rejected` (an answer to one request)
 * and of `error` (about the connection or a message that could not be read). Clients switch on
 * these; a code not listed here cannot cross the wire (the schema refuses it). What a client
 * knows on its own side (its socket closed before an answer came) is not a code: the web app says
 * it as a state of its own, never as a `rejected` the agent did not send.
 */
export const ErrorCode = {
  /** The message is not JSON, not a known type, or a field of it is wrong (`error`, with the path). */
  badMessage: 'ERR_BAD_MESSAGE',
  /** This session's role may not send it (a viewer sends nothing but hello). */
  forbidden: 'ERR_FORBIDDEN',
  /** The edit was made against an older version of the document: nothing changed; look again. */
  staleVersion: 'ERR_STALE_VERSION',
  /** An edit is wrong (its field in `path`), or names something that is not there: nothing changed. */
  invalid: 'ERR_INVALID',
  /** The kernel has something in the way (made by hand, or not the lab's): nothing changed. */
  conflict: 'ERR_CONFLICT',
  /** Too many messages: some were dropped. */
  rateLimited: 'ERR_RATE_LIMITED',
  /** Too many requests waiting (edits, pings), or the agent is still starting: send it again later. */
  busy: 'ERR_BUSY',
  /** The document could not be saved (disk full, I/O error): nothing changed. */
  saveFailed: 'ERR_SAVE_FAILED',
  /** The agent failed to handle it (a bug, or the kernel unreachable); its log says more. */
  internal: 'ERR_INTERNAL',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];
/** The registry as a schema: `rejected.code` and `error.code` are one of these, nothing else. */
export const ErrorCodeSchema = z.enum(ErrorCode);

const RequestId = z.string().min(1).max(64);
/** The most edits one message may carry (the web app sends longer lists in batches of this size). */
export const MAX_EDITS_PER_MESSAGE = 500;
/**
 * Edits are typed on the wire: a message whose edit is wrong never reaches the writer. The agent
 * answers it as the writer would (`rejected`, ERR_INVALID, with the edit's field: see
 * `badEditOf`); the references (does that namespace exist?) are checked against the document by
 * `applyEdits`.
 */
const EditList = z.array(Edit).min(1).max(MAX_EDITS_PER_MESSAGE);

// ---- client → agent -------------------------------------------------------------------------

export const ClientMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('hello'), protocolVersion: z.number().int() }).strict(),
  z
    .object({
      type: z.literal('edit'),
      requestId: RequestId,
      baseVersion: z.number().int().min(0),
      edits: EditList,
      /**
       * Converge the whole lab to the document ("Make the kernel match"). Otherwise an edit runs
       * only what it changes, and drift elsewhere stays (model `editSteps`).
       */
      converge: z.boolean().optional(),
    })
    .strict(),
  z.object({ type: z.literal('preview'), requestId: RequestId, edits: EditList }).strict(),
  z
    .object({
      type: z.literal('ping'),
      requestId: RequestId,
      /** A namespace of the lab, or "root". */
      namespace: z.union([NamespaceName, z.literal(ROOT)]),
      /** An IPv4 or IPv6 address, no prefix (checked by the agent with the model's parser). */
      address: z.string().min(2).max(45),
      count: z.number().int().min(1).max(20).default(3),
      timeoutSeconds: z.number().int().min(1).max(10).default(2),
    })
    .strict(),
  PathMessage,
  CaptureStartMessage,
  CaptureStopMessage,
  ...TerminalClientMessages,
  FlapLinkMessage,
  ...PresenterClientMessages,
  ...ClassClientMessages,
  ...LessonClientMessages,
  ...CheckpointClientMessages,
]);
export type ClientMessage = z.infer<typeof ClientMessage>;
export type ClientMessageInput = z.input<typeof ClientMessage>;

/** A request that was read whole but for one of its edits. */
export interface BadEdit {
  type: 'edit' | 'preview';
  requestId: string;
  /** The first wrong edit's issues, at paths like `edits[0].b.node`, as `applyEdits` gives them. */
  issues: ValidationIssue[];
}

const EditRequestEnvelope = z.object({ type: z.enum(['edit', 'preview']), requestId: RequestId });

/**
 * Tells a request with a wrong edit from a message that cannot be read: when every issue of a
 * failed `ClientMessage` parse lies inside an edit, the request itself is sound, and is answered
 * (`rejected`, ERR_INVALID, the field's path) exactly as the writer answers an edit it cannot
 * apply. Only the first wrong edit is reported, as `applyEdits` does. Null: a bad message.
 */
export function badEditOf(value: unknown, error: z.ZodError): BadEdit | null {
  const indexes = error.issues.map((issue) =>
    issue.path[0] === 'edits' && typeof issue.path[1] === 'number' ? issue.path[1] : null,
  );
  if (indexes.length === 0 || indexes.some((i) => i === null)) return null;
  const envelope = EditRequestEnvelope.safeParse(value);
  if (!envelope.success) return null;
  const first = Math.min(...indexes.filter((i) => i !== null));
  const issues = error.issues
    .filter((_, k) => indexes[k] === first)
    .map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
  return { type: envelope.data.type, requestId: envelope.data.requestId, issues };
}

// ---- agent → client -------------------------------------------------------------------------

/** One command the agent ran, for the command log (and the audit log). */
export const CommandRecord = z.object({
  at: z.string(),
  /** Which client asked ("agent" for the agent's own reconcile at start). */
  by: z.string(),
  context: z.string(),
  argv: z.array(z.string()),
  /** A bridge step's brctl form ("brctl addbr br0", model `brctlText`), shown as "≡ brctl addbr br0". */
  brctl: z.string().optional(),
  reason: z.string(),
  exitCode: z.number(),
  stderr: z.string(),
  durationMs: z.number(),
});
export type CommandRecord = z.infer<typeof CommandRecord>;

/** What a step-by-step apply did, as the log and the client show it. */
export const ApplyOutcome = z.object({
  ok: z.boolean(),
  commands: z.array(CommandRecord),
  /** Commands that were planned but not run because an earlier one failed. */
  notRun: z.array(z.object({ context: z.string(), argv: z.array(z.string()), reason: z.string() })),
  /** What an adopt left as it is (it cannot be adopted), one sentence each. */
  notes: z.array(z.string()).optional(),
});
export type ApplyOutcome = z.infer<typeof ApplyOutcome>;

/**
 * A change to the observed state, as small as what changed (`observed-patch.ts` makes and undoes
 * them): a namespace new to the client whole, otherwise an interface's changed fields (an address
 * list, a link's state), a namespace's routes, its firewall's rules, its learned MACs put and
 * dropped. Never counters: interface stats, rule counters and learned MACs' ages travel apart
 * (`rates`, `ruleCounters`, `fdbAges`); a patch's namespace, firewall and fdb carry them zeroed.
 */
export const ObservedPatch = z.discriminatedUnion('op', [
  /** A namespace the client does not have (or to replace whole). */
  z.object({ op: z.literal('namespace'), namespace: ObservedNamespace }),
  z.object({ op: z.literal('removeNamespace'), name: z.string() }),
  /** The namespaces' names in the state's order, when adding and removing left them in another. */
  z.object({ op: z.literal('namespaceOrder'), names: z.array(z.string()) }),
  /** `forwarding`: null when not read. */
  z.object({
    op: z.literal('namespaceFlags'),
    ns: z.string(),
    managed: z.boolean(),
    forwarding: z.boolean().nullable(),
  }),
  /** An interface the namespace did not have (or to replace whole). */
  z.object({ op: z.literal('interface'), ns: z.string(), interface: ObservedInterface }),
  /** An interface's fields that changed (`unset`: optional fields the kernel no longer reports). */
  z.object({
    op: z.literal('link'),
    ns: z.string(),
    ifname: z.string(),
    set: ObservedInterface.omit({ ifname: true, stats: true }).partial().strict(),
    unset: z.array(z.enum(['linkNetnsid', 'bridgeInfo', 'portInfo', 'kernelLinkLocal'])).optional(),
  }),
  z.object({ op: z.literal('removeInterface'), ns: z.string(), ifname: z.string() }),
  z.object({ op: z.literal('interfaceOrder'), ns: z.string(), ifnames: z.array(z.string()) }),
  /** The main table's routes; null when not read. */
  z.object({ op: z.literal('routes'), ns: z.string(), routes: z.array(ObservedRoute).nullable() }),
  /** Chains and rules, counters zeroed; null when not read. */
  z.object({ op: z.literal('firewall'), ns: z.string(), firewall: ObservedFirewall.nullable() }),
  /** The forwarding table as a set: entries put and entries dropped (all fields but the age, which is null). */
  z.object({
    op: z.literal('fdb'),
    ns: z.string(),
    put: z.array(ObservedFdbEntry),
    drop: z.array(ObservedFdbEntry),
  }),
]);
export type ObservedPatch = z.infer<typeof ObservedPatch>;

/** [namespace, ifname, rx bytes/s, tx bytes/s, rx packets/s, tx packets/s]: compact, sent ~1/s for changed rates only. */
export const RateTuple = z.tuple([z.string(), z.string(), z.number(), z.number(), z.number(), z.number()]);
export type RateTuple = z.infer<typeof RateTuple>;

/** [namespace, table, chain, rule index in the chain (-1: the chain's policy), packets, bytes] */
export const RuleCounterTuple = z.tuple([
  z.string(),
  z.string(),
  z.string(),
  z.number(),
  z.number(),
  z.number(),
]);
export type RuleCounterTuple = z.infer<typeof RuleCounterTuple>;

/**
 * [namespace, bridge, port, mac, vlan, seconds since traffic last refreshed the entry]: a learned
 * MAC's age, sent when it was refreshed (an unrefreshed entry's age the client counts up itself).
 */
export const FdbAgeTuple = z.tuple([
  z.string(),
  z.string(),
  z.string(),
  z.string(),
  z.number().nullable(),
  z.number(),
]);
export type FdbAgeTuple = z.infer<typeof FdbAgeTuple>;

export const ServerMessage = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('welcome'),
    protocolVersion: z.number(),
    role: Role,
    clientId: z.string(),
    lab: z.object({ name: z.string(), kind: z.enum(['sandbox', 'host']) }),
    version: z.number(),
    document: Topology,
    observed: ObservedState,
    /** The most recent command log entries, oldest first. */
    log: z.array(CommandRecord),
  }),
  z.object({
    type: z.literal('accepted'),
    requestId: z.string(),
    version: z.number(),
    outcome: ApplyOutcome,
  }),
  z.object({
    type: z.literal('rejected'),
    requestId: z.string(),
    code: ErrorCodeSchema,
    message: z.string(),
    /** The bad field, e.g. `edits[0].a.ifname`. */
    path: z.string().nullable(),
    currentVersion: z.number(),
  }),
  z.object({
    type: z.literal('previewed'),
    requestId: z.string(),
    steps: z.array(z.object({ context: z.string(), argv: z.array(z.string()), reason: z.string() })),
    conflicts: z.array(z.object({ path: z.string(), message: z.string() })),
  }),
  /** Broadcast after every accepted edit (to a client that may not hold the version before: whole). */
  z.object({ type: z.literal('document'), version: z.number(), document: Topology, by: z.string() }),
  /**
   * The same broadcast as the edits that made `version` from `baseVersion`, sent to a client the
   * agent knows holds `baseVersion` (it sent it): the client applies them with the model's
   * `applyEdits`, as the agent did. At 1,000 namespaces a whole document is ~250 KB per edit.
   */
  z.object({
    type: z.literal('documentEdits'),
    version: z.number(),
    baseVersion: z.number(),
    edits: z.array(Edit),
    by: z.string(),
  }),
  z.object({ type: z.literal('observed'), takenAt: z.string(), patches: z.array(ObservedPatch) }),
  z.object({ type: z.literal('rates'), at: z.string(), intervalMs: z.number(), rates: z.array(RateTuple) }),
  /** Firewall counters that moved: per rule (its index among its chain's rules) and per chain policy (index -1). */
  z.object({ type: z.literal('ruleCounters'), at: z.string(), counters: z.array(RuleCounterTuple) }),
  /** Learned MACs whose age moved other than by the passing of time (traffic refreshed them). */
  z.object({ type: z.literal('fdbAges'), at: z.string(), ages: z.array(FdbAgeTuple) }),
  z.object({ type: z.literal('log'), entries: z.array(CommandRecord) }),
  z.object({ type: z.literal('pingLine'), requestId: z.string(), line: z.string() }),
  z.object({ type: z.literal('pingDone'), requestId: z.string(), exitCode: z.number() }),
  z.object({ type: z.literal('error'), code: ErrorCodeSchema, message: z.string() }),
  PathResultMessage,
  ...CaptureServerMessages,
  ...TerminalServerMessages,
  FlapStartedMessage,
  PresenterMessage,
  ...ClassServerMessages,
  ...LessonServerMessages,
  ...CheckpointServerMessages,
]);
export type ServerMessage = z.infer<typeof ServerMessage>;
