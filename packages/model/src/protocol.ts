import { z } from 'zod';
import { Topology } from './topology';
import { ObservedNamespace, ObservedState } from './observed';
import { NamespaceName, ROOT_NODE } from './names';

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

/** Coded errors: one registry, each with what the client should understand. */
export const ErrorCode = {
  badMessage: 'ERR_BAD_MESSAGE',
  forbidden: 'ERR_FORBIDDEN',
  staleVersion: 'ERR_STALE_VERSION',
  invalid: 'ERR_INVALID',
  conflict: 'ERR_CONFLICT',
  rateLimited: 'ERR_RATE_LIMITED',
  busy: 'ERR_BUSY',
  /** The document could not be saved (disk full, I/O error): nothing changed. */
  saveFailed: 'ERR_SAVE_FAILED',
  internal: 'ERR_INTERNAL',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const RequestId = z.string().min(1).max(64);
/** Edits are parsed again, one by one, by `applyEdits` (which gives each bad field its path). */
const EditList = z.array(z.unknown()).min(1).max(500);

// ---- client → agent -------------------------------------------------------------------------

export const ClientMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('hello'), protocolVersion: z.number().int() }).strict(),
  z
    .object({
      type: z.literal('edit'),
      requestId: RequestId,
      baseVersion: z.number().int().min(0),
      edits: EditList,
    })
    .strict(),
  z.object({ type: z.literal('preview'), requestId: RequestId, edits: EditList }).strict(),
  z
    .object({
      type: z.literal('ping'),
      requestId: RequestId,
      /** A namespace of the lab, or "root". */
      namespace: z.union([NamespaceName, z.literal(ROOT_NODE)]),
      /** An IPv4 or IPv6 address, no prefix (checked by the agent with the model's parser). */
      address: z.string().min(2).max(45),
      count: z.number().int().min(1).max(20).default(3),
      timeoutSeconds: z.number().int().min(1).max(10).default(2),
    })
    .strict(),
]);
export type ClientMessage = z.infer<typeof ClientMessage>;
export type ClientMessageInput = z.input<typeof ClientMessage>;

// ---- agent → client -------------------------------------------------------------------------

/** One command the agent ran, for the command log (and the audit log). */
export const CommandRecord = z.object({
  at: z.string(),
  /** Which client asked ("agent" for the agent's own reconcile at start). */
  by: z.string(),
  context: z.string(),
  argv: z.array(z.string()),
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

/** A change to the observed state: whole namespaces (without counters), replaced or removed. */
export const ObservedPatch = z.discriminatedUnion('op', [
  z.object({ op: z.literal('namespace'), namespace: ObservedNamespace }),
  z.object({ op: z.literal('removeNamespace'), name: z.string() }),
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
    code: z.string(),
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
  /** Broadcast after every accepted edit. */
  z.object({ type: z.literal('document'), version: z.number(), document: Topology, by: z.string() }),
  z.object({ type: z.literal('observed'), takenAt: z.string(), patches: z.array(ObservedPatch) }),
  z.object({ type: z.literal('rates'), at: z.string(), intervalMs: z.number(), rates: z.array(RateTuple) }),
  /** Firewall counters that moved: per rule (its index among its chain's rules) and per chain policy (index -1). */
  z.object({ type: z.literal('ruleCounters'), at: z.string(), counters: z.array(RuleCounterTuple) }),
  /** Learned MACs whose age moved other than by the passing of time (traffic refreshed them). */
  z.object({ type: z.literal('fdbAges'), at: z.string(), ages: z.array(FdbAgeTuple) }),
  z.object({ type: z.literal('log'), entries: z.array(CommandRecord) }),
  z.object({ type: z.literal('pingLine'), requestId: z.string(), line: z.string() }),
  z.object({ type: z.literal('pingDone'), requestId: z.string(), exitCode: z.number() }),
  z.object({ type: z.literal('error'), code: z.string(), message: z.string() }),
]);
export type ServerMessage = z.infer<typeof ServerMessage>;
