import type { BridgeAction } from './brctl';
import { ROOT } from './names';

/**
 * A kernel step, as data: the operation, its arguments, where it runs, why the planner wants it,
 * and what it does to the kernel (its effect). The command a person would type (`argv`) is
 * rendered from these by `renderArgv`, once, when the step is made; nothing reads the command's
 * words back (a unit test keeps it so): code that needs to know what a step does reads `op` and
 * `effect`. See docs/architecture.md, "A step".
 */
export type Step = IpStep | ExecStep;

/** The `ip` operations netcanvas plans. */
export type IpOperation =
  | 'netnsAdd'
  | 'netnsSetAuto'
  | 'netnsDel'
  | 'linkAdd'
  | 'linkSet'
  | 'linkDel'
  | 'addrAdd'
  | 'addrDel'
  | 'routeAdd'
  | 'routeReplace'
  | 'routeDel'
  /** `ip rule del …`: a policy rule made by hand (the lab makes none), removed by a reset's scrub. */
  | 'ruleDel';

/**
 * Tools run inside a namespace with `ip netns exec` (plainly in the lab's root). `tc` and
 * `netcanvas-fx` are the link effects' (docs/link-effects.md); `nft` removes a table a reset finds
 * that the lab did not make, and `ip` an IPv6 policy rule (`ip -6 rule del`: an `ip -batch` line
 * cannot say -6, and nothing on it says the family; kernel scrub.ts).
 */
export type ExecOperation = 'sysctl' | 'iptables' | 'tc' | 'netcanvas-fx' | 'nft' | 'ip';

export type StepOperation = IpOperation | ExecOperation;

interface StepBase {
  /**
   * Where the command runs: a namespace name, or "root" for the lab's root. An exec step in a
   * namespace runs in the root (`ip netns exec NS …` is a root command); `namespace` says where it acts.
   */
  context: string;
  /** Why: "missing", "address drift", "owned leftover", ... */
  reason: string;
  effect: StepEffect;
  /** The full command, rendered from the fields above (renderArgv): run it or show it, never read it. */
  argv: string[];
  /** A bridge step's brctl form, as data (rendered by `brctlText`, brctl.ts, for the command log). */
  bridge?: BridgeAction;
}

/** `ip [-n CONTEXT] ARGS…`: `args` are the words after the context, e.g. ['link', 'set', 'dev', 'veth0', 'up']. */
export interface IpStep extends StepBase {
  op: IpOperation;
  args: string[];
}

/** `[ip netns exec NAMESPACE] TOOL ARGS…`: `args` are the words after the tool's name. */
export interface ExecStep extends StepBase {
  op: ExecOperation;
  /** The namespace the tool acts in ("root": the lab's root, where it runs on its own). */
  namespace: string;
  args: string[];
}

/** What a step does to the kernel, said by the planner that made it. */
export interface StepEffect {
  /** The namespace it creates (`ip netns add`). */
  createsNamespace?: string;
  /** The namespace it deletes (`ip netns del`). */
  deletesNamespace?: string;
  /** The namespace it gives an id (`ip netns set NAME auto`): it goes with the namespace's making. */
  numbersNamespace?: string;
  /** Interfaces it deletes, in the step's context (a veth's peer goes with it, wherever it is). */
  deletesLinks?: string[];
  /** The bridge (in the step's context) a port joins: the kernel may lower the bridge's MTU. */
  joinsBridge?: string;
  /** It removes something: a namespace, an interface, an address, a route, a rule or a chain. */
  destroys: boolean;
  /**
   * An address deleted only to be added back by the same plan, right after (a secondary the
   * kernel would drop with its primary): it goes wherever its re-add goes (`editSteps`).
   */
  readd?: boolean;
  /** The contexts whose kernel state it changes. */
  touches: string[];
  /**
   * When all it changes in a context it touches is some interfaces there (their links, their
   * addresses, the routes through them), those interfaces: a read of them alone then sees what it
   * did (see `rereadOf`). A context it touches with none listed here is read whole.
   */
  interfaces?: { context: string; ifname: string }[];
}

/** A step as its maker gives it: everything but the rendered command. */
export type StepSpec = Omit<IpStep, 'argv'> | Omit<ExecStep, 'argv'>;

export const isExecOperation = (op: StepOperation): op is ExecOperation =>
  op === 'sysctl' || op === 'iptables' || op === 'tc' || op === 'netcanvas-fx' || op === 'nft' || op === 'ip';

/** The one renderer of a step's command: `ip [-n NS] …`, `ip netns exec NS TOOL …` or a root `TOOL …`. */
export function renderArgv(step: StepSpec): string[] {
  if ('namespace' in step)
    return [
      ...(step.namespace === ROOT ? [] : ['ip', 'netns', 'exec', step.namespace]),
      step.op,
      ...step.args,
    ];
  return ['ip', ...(step.context === ROOT ? [] : ['-n', step.context]), ...step.args];
}

/** Makes a step: its command rendered from its fields. */
export const makeStep = (spec: StepSpec): Step => ({ ...spec, argv: renderArgv(spec) }) as Step;

/** A step's command as a person pastes it into a shell (the command log, the audit log, scripts). */
export const stepText = (step: Step): string => shellQuote(step.argv);

/** Contexts whose kernel state the steps change (in first-seen order). */
export const touchedBy = (steps: readonly Step[]): string[] => [
  ...new Set(steps.flatMap((s) => s.effect.touches)),
];

/** What a read must take again to see what steps did, per context: all of it, or some interfaces. */
export type Reread = Map<string, 'whole' | { ifnames: Set<string>; deleted: Set<string> }>;

/**
 * What to read again after these steps ran: each context they touch whole, unless every step
 * that touched it said which interfaces it changed there (`effect.interfaces`). At 1,000
 * namespaces the lab's root holds 1,000 bridge ports: an edit that adds one port reads that port,
 * not the root's 2.5 MB dump (docs/benchmarks.md, "Reading what changed").
 */
export function rereadOf(steps: readonly Step[]): Reread {
  const out: Reread = new Map();
  for (const step of steps)
    for (const context of step.effect.touches) {
      const now = out.get(context);
      if (now === 'whole') continue;
      if (step.effect.interfaces === undefined) {
        out.set(context, 'whole');
        continue;
      }
      const entry = now ?? { ifnames: new Set<string>(), deleted: new Set<string>() };
      const deletes = new Set(step.context === context ? (step.effect.deletesLinks ?? []) : []);
      for (const { ifname } of step.effect.interfaces.filter((i) => i.context === context))
        (deletes.has(ifname) ? entry.deleted : entry.ifnames).add(ifname);
      out.set(context, entry);
    }
  return out;
}

/** What running a step did. */
export interface StepOutcome {
  step: Step;
  exitCode: number;
  stderr: string;
  durationMs: number;
}

/** A failed apply says exactly what was and was not done. */
export interface ApplyReport {
  ok: boolean;
  /** Steps that ran and succeeded. */
  done: StepOutcome[];
  /** The first step that failed, with the kernel's words. */
  failed: StepOutcome | null;
  /** Steps that were not run because of the failure. */
  notRun: Step[];
  durationMs: number;
  /** Contexts whose kernel state the steps that ran (done, or failed partway) may have changed. */
  touched: string[];
}

/** An apply report, with what it touched worked out from the steps that ran. */
export const applyReport = (parts: Omit<ApplyReport, 'touched'>): ApplyReport => ({
  ...parts,
  touched: touchedBy([...parts.done.map((o) => o.step), ...(parts.failed ? [parts.failed.step] : [])]),
});

/** Something the planner will not do because it would touch what netcanvas does not own. */
export interface PlanConflict {
  /** Where in the document the wish comes from, e.g. `links[0].a`. */
  path: string;
  message: string;
}

export interface Plan {
  steps: Step[];
  /** Wishes that cannot be met without touching what netcanvas does not own; apply refuses while any remain. */
  conflicts: PlanConflict[];
  /** Things left alone on purpose (e.g. an owned namespace kept because it holds interfaces made by hand). */
  notes: string[];
}

/**
 * Renders an argv array as a line a person can paste into a shell: a word with anything a shell
 * reads (a space in a LOG prefix, a quote, `$`) goes in single quotes. iptables' negation `!`, a
 * word of its own, stays bare as people type it (no shell reads a lone `!` as anything).
 */
export function shellQuote(argv: readonly string[]): string {
  return argv
    .map((arg) =>
      /^[A-Za-z0-9_./:@%+=,-]+$/.test(arg) || arg === '!' ? arg : `'${arg.replaceAll("'", `'\\''`)}'`,
    )
    .join(' ');
}

/** A step's identity, from its fields (its command is rendered from them): where, which, what. */
const stepKey = (step: Step) =>
  JSON.stringify([step.context, step.op, 'namespace' in step ? step.namespace : null, step.args]);

/**
 * The steps an edit runs: those of the plan for the document it makes (`after`) that the plan for
 * the document before it (`before`, from the same reading of the kernel) does not have, in
 * `after`'s order. What both plans have is drift the edit did not ask about (a link a terminal
 * took down, an address it deleted, a failed command's leftover): it is left as it is, shown as
 * drift with its repair offered ("Make the kernel match" converges the lab: `converge`). Before
 * this, every edit converged the whole lab, and an unrelated edit silently undid a terminal's
 * change (docs/architecture.md, "An edit runs what it changes").
 *
 * With the steps kept come the steps of `after` that make what they need: the interfaces they
 * change or join (a link the edit addresses that a terminal deleted is made again first, a bridge
 * a new port joins), the namespaces they run in, and where they make a link the lab's own
 * leftovers there (which may hold its name or peer), to a fixed point.
 */
export function editSteps(after: readonly Step[], before: readonly Step[]): Step[] {
  const already = new Set(before.map(stepKey));
  const kept = new Set(after.filter((step) => !already.has(stepKey(step))));
  for (let grew = true; grew;) {
    const needs = needsOf(kept);
    const more = after.filter((step) => !kept.has(step) && meets(step, needs));
    for (const step of more) kept.add(step);
    grew = more.length > 0;
  }
  return after.filter((step) => kept.has(step));
}

/** What the kept steps need: what they use, and the contexts where they make a link. */
function needsOf(kept: Iterable<Step>): { uses: Set<string>; linksMadeIn: Set<string> } {
  const uses = new Set<string>();
  const linksMadeIn = new Set<string>();
  for (const step of kept) {
    for (const thing of usedBy(step)) uses.add(thing);
    if (step.op === 'linkAdd' && !step.effect.destroys)
      for (const context of step.effect.touches) linksMadeIn.add(context);
  }
  return { uses, linksMadeIn };
}

/**
 * Whether `step` makes something the kept steps need: an interface they name, a namespace they
 * use. A leftover of the lab's own (a veth end renamed by hand) may hold the name or the peer of a
 * link the edit makes: where the edit makes a link, the lab's leftovers there go first, as the
 * plan orders them. No other deletion is ever pulled in, but an address deleted only to be added
 * back (`StepEffect.readd`): with its re-add, never without it.
 */
function meets(step: Step, { uses, linksMadeIn }: ReturnType<typeof needsOf>): boolean {
  // Deleted to be added back: pulled in with its re-add, which alone would fail ("already assigned").
  if (step.effect.readd === true) return madeBy(step).some((thing) => uses.has(thing));
  if (step.effect.destroys)
    return step.op === 'linkDel' && step.effect.touches.some((context) => linksMadeIn.has(context));
  return madeBy(step).some((thing) => uses.has(thing));
}

/** What a step makes or sets: the interfaces it changes, the namespace it creates or numbers. */
function madeBy(step: Step): string[] {
  return [
    ...(step.effect.interfaces ?? []).map((i) => `${i.context}\0${i.ifname}`),
    ...[step.effect.createsNamespace, step.effect.numbersNamespace].flatMap((name) =>
      name !== undefined ? [`ns\0${name}`] : [],
    ),
  ];
}

/** What a step needs to be there: the interfaces it names or joins, the namespaces it touches. */
function usedBy(step: Step): string[] {
  return [
    ...(step.effect.interfaces ?? []).map((i) => `${i.context}\0${i.ifname}`),
    ...(step.effect.joinsBridge !== undefined ? [`${step.context}\0${step.effect.joinsBridge}`] : []),
    ...step.effect.touches.map((context) => `ns\0${context}`),
  ];
}
