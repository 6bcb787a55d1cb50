import path from 'node:path';
import {
  ROOT,
  applyReport,
  emptyTopology,
  interfaceNameProblem,
  parseCidrSyntax,
  type AdoptMarks,
  type ApplyReport,
  type RouteLike,
  type ObservedState,
  type PathRequestInput,
  type PathResult,
  type Plan,
  type Step,
  type Topology,
} from '@netcanvas/model';
import { applySteps } from './apply';
import { addrAdd, linkReleaseGroup, linkSetGroup, linkSetUp, netnsSetAuto, routeReplace } from './commands';
import {
  deleteRuleStep,
  removeHandRules,
  replaceHandRules,
  replaceRuleStep,
  type HandRule,
  type HandRuleReplacement,
} from './hand-rules';
import { namespaceIo, type IoMode, type NamespaceIo } from './io';
import { LiveState, type LabObserver, type LiveStateListener } from './live/live-state';
import { Observer } from './observe';
import { endOrphanedHelpers } from './effects/orphans';
import { readOwnedNamespaces, readOwnedNamespacesNow, writeOwnedNamespaces } from './ownership';
import { plan, type PlanOptions } from './plan';
import { SessionPool } from './pool';
import { isSameProcessIn, killAndWait, netnsFileId, processesIn } from './procfs';
import { createSandbox, findSandbox, forgetLab, removeSandbox } from './sandbox';
import { sandboxForeignObjects } from './sandbox-foreign';
import { planScrub } from './scrub';
import { readScrubExtras } from './scrub-read';
import { emptySandboxState } from './empty-sandbox';
import {
  LabInputError,
  checkNamespace,
  attachIn,
  inLabNamespace,
  listNamespaces,
  openHandSession,
  runIn,
  shellIn,
  type HandSession,
} from './lab-tools';
import { startPing, type PingOptions, type PingRun } from './ping';
import { compileCaptureFilter, startCapture, type CaptureOptions, type CaptureRun } from './capture';
import type { PcapRecord } from '@netcanvas/model';
import { checkPathRequest, tracePath } from './path/trace-path';
import type { RunResult } from './process';
import { openTerminal, type TerminalHandle, type TerminalOptions } from './terminal';
import { HOST_LAB, netnsDirOf, type Target } from './target';
import { watchLab } from './watch';

export type LabSelector = { host: true } | { host?: false; lab: string };

export class LabNotFoundError extends Error {
  constructor(readonly lab: string) {
    super(`no sandbox lab named "${lab}" is running`);
  }
}

export interface DestroyReport {
  /** The sandbox itself was removed (everything in it is gone). */
  sandboxRemoved: boolean;
  /** What ran first, if anything: a sandbox whose hand-made things all went with the lab's is then removed too. */
  apply: ApplyReport | null;
  /** What is still there (read after removing) because netcanvas did not make it. */
  kept: string[];
  /** Things made by hand that went with what the lab made (a macvlan on the lab's bridge, say). */
  goneWith: string[];
}

/** What a scrub removed (said as the reply's notes say it), what it could not, and how it ran. */
export interface ScrubReport {
  /** null when there was nothing to remove. */
  apply: ApplyReport | null;
  removed: string[];
  kept: string[];
}

/** A scrub asked of a lab that is not a sandbox of its own: on the host, everything else is the machine's. */
export class ScrubRefused extends Error {
  constructor(lab: string) {
    super(
      `lab "${lab}" is the host: only a sandbox lab of its own is scrubbed (the machine's things are not the lab's to remove)`,
    );
  }
}

/**
 * A lab: a target (a sandbox, or the host) plus what the lab owns there. The one object the CLI
 * and the agent use to observe, plan, apply and destroy.
 */
export class Lab {
  /** Long-lived `ip -batch` sessions, one per namespace; see session.ts. */
  private readonly pool: SessionPool;
  private readonly io: NamespaceIo;
  /**
   * Names `recordMaking` wrote to the ownership record for an apply still to come: not the lab's
   * yet (that apply's failed `netns add` takes its name out again, as for a name it wrote itself).
   */
  private readonly recordedForMaking = new Set<string>();
  /**
   * The namespaces the last read listed (null before the first): one gone since may have left a
   * link-effect helper, and so may one deleted while no agent ran.
   */
  private listed: ReadonlySet<string> | null = null;

  private constructor(
    readonly target: Target,
    readonly mode: IoMode,
  ) {
    this.pool = new SessionPool(target);
    this.io = namespaceIo(mode, target, this.pool);
  }

  /**
   * True when this lab's sandbox is no longer there (its holder ended: destroyed from outside,
   * or killed by hand). The host lab is never gone.
   */
  isGone(): boolean {
    if (this.target.kind !== 'sandbox') return false;
    // The holder is the sandbox: destroy ends it first, then forgets the records.
    const { pid, startTime, netns } = this.target.sandbox;
    return !isSameProcessIn(pid, startTime, netns);
  }

  /** Ends the lab's sessions (the lab itself lives on). Call when done with this object. */
  async close(): Promise<void> {
    await this.pool.closeAll();
  }

  get name(): string {
    return this.target.lab;
  }

  /** Opens a lab. A sandbox lab is made if it does not exist and `create` is set. */
  static async open(selector: LabSelector, options: { create: boolean; mode?: IoMode }): Promise<Lab> {
    const mode = options.mode ?? 'oneshot';
    if (selector.host) return new Lab({ kind: 'host', lab: HOST_LAB }, mode);
    const existing = await findSandbox(selector.lab);
    if (existing) return new Lab({ kind: 'sandbox', lab: selector.lab, sandbox: existing }, mode);
    if (!options.create) throw new LabNotFoundError(selector.lab);
    // A dead sandbox's records (after a reboot, or a holder killed by hand) describe nothing.
    await forgetLab(selector.lab);
    return new Lab({ kind: 'sandbox', lab: selector.lab, sandbox: await createSandbox(selector.lab) }, mode);
  }

  /**
   * An Observer that closes the sessions of namespaces that went away, and ends the link-effect
   * helpers left in them (both would keep a namespace deleted by hand alive, unseen).
   */
  private newObserver(): Observer {
    return new Observer(this.target, this.io, async (names) => {
      const now = new Set(names);
      const gone = this.listed === null || [...this.listed].some((name) => !now.has(name));
      this.listed = now;
      await Promise.all([this.pool.retain([ROOT, ...names]), gone ? this.endOrphanedHelpers() : undefined]);
    });
  }

  /** Link-effect helpers left in namespaces deleted by hand (effects/orphans.ts): ended, never thrown. */
  private async endOrphanedHelpers(): Promise<void> {
    await endOrphanedHelpers(this.target).catch(() => undefined);
  }

  /**
   * The lab kept current (the agent's live state): the monitor and inotify, reads of what changed,
   * the once-a-second sample and the background sweep, patches, rates and counters to `listener`.
   * Not started: `start()` it (and `stop()` it before `close`).
   */
  live(listener: LiveStateListener): LiveState {
    return new LiveState(this.observer(), (onEvent) => watchLab(this.target, onEvent), listener);
  }

  /** An observer that can re-read only the namespaces that changed (the live state's). */
  observer(): LabObserver {
    const observer = this.newObserver();
    return {
      read: (contexts, options) => {
        observer.phase = 'reading the ownership record';
        return observer.read(contexts, readOwnedNamespacesNow(this.name), options);
      },
      nameOfNsid: (nsid) => observer.nameOfNsid(nsid),
      nsidOf: (name) => observer.nsidOf(name),
      learnNsid: (name, nsid) => observer.learnNsid(name, nsid),
      phase: () => observer.phase,
    };
  }

  /** Everything the lab has; `firewall: false` skips reading iptables (an exec per namespace). */
  async observe(options: { firewall?: boolean } = {}): Promise<ObservedState> {
    return this.newObserver().read('all', await readOwnedNamespaces(this.name), {
      firewall: options.firewall === false ? new Set() : 'all',
    });
  }

  plan(desired: Topology, observed: ObservedState, options: PlanOptions = {}): Plan {
    return plan(desired, observed, options);
  }

  /**
   * Records the namespaces these steps make as the lab's, before any is made (what `apply` would
   * write first), so the writer can do it beside saving the document. Hands back what takes them
   * back (the edit was not saved, so they will not be made): the names recorded here only.
   */
  async recordMaking(steps: readonly Step[]): Promise<() => Promise<void>> {
    const adding = steps.flatMap((s) => s.effect.createsNamespace ?? []);
    if (adding.length === 0) return async () => undefined;
    const owned = await readOwnedNamespaces(this.name);
    const fresh = adding.filter((name) => !owned.has(name));
    if (fresh.length === 0) return async () => undefined;
    for (const name of fresh) this.recordedForMaking.add(name);
    await writeOwnedNamespaces(this.name, [...owned, ...fresh]);
    return async () => {
      const now = await readOwnedNamespaces(this.name);
      for (const name of fresh) {
        now.delete(name);
        this.recordedForMaking.delete(name);
      }
      await writeOwnedNamespaces(this.name, now);
    };
  }

  /** Runs a plan's steps, keeping the ownership record true even if this process dies midway. */
  async apply(planned: Plan): Promise<ApplyReport> {
    const recorded = await readOwnedNamespaces(this.name);
    // The lab's before this apply: not the names `recordMaking` wrote for it.
    const owned = new Set([...recorded].filter((name) => !this.recordedForMaking.has(name)));
    const adding = planned.steps.flatMap((s) => s.effect.createsNamespace ?? []);
    for (const name of adding) this.recordedForMaking.delete(name);
    const onDisk = new Set([...recorded, ...adding]);
    // Recorded already (`recordMaking`, beside the writer's save): not written again.
    if (onDisk.size > recorded.size) await writeOwnedNamespaces(this.name, onDisk);
    const report = await applySteps(this.io, planned.steps, {
      beforeNetnsDelete: (names) => this.endProcessesIn(names),
    });
    const succeeded = new Set(report.done.map((o) => o.step));
    const next = new Set(onDisk);
    for (const step of planned.steps) {
      const { createsNamespace: made, deletesNamespace: gone } = step.effect;
      if (gone !== undefined && succeeded.has(step)) next.delete(gone);
      if (made !== undefined && !succeeded.has(step) && !owned.has(made)) next.delete(made);
    }
    // Against the record as it now is (the namespaces being made were written before they ran): an
    // apply whose namespaces were all made writes the record once, not twice (an fsync per edit).
    if (next.size !== onDisk.size) await writeOwnedNamespaces(this.name, next);
    return report;
  }

  /**
   * Takes what someone made by hand into the lab: namespaces are recorded as the lab's,
   * interfaces get the lab's mark (`ip link set dev X group 28259`), routes are re-made in place
   * with the lab's protocol (`ip route replace ... proto 203`), and rules are replaced in place
   * with the lab's comment (checked just before, see hand-rules.ts); from then on the lab may
   * change and delete them.
   */
  async adopt(what: AdoptMarks): Promise<ApplyReport> {
    if (what.namespaces.length > 0)
      await writeOwnedNamespaces(this.name, [...(await readOwnedNamespaces(this.name)), ...what.namespaces]);
    const ipSteps = adoptSteps({ ...what, rules: [] });
    const marked = ipSteps.length > 0 ? await applySteps(this.io, ipSteps) : null;
    if (marked && !marked.ok) return { ...marked, notRun: [...marked.notRun, ...ruleSteps(what.rules)] };
    if (what.rules.length === 0) return marked ?? emptyReport();
    const replaced = await replaceHandRules(this.target, what.rules, (steps) => applySteps(this.io, steps));
    return marked ? joinReports(marked, replaced) : replaced;
  }

  /** Deletes rules made by hand, each only if the kernel still has exactly that rule, unmanaged. */
  removeHandRules(rules: readonly HandRule[]): Promise<ApplyReport> {
    return removeHandRules(this.target, rules);
  }

  /**
   * The opposite of adopt: the lab stops owning these (interfaces lose the mark, namespaces leave
   * the record), so nothing of the lab's will ever change or delete them; they stay as they are,
   * shown as made by hand, and can be adopted again.
   */
  async release(what: {
    namespaces: string[];
    interfaces: { context: string; ifname: string }[];
  }): Promise<ApplyReport> {
    if (what.namespaces.length > 0) {
      const owned = await readOwnedNamespaces(this.name);
      for (const name of what.namespaces) owned.delete(name);
      await writeOwnedNamespaces(this.name, owned);
    }
    return applySteps(
      this.io,
      what.interfaces.map((i) => linkReleaseGroup(i.context, i.ifname)),
    );
  }

  /** Observes, plans and (unless dry) applies. Refuses to run anything while the plan has conflicts. */
  async converge(
    desired: Topology,
    options: { dryRun: boolean },
  ): Promise<{ plan: Plan; report: ApplyReport | null }> {
    const planned = this.plan(desired, await this.observe());
    if (options.dryRun || planned.conflicts.length > 0 || planned.steps.length === 0)
      return { plan: planned, report: null };
    return { plan: planned, report: await this.apply(planned) };
  }

  /**
   * Removes what the lab owns and nothing else. A sandbox that holds only the lab's own things
   * goes whole (its holder ends, and the kernel frees everything at once); one that holds things
   * made by hand keeps them, and itself, unless `force`. What is kept is read again after removing:
   * if the hand-made things all went with the lab's own, the sandbox goes too.
   */
  async destroy(options: { force: boolean }): Promise<DestroyReport> {
    // A helper in a namespace deleted by hand is in none of the lab's namespaces any more, so the
    // sandbox's removal would not find it: it would hold that namespace for good.
    await this.endOrphanedHelpers();
    if (this.target.kind === 'sandbox' && options.force) {
      await this.pool.closeAll();
      await removeSandbox(this.target.sandbox);
      return { sandboxRemoved: true, apply: null, kept: [], goneWith: [] };
    }
    const owned = await readOwnedNamespaces(this.name);
    // The common case first, cheaply: nothing foreign in the sandbox (sandbox-foreign.ts).
    if (this.target.kind === 'sandbox') {
      const foreign = await sandboxForeignObjects(this.target, owned);
      if (foreign.length === 0) {
        await this.pool.closeAll();
        await removeSandbox(this.target.sandbox);
        return { sandboxRemoved: true, apply: null, kept: [], goneWith: [] };
      }
    }
    // What is foreign is namespaces and interfaces; a namespace's rules go with it either way.
    // The root's are read: a kept sandbox, or the host, keeps the root, so the lab's rules there
    // are removed one by one (and only those: the machine's own rules stay).
    const observed = await this.newObserver().read('all', owned, { firewall: new Set([ROOT]) });
    // On the host, everything else on the machine is foreign: only the sandbox's list is news.
    const kept = this.target.kind === 'sandbox' ? foreignObjects(observed) : [];
    if (this.target.kind === 'sandbox' && kept.length === 0) {
      await this.pool.closeAll();
      await removeSandbox(this.target.sandbox);
      return { sandboxRemoved: true, apply: null, kept: [], goneWith: [] };
    }
    const planned = this.plan(emptyTopology(), observed);
    const report = planned.steps.length > 0 ? await this.apply(planned) : null;
    if (this.target.kind === 'sandbox' && report?.ok !== false) {
      // Removing what the lab made can take hand-made things with it (a macvlan on the lab's
      // bridge goes with the bridge): say only what is really left, read again.
      const after = await this.observe({ firewall: false });
      const left = foreignObjects(after);
      const goneWith = kept.filter((item) => !left.includes(item));
      if (left.length === 0) {
        await this.pool.closeAll();
        await removeSandbox(this.target.sandbox);
        return { sandboxRemoved: true, apply: report, kept: [], goneWith };
      }
      const notes = this.plan(emptyTopology(), after).notes;
      return { sandboxRemoved: false, apply: report, kept: [...left, ...notes], goneWith };
    }
    if (
      this.target.kind === 'host' &&
      report?.ok !== false &&
      (await readOwnedNamespaces(this.name)).size === 0
    )
      await forgetLab(this.name);
    return { sandboxRemoved: false, apply: report, kept: [...kept, ...planned.notes], goneWith: [] };
  }

  /**
   * After a reset of a sandbox lab wholly its owner's (a class's student's): removes what is still
   * not the lab's, which `adopt all` could not take and so the reset, deleting only the lab's own,
   * left (scrub.ts says what). Refused on the host before anything is read. `run` gets the steps
   * before they run and runs them (`apply`): the agent's writer logs and audits them as any edit's.
   */
  async scrubUnowned(
    desired: Topology,
    run: (steps: readonly Step[], apply: () => Promise<ApplyReport>) => Promise<ApplyReport> = (_, apply) =>
      apply(),
  ): Promise<ScrubReport> {
    if (this.target.kind !== 'sandbox') throw new ScrubRefused(this.name);
    const target = this.target;
    const observed = await this.observe();
    const wanted = new Set([ROOT, ...desired.namespaces.map((ns) => ns.name)]);
    const contexts = observed.namespaces.map((ns) => ns.name).filter((name) => wanted.has(name));
    const extras = new Map(
      await Promise.all(contexts.map(async (c) => [c, await readScrubExtras(target, c)] as const)),
    );
    const planned = planScrub(desired, observed, extras);
    if (planned.steps.length === 0) return { apply: null, removed: [], kept: planned.kept };
    // Through `apply`: a namespace deleted leaves the ownership record, its processes ended first.
    const report = await run(planned.steps, () =>
      this.apply({ steps: planned.steps, conflicts: [], notes: [] }),
    );
    const removed = report.done.flatMap((o) => planned.what.get(o.step) ?? []);
    return { apply: report, removed, kept: planned.kept };
  }

  /** The lab's namespaces by name, as the kernel lists them (the lab's root is not one). */
  namespaces(): Promise<string[]> {
    return listNamespaces(this.target);
  }

  /** Pings from one of the lab's namespaces ("root" for its root), each output line to `onLine`. */
  ping(namespace: string, address: string, options: PingOptions, onLine: (line: string) => void): PingRun {
    return startPing(this.target, namespace, address, options, onLine);
  }

  /** A confined shell on a pty in one of the lab's namespaces, for the browser terminal (terminal.ts). */
  terminal(namespace: string, options: TerminalOptions): Promise<TerminalHandle> {
    return openTerminal(this.target, namespace, options);
  }

  /**
   * A packet's path from one of the lab's namespaces to an address (path/trace-path.ts): one real
   * probe, then each hop's route, hooks, neighbour and bridges as the kernel tells them. `observed`:
   * the lab as last read (the agent's live state); read now without it.
   */
  async tracePath(request: PathRequestInput, observed?: ObservedState): Promise<PathResult> {
    // A wrong field is refused before the lab is even read.
    checkPathRequest(request);
    return tracePath(this.target, request, observed ?? (await this.observe({ firewall: false })));
  }

  /**
   * Captures packets on one interface of one namespace (tcpdump, see capture.ts), each record to
   * `onPacket`. Checks first (names, filter, limits; then tcpdump's own compile of the filter on
   * that interface): a LabInputError naming the field, and nothing left running. Resolves once
   * tcpdump listens.
   */
  async capture(
    namespace: string,
    ifname: string,
    options: CaptureOptions,
    onPacket: (record: PcapRecord) => void,
  ): Promise<CaptureRun> {
    await compileCaptureFilter(this.target, namespace, ifname, options);
    const capture = startCapture(this.target, namespace, ifname, options, onPacket);
    await capture.ready;
    return capture;
  }

  /** Runs a command in one of the lab's namespaces to its end, its output captured. */
  run(namespace: string, argv: readonly string[], options: { timeoutMs?: number } = {}): Promise<RunResult> {
    return runIn(this.target, namespace, argv, options);
  }

  /** Runs a command in a namespace with the terminal attached (`netcanvas exec`); its exit code. */
  exec(namespace: string, argv: readonly string[]): Promise<number> {
    return attachIn(this.target, namespace, argv);
  }

  /** A shell in a namespace, attached, its prompt naming the lab and namespace (`netcanvas shell`). */
  shell(namespace: string): Promise<number> {
    return shellIn(this.target, namespace);
  }

  /** Changes made by hand at one namespace's `ip` prompt (benches, tests); see lab-tools.ts. */
  byHand(namespace: string = ROOT): HandSession {
    return openHandSession(this.target, namespace);
  }

  /** What a new sandbox holds before anything is applied: a dry run plans from it. */
  static emptyState(lab: string): ObservedState {
    return emptySandboxState(lab);
  }

  /** The step that takes one of the lab's interfaces up or down (a link flap's), for `apply`. */
  linkUpStep(namespace: string, ifname: string, up: boolean, reason: string): Step {
    const problem = interfaceNameProblem(ifname);
    if (problem !== null) throw new LabInputError('ifname', problem);
    return linkSetUp(checkNamespace(namespace), ifname, up, reason);
  }

  /**
   * The step that gives one of the lab's interfaces an address again (a link flap's: the kernel
   * drops an interface's IPv6 addresses when it goes down), for `apply`.
   */
  addressAddStep(namespace: string, ifname: string, cidr: string, reason: string): Step {
    const problem = interfaceNameProblem(ifname);
    if (problem !== null) throw new LabInputError('ifname', problem);
    const parsed = parseCidrSyntax(cidr);
    if (!parsed.ok) throw new LabInputError('cidr', parsed.error);
    return addrAdd(checkNamespace(namespace), ifname, parsed.value.text, reason);
  }

  /** argv that runs a command inside one of the lab's namespaces ("root" for the lab's root). */
  execArgv(namespace: string, argv: readonly string[]): string[] {
    return inLabNamespace(this.target, namespace, argv).argv;
  }

  /**
   * `ip netns delete` leaves a namespace alive while a process is still in it (docs/security.md), with
   * its veths: end what runs there first. In a sandbox everything inside is the lab's.
   */
  private async endProcessesIn(names: string[]): Promise<void> {
    await this.pool.close(names);
    const dir = netnsDirOf(this.target);
    const ids = await Promise.all(names.map((name) => netnsFileId(path.join(dir, name))));
    const set = new Set(ids.filter((id): id is string => id !== null));
    if (set.size > 0) await killAndWait(await processesIn('net', set));
  }
}

/**
 * What adopting runs: an adopted namespace gets an id in the lab's root (`ip netns set NAME auto`)
 * so the one `ip monitor all-nsid` sees its changes, as it sees the lab's own; an interface gets
 * the lab's mark; a route is re-made with the lab's protocol; a rule is replaced in place (at the
 * position it was seen: `Lab.adopt` checks it again just before).
 */
export function adoptSteps(what: {
  namespaces: readonly string[];
  interfaces: readonly { context: string; ifname: string }[];
  routes?: readonly { context: string; route: RouteLike }[];
  rules?: readonly HandRuleReplacement[];
}): Step[] {
  return [
    ...what.namespaces.map((name) => netnsSetAuto(name)),
    ...what.interfaces.map((i) => linkSetGroup(i.context, i.ifname)),
    ...(what.routes ?? []).map((r) =>
      routeReplace(r.context, r.route, "adopted: the same route, with the lab's protocol"),
    ),
    ...ruleSteps(what.rules ?? []),
  ];
}

const ruleSteps = (rules: readonly HandRuleReplacement[]) =>
  rules.map((r) => replaceRuleStep(r, r.position, { packets: 0, bytes: 0 }));

/** Removing rules made by hand, as planned (each is checked again when it runs). */
export const removeHandRuleSteps = (rules: readonly HandRule[]): Step[] => rules.map(deleteRuleStep);

const emptyReport = (): ApplyReport =>
  applyReport({ ok: true, done: [], failed: null, notRun: [], durationMs: 0 });

const joinReports = (first: ApplyReport, then: ApplyReport): ApplyReport =>
  applyReport({
    ...then,
    done: [...first.done, ...then.done],
    durationMs: first.durationMs + then.durationMs,
  });

/** Namespaces and interfaces in a lab that netcanvas did not make. */
export function foreignObjects(observed: ObservedState): string[] {
  const out: string[] = [];
  for (const ns of observed.namespaces) {
    if (ns.name !== ROOT && !ns.managed) out.push(`namespace ${ns.name}`);
    const where = ns.name === ROOT ? "the lab's root" : ns.name;
    if (ns.name === ROOT || ns.managed)
      for (const i of ns.interfaces)
        if (!i.managed && i.ifname !== 'lo') out.push(`interface ${i.ifname} in ${where}`);
  }
  return out;
}
