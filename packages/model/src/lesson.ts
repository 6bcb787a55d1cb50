import { z } from 'zod';
import { CidrText } from './address';
import { Table } from './firewall';
import { InterfaceName, NamespaceName, NodeName, ROOT } from './names';
import { PathProtocol } from './path';
import { IpAddressText, RouteDestination, RouteType } from './routing';
import type { Topology } from './topology';

/**
 * A lesson (issue 13 §2): steps a student follows, each with Markdown text, an optional starting
 * lab, things on the page to point at, and **goals** checked against the live kernel. Written as
 * YAML (`lessons/*.lesson.yml`, read by `parseLesson` in lesson-parse.ts, which names the line of
 * every error); docs/lessons.md is the reference, with an example of every goal kind.
 *
 * Two forms: the **file** (`LessonFile`: a goal is an object whose one key names its kind,
 * `{ text, reach: { from, to } }`), and the **parsed** lesson (`Lesson`: a goal's check tagged
 * by `kind`, its text filled in), which the goal checker (lesson-goals.ts) and the runner use.
 */

/** A lesson's or a step's id: lower-case letters, digits and "-", as in a file name. */
export const LessonId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'an id: lower-case letters, digits and "-", at most 64');

/** A chain or a target as iptables writes it (FORWARD, MASQUERADE, TTL, a user chain). */
const ChainWord = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_-]{0,28}$/, 'a chain or target name, e.g. FORWARD, DROP, TTL');

/** Where a goal looks: a namespace of the lab, or "root" (the lab's root, where bridges usually are). */
const NamespaceRef = z.union([z.literal(ROOT), NamespaceName]);

// ---- goals, as written in the file: one key names the kind -----------------------------------

/** `namespace: { name: ns1 }`: the lab has namespace ns1 (`ip netns add ns1`). */
const NamespaceGoal = z.object({ name: NamespaceName }).strict();
/** `interfaceUp: { namespace: ns1, ifname: lo }`: the interface is administratively up. */
const InterfaceUpGoal = z.object({ namespace: NamespaceRef, ifname: InterfaceName }).strict();
/** `address: { namespace: ns1, ifname: veth1, cidr: 10.0.1.2/24 }`: the address is on it (any interface without `ifname`). */
const AddressGoal = z
  .object({ namespace: NamespaceRef, ifname: InterfaceName.optional(), cidr: CidrText })
  .strict();
/** `vethPeer: { namespace: ns1, ifname: veth1, peer: { namespace: ns0, ifname: veth0 } }` (`ethtool -S veth1`'s peer_ifindex). */
const VethPeerGoal = z
  .object({
    namespace: NamespaceRef,
    ifname: InterfaceName,
    peer: z.object({ namespace: NamespaceRef, ifname: InterfaceName }).strict(),
  })
  .strict();
/** `bridgePort: { bridge: br0, port: veth0 }`: the port is enslaved to the bridge (`brctl addif`); `namespace` defaults to root. */
const BridgePortGoal = z
  .object({ namespace: NamespaceRef.default(ROOT), bridge: InterfaceName, port: InterfaceName })
  .strict();
/** `learnedMacs: { bridge: br0, atLeast: 3 }`: the bridge learned that many MACs from traffic (`brctl showmacs`, not "is local"). */
const LearnedMacsGoal = z
  .object({
    namespace: NamespaceRef.default(ROOT),
    bridge: InterfaceName,
    atLeast: z.number().int().min(1).max(4096),
  })
  .strict();
/**
 * `route: { namespace: h1, to: default, via: 10.1.0.1 }`: the main table has it (`dev`, `via`: only
 * if given). `type: blackhole` asks for that kind; without it only a unicast route counts (a
 * blackhole to the network is not a way there).
 */
const RouteGoal = z
  .object({
    namespace: NamespaceName,
    type: RouteType.optional(),
    to: RouteDestination,
    via: IpAddressText.optional(),
    dev: InterfaceName.optional(),
  })
  .strict();
/** `forwarding: { namespace: r1 }`: net.ipv4.ip_forward is 1 (`on: false`: is 0). */
const ForwardingGoal = z.object({ namespace: NamespaceName, on: z.boolean().default(true) }).strict();
/**
 * `rule: { namespace: r1, table: mangle, target: TTL }`: a rule there (made by the lab or by hand),
 * in `chain` if given, jumping to `target` if given, whose words (`iptables -S`) include every one
 * of `matches` (`[-p, icmp]`, `[--ttl-set, "64"]`).
 */
const RuleGoal = z
  .object({
    namespace: NamespaceRef,
    table: Table,
    chain: ChainWord.optional(),
    target: ChainWord.optional(),
    matches: z.array(z.string().min(1).max(64)).max(16).optional(),
  })
  .strict();
/** A probe: `reach: { from: ns1, to: 10.0.1.1 }` pings once from ns1 (`expect: fail`: no reply must come). */
const ReachGoal = z
  .object({
    from: NamespaceRef,
    to: IpAddressText,
    expect: z.enum(['success', 'fail']).default('success'),
  })
  .strict();
/** The packet path a `dropped` or `sourceSeen` goal sends: as the path tool takes it (`protocol`: icmp, tcp or udp). */
const PathProbeFields = {
  from: NamespaceName,
  to: IpAddressText,
  protocol: PathProtocol.default('icmp'),
  port: z.number().int().min(1).max(65535).optional(),
};
/**
 * A probe: `dropped: { from: h1, to: 10.2.0.2, at: r1, chain: FORWARD }`: the packet path
 * (`lab.tracePath`) ends dropped in `at`, in that chain (and `table`) if given.
 */
const DroppedGoal = z
  .object({ ...PathProbeFields, at: NamespaceRef, table: Table.optional(), chain: ChainWord.optional() })
  .strict();
/**
 * A probe: `sourceSeen: { from: h1, to: 10.2.0.2, source: 10.2.0.1 }`: the packet path is
 * delivered, and the destination sees it from `source` (after NAT).
 */
const SourceSeenGoal = z.object({ ...PathProbeFields, source: IpAddressText }).strict();

/** The goal kinds, each with the schema of its value. `all`, `any`, `not` nest goals. */
export const GOAL_KINDS = {
  namespace: NamespaceGoal,
  interfaceUp: InterfaceUpGoal,
  address: AddressGoal,
  vethPeer: VethPeerGoal,
  bridgePort: BridgePortGoal,
  learnedMacs: LearnedMacsGoal,
  route: RouteGoal,
  forwarding: ForwardingGoal,
  rule: RuleGoal,
  reach: ReachGoal,
  dropped: DroppedGoal,
  sourceSeen: SourceSeenGoal,
} as const;
export type LeafGoalKind = keyof typeof GOAL_KINDS;
export const COMPOSITE_GOAL_KINDS = ['all', 'any', 'not'] as const;
export const GOAL_KIND_NAMES: readonly string[] = [...Object.keys(GOAL_KINDS), ...COMPOSITE_GOAL_KINDS];
/** The kinds that send a probe into the lab (the rest are read from the observed state). */
export const PROBE_GOAL_KINDS = ['reach', 'dropped', 'sourceSeen'] as const;

// ---- goals, parsed: tagged by kind ------------------------------------------------------------

type Leaf<K extends LeafGoalKind> = { kind: K } & z.infer<(typeof GOAL_KINDS)[K]>;
/** A goal's check, tagged by its kind (what lesson-goals.ts judges). */
export type GoalCheck =
  | { [K in LeafGoalKind]: Leaf<K> }[LeafGoalKind]
  | { kind: 'all'; goals: GoalCheck[] }
  | { kind: 'any'; goals: GoalCheck[] }
  | { kind: 'not'; goal: GoalCheck };

/** A goal as the file writes it: `{ text?, <kind>: value }`, one kind. */
export interface GoalFile {
  text?: string;
  [kind: string]: unknown;
}

/** Nesting deeper than this is refused (all/any/not of all/any/not...). */
const MAX_GOAL_DEPTH = 4;

/**
 * One goal of the file, read into its tagged check: exactly one kind key (an unknown key is
 * "unknown goal kind", naming the kinds), `text` optional (a sentence is made from the check).
 */
export const GoalSchema: z.ZodType<{ text: string | null; check: GoalCheck }, unknown> = z
  .unknown()
  .transform((value, ctx) => readGoal(value, ctx, [], 0) ?? z.NEVER);

function readGoal(
  value: unknown,
  ctx: z.RefinementCtx,
  path: PropertyKey[],
  depth: number,
): { text: string | null; check: GoalCheck } | null {
  const issue = (message: string, at: PropertyKey[] = []) =>
    ctx.addIssue({ code: 'custom', message, path: [...path, ...at] });
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    issue('a goal is a map: "text" and one kind, e.g. { text: ns1 exists, namespace: { name: ns1 } }');
    return null;
  }
  const record = value as Record<string, unknown>;
  const kinds = Object.keys(record).filter((key) => key !== 'text');
  for (const key of kinds)
    if (!GOAL_KIND_NAMES.includes(key))
      issue(`unknown goal kind "${key}" (one of ${GOAL_KIND_NAMES.join(', ')})`, [key]);
  const known = kinds.filter((key) => GOAL_KIND_NAMES.includes(key));
  if (known.length !== 1 || kinds.length !== 1) {
    if (known.length !== 1 && kinds.length === known.length)
      issue(
        known.length === 0
          ? `a goal needs one kind (${GOAL_KIND_NAMES.join(', ')})`
          : `a goal has one kind, not ${known.join(' and ')}`,
      );
    return null;
  }
  let text: string | null = null;
  if (record.text !== undefined) {
    if (typeof record.text !== 'string' || record.text.length === 0 || record.text.length > 300)
      issue('a sentence of 1 to 300 characters', ['text']);
    else text = record.text;
  }
  const kind = known[0] as string;
  const check = readCheck(kind, record[kind], ctx, [...path, kind], depth);
  return check === null ? null : { text, check };
}

function readCheck(
  kind: string,
  value: unknown,
  ctx: z.RefinementCtx,
  path: PropertyKey[],
  depth: number,
): GoalCheck | null {
  if (kind === 'all' || kind === 'any' || kind === 'not') {
    if (depth >= MAX_GOAL_DEPTH) {
      ctx.addIssue({ code: 'custom', message: `goals nest at most ${MAX_GOAL_DEPTH} deep`, path });
      return null;
    }
    if (kind === 'not') {
      const inner = readGoal(value, ctx, path, depth + 1);
      return inner && { kind, goal: inner.check };
    }
    if (!Array.isArray(value) || value.length === 0 || value.length > 32) {
      ctx.addIssue({ code: 'custom', message: `${kind} takes a list of 1 to 32 goals`, path });
      return null;
    }
    const goals = value.map((g, i) => readGoal(g, ctx, [...path, i], depth + 1));
    return goals.every((g) => g !== null) ? { kind, goals: goals.map((g) => g.check) } : null;
  }
  const parsed = GOAL_KINDS[kind as LeafGoalKind].safeParse(value);
  if (!parsed.success) {
    for (const issue of parsed.error.issues)
      ctx.addIssue({ code: 'custom', message: issue.message, path: [...path, ...issue.path] });
    return null;
  }
  return { kind, ...parsed.data } as GoalCheck;
}

// ---- steps and the lesson ---------------------------------------------------------------------

/**
 * Something on the page a step points at: a palette button, a node (namespace, bridge, "root"), a
 * section of the inspector, or a tool. The web decides how to draw it; nothing here runs.
 */
export const Highlight = z.union([
  z.object({ palette: z.enum(['namespace', 'bridge']) }).strict(),
  z.object({ node: NodeName }).strict(),
  z.object({ link: z.object({ node: NodeName, ifname: InterfaceName }).strict() }).strict(),
  z
    .object({
      inspector: z.string().regex(/^[a-z][a-zA-Z0-9-]{0,39}$/, 'a section of the inspector, e.g. firewall'),
    })
    .strict(),
  z.object({ tool: z.enum(['terminal', 'capture', 'path', 'ping', 'netfilter', 'log']) }).strict(),
]);
export type Highlight = z.infer<typeof Highlight>;

/**
 * Where a step starts: `empty` (nothing), the name of one of `examples/` (`router-nat`), or a
 * topology written inline (as a topology file, `schemaVersion: 1`...).
 */
export const StepStart = z.union([
  z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'empty, the name of an example, or a topology'),
  // Checked whole by lesson-parse.ts (validateTopology: its cross-object checks too).
  z.record(z.string(), z.unknown()),
]);
export type StepStart = z.infer<typeof StepStart>;

/** One step, as the file writes it. */
export const StepFile = z
  .object({
    /** Unique in the lesson; what `lessonGoto` names. */
    id: LessonId,
    title: z.string().min(1).max(120),
    /** Markdown (a YAML block scalar: `text: |`). */
    text: z.string().max(20_000).default(''),
    /** Optional: the lab is replaced by this when the step opens (see docs/lessons.md). */
    start: StepStart.optional(),
    /** Optional: what on the page to point at while the step is open. */
    highlight: z.array(Highlight).max(16).default([]),
    /** Optional: the lab's state is saved (a checkpoint) when every goal of this step is met. */
    checkpoint: z.boolean().default(false),
    /** Checked continuously; when all are met the next step opens. None: the student moves on by hand. */
    goals: z.array(GoalSchema).max(32).default([]),
  })
  .strict();

/** A lesson file (`*.lesson.yml`), as the file writes it. */
export const LessonFile = z
  .object({
    /** The lesson's id, `[a-z0-9-]`: `serve --lesson <id>` and `lessonLoad` name it. */
    lesson: LessonId,
    title: z.string().min(1).max(120),
    /** One or two sentences: what the student will have done. */
    summary: z.string().max(2_000).default(''),
    steps: z.array(StepFile).min(1).max(100),
  })
  .strict();

/** A goal of a parsed lesson: the sentence shown (the file's, or one made from the check) and the check. */
export interface Goal {
  text: string;
  check: GoalCheck;
}

export interface LessonStep {
  id: string;
  title: string;
  text: string;
  /** The topology the lab is replaced by when the step opens (examples resolved); none: the lab stays. */
  start: Topology | null;
  highlight: Highlight[];
  checkpoint: boolean;
  goals: Goal[];
}

/** A lesson, parsed and checked (lesson-parse.ts): every goal names only what its step's lab can have. */
export interface Lesson {
  id: string;
  title: string;
  summary: string;
  steps: LessonStep[];
}
