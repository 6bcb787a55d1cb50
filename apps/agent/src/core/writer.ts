import {
  adoptSteps,
  removeHandRuleSteps,
  traceSpan,
  traced,
  type Lab,
  type LiveState,
  type ScrubReport,
  type StagedFile,
} from '@netcanvas/kernel';
import {
  ErrorCode,
  ROOT,
  applyEdits,
  applyReport,
  documentLimitProblem,
  handMadeNamespaces,
  editSteps,
  rereadOf,
  stepText,
  touchedBy,
  type ApplyReport,
  type ClientMessage,
  type CommandRecord,
  type Edit,
  type EditInput,
  type ServerMessage,
  type Step,
  type LabLimits,
  type ObservedState,
  type Plan,
  type Topology,
} from '@netcanvas/model';
import type { AuditLog } from './audit-log';
import type { DocumentStore } from './document-store';
import { deletes, deletesAdopted } from './destructive';
import { expandMessage, firewallsToRead, hasMarks, markAndRemove, type Expanded } from './adopt';
import { toOutcome, toRecords } from './records';

type EditMessage = Extract<ClientMessage, { type: 'edit' }>;
type PreviewMessage = Extract<ClientMessage, { type: 'preview' }>;

export interface WriterEvents {
  /**
   * After every accepted edit: the new document, the commands that ran for it, and (when one
   * version came from the one before by edits) those edits, which clients that hold the version
   * before are sent instead of the whole.
   */
  committed(
    version: number,
    document: Topology,
    by: string,
    records: CommandRecord[],
    change?: { baseVersion: number; edits: readonly EditInput[] },
  ): void;
}

/** How many passes a reconcile makes before it reports what is left. */
const RECONCILE_ATTEMPTS = 3;
/**
 * Edits waiting for the writer, beyond which new ones are refused with ERR_BUSY at once: a burst
 * from one client must not make every other editor wait behind it. Moves of nodes do not count:
 * queued moves are merged into one save.
 */
export const MAX_QUEUED_EDITS = 32;

type Rejection = Extract<ServerMessage, { type: 'rejected' }>;
/** An edit checked against a fresh reading: what the writer plans and runs with. */
interface Prepared {
  observed: ObservedState;
  expanded: Expanded;
  next: { ok: true; value: Topology };
}
type Reply = Extract<ServerMessage, { type: 'accepted' }> | Rejection;
/** A save's outcome: the version made, or why the disk refused (nothing changed then). */
type Saved = { ok: true; version: number } | { ok: false; why: string };
/** The next version, being written aside (DocumentStore.stage). */
interface StagedSave {
  version: number;
  document: Topology;
  file: StagedFile;
}

/** Moves of nodes waiting for the writer, applied (and saved) together in arrival order. */
interface LayoutBatch {
  started: boolean;
  requests: { message: EditMessage; by: string; answer: (reply: Reply) => void }[];
}

/**
 * The one writer of the topology document. Edits from every client are applied one at a time, in
 * the order they arrive: validate → (adopt marks) → plan against a fresh observe → save the
 * document → run the steps → tell everyone. A concurrent edit therefore equals some serial order.
 *
 * The state changes only once the document is saved: a save that fails (disk full, I/O error)
 * leaves the document, its version and the kernel as they were, and the client is told so.
 */
export class Writer {
  private queue: Promise<unknown> = Promise.resolve();
  private queued = 0;
  private layout: LayoutBatch | null = null;
  /**
   * The oldest version an edit may be based on: the versions after it only moved nodes. A page
   * that saved a new node's place (the lab's root card, laid out when its first rule appears) and
   * sent an edit before that save's answer came was told "the topology changed" by a version that
   * changed no kernel object and cannot conflict with anything.
   */
  private layoutOnlySince: number;

  constructor(
    private readonly lab: Lab,
    private readonly store: DocumentStore,
    private readonly live: LiveState,
    private readonly audit: AuditLog,
    private readonly events: WriterEvents,
    private state: { version: number; document: Topology },
    /** A class's limits on the lab (its namespaces), checked on every edit's result. */
    private readonly limits?: Pick<LabLimits, 'namespaces'>,
  ) {
    this.layoutOnlySince = state.version;
  }

  get version(): number {
    return this.state.version;
  }

  get document(): Topology {
    return this.state.document;
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    this.queued++;
    const run = () => task().finally(() => this.queued--);
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private rejected(
    requestId: string,
    code: ErrorCode,
    message: string,
    path: string | null = null,
  ): Rejection {
    return { type: 'rejected', requestId, code, message, path, currentVersion: this.state.version };
  }

  private busy(requestId: string): Rejection {
    return this.rejected(
      requestId,
      ErrorCode.busy,
      `the agent has ${this.queued} edits waiting; nothing was changed, send it again in a moment`,
    );
  }

  /** Saves moved nodes as the new version; the writer's state moves only when the save succeeded. */
  private commitMoves(document: Topology): Promise<Saved> {
    return this.commitStaged(this.stage(document), { movesOnly: true });
  }

  /** Starts saving `document` as the next version: written and synced aside while the edit plans. */
  private stage(document: Topology): StagedSave {
    const version = this.state.version + 1;
    return { version, document, file: this.store.stage({ version, document }) };
  }

  /** Puts a staged save in place; the writer's state moves only when it succeeded. */
  private async commitStaged(
    { version, document, file }: StagedSave,
    { movesOnly = false } = {},
  ): Promise<Saved> {
    try {
      await file.commit();
    } catch (error) {
      return { ok: false, why: error instanceof Error ? error.message : String(error) };
    }
    this.state = { version, document };
    if (!movesOnly) this.layoutOnlySince = version;
    return { ok: true, version };
  }

  private conflicted(requestId: string, conflicts: readonly { message: string; path: string }[]): Rejection {
    const [first] = conflicts;
    return this.rejected(
      requestId,
      ErrorCode.conflict,
      conflicts.map((x) => x.message).join('; '),
      first?.path ?? null,
    );
  }

  private saveFailed(requestId: string, why: string): Rejection {
    return this.rejected(
      requestId,
      ErrorCode.saveFailed,
      `could not save the topology (${why}); nothing was changed, in the document or in the kernel`,
    );
  }

  /**
   * Converges the kernel to the saved document (at start, and after a crash). `keepOwned`: run
   * no step that deletes (after the document was recovered from the kernel, whatever it could
   * not express stays).
   */
  reconcile(
    options: { keepOwned?: boolean } = {},
  ): Promise<{ records: CommandRecord[]; conflicts: string[]; kept: string[] }> {
    return this.serial(async () => {
      const records: CommandRecord[] = [];
      const kept: string[] = [];
      // The kernel finishes some changes made while the agent was away on its own time (a
      // namespace deleted by hand takes its veths a moment later): a failed pass is planned again
      // from a fresh reading, a few times.
      for (let attempt = 0; attempt < RECONCILE_ATTEMPTS; attempt++) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
        this.live.invalidate('all');
        // The live state's first read leaves most firewalls to its sweep: read the document's now.
        this.live.readFirewallsOf(firewallsInvolved(this.state.document, []));
        const planned = this.lab.plan(this.state.document, await this.live.refresh());
        if (planned.conflicts.length > 0)
          return { records, kept, conflicts: planned.conflicts.map((c) => `${c.path}: ${c.message}`) };
        const steps = options.keepOwned ? planned.steps.filter((s) => !deletes(s)) : planned.steps;
        if (options.keepOwned && attempt === 0) kept.push(...planned.steps.filter(deletes).map(stepText));
        if (steps.length === 0) break;
        await this.audit.pending(steps, 'agent', 'agent');
        const report = await this.lab.apply({ ...planned, steps });
        const pass = toRecords(report, 'agent');
        records.push(...pass);
        await this.audit.append(pass, 'agent');
        if (report.ok) break;
      }
      if (records.length > 0)
        this.events.committed(this.state.version, this.state.document, 'agent', records);
      // Awaited: a client welcomed after the reconcile sees the kernel as it left it.
      this.live.invalidate('all');
      await this.live.refresh().catch(() => undefined);
      return { records, conflicts: [], kept };
    });
  }

  /**
   * Removes from the lab's own sandbox what is still not the lab's after a reset (`Lab.scrubUnowned`:
   * what `adopt all` could not take), in the writer's turn like any edit, so no edit plans against
   * a kernel it is changing. Its commands are audited before they run and go to the command log,
   * by `by`, as an edit's. The document does not change: no new version.
   */
  scrub(by: string, role: string): Promise<ScrubReport & { records: CommandRecord[] }> {
    return this.serial(async () => {
      const release = this.live.holdReads();
      const into = { records: [] as CommandRecord[], ran: [] as Step[] };
      try {
        const scrubbed = await this.lab.scrubUnowned(this.state.document, (steps, apply) =>
          this.run(steps, by, role, into, apply),
        );
        return { ...scrubbed, records: into.records };
      } finally {
        if (into.records.length > 0)
          this.events.committed(this.state.version, this.state.document, by, into.records);
        // Namespaces went, and what no event tells (iptables, nft): the lab is read whole again.
        this.live.invalidate('all');
        release();
      }
    });
  }

  edit(message: EditMessage, by: string, role: string): Promise<Reply> {
    if (message.edits.every((e) => e.type === 'setPosition')) return this.move(message, by);
    if (this.queued >= MAX_QUEUED_EDITS) return Promise.resolve(this.busy(message.requestId));
    const arrived = performance.now();
    return this.serial(() => {
      traceSpan('edit.queued', arrived);
      return traced(
        'edit',
        () => this.applyEdit(message, by, role),
        (reply) => ({ reply: reply.type }),
      );
    });
  }

  /**
   * Moves of nodes: they cannot conflict with anything (accepted on an old version too) and touch
   * no kernel, so moves that queue up while the writer is busy are merged into one save.
   */
  private move(message: EditMessage, by: string): Promise<Reply> {
    return new Promise<Reply>((answer) => {
      if (this.layout && !this.layout.started) {
        this.layout.requests.push({ message, by, answer });
        return;
      }
      if (this.queued >= MAX_QUEUED_EDITS) return answer(this.busy(message.requestId));
      const batch: LayoutBatch = { started: false, requests: [{ message, by, answer }] };
      this.layout = batch;
      void this.serial(async () => {
        batch.started = true;
        if (this.layout === batch) this.layout = null;
        await this.applyMoves(batch.requests).catch((error: unknown) => {
          // Never leave a client waiting: a request answered twice is ignored by its promise.
          const why = error instanceof Error ? error.message : String(error);
          for (const r of batch.requests)
            r.answer(this.rejected(r.message.requestId, ErrorCode.internal, `moving failed: ${why}`));
        });
      });
    });
  }

  private async applyMoves(requests: LayoutBatch['requests']): Promise<void> {
    let document = this.state.document;
    const accepted: LayoutBatch['requests'] = [];
    for (const request of requests) {
      const next = applyEdits(document, request.message.edits);
      if (!next.ok) request.answer(this.invalid(request.message.requestId, next.issues));
      else {
        document = next.value;
        accepted.push(request);
      }
    }
    if (accepted.length === 0) return;
    const saved = await this.commitMoves(document);
    for (const request of accepted)
      request.answer(
        saved.ok
          ? {
              type: 'accepted',
              requestId: request.message.requestId,
              version: saved.version,
              outcome: toOutcome(null, []),
            }
          : this.saveFailed(request.message.requestId, saved.why),
      );
    const last = accepted.at(-1);
    // One save of several requests: their edits, in order, make the new version from the old.
    const edits = accepted.flatMap((request) => request.message.edits);
    if (saved.ok && last)
      this.events.committed(saved.version, this.state.document, last.by, [], {
        baseVersion: saved.version - 1,
        edits,
      });
  }

  private invalid(requestId: string, issues: readonly { path: string; message: string }[]): Rejection {
    return this.rejected(
      requestId,
      ErrorCode.invalid,
      issues.map((i) => `${i.path}: ${i.message}`).join('; '),
      issues[0]?.path ?? null,
    );
  }

  private async applyEdit(message: EditMessage, by: string, role: string): Promise<Reply> {
    // An edit made on a version that later versions only moved nodes in is applied to the current
    // document (its edits name objects, not places): nothing it saw has changed.
    if (message.baseVersion < this.layoutOnlySince || message.baseVersion > this.state.version)
      return this.rejected(
        message.requestId,
        ErrorCode.staleVersion,
        `the topology changed (version ${this.state.version}, you edited ${message.baseVersion}); nothing was changed`,
      );
    // From before the reading it plans with to its answer, no read starts that only its own
    // events, the sample or the sweep asked for (LiveState.holdReads): taken after the reading, a
    // sweep's slice (the root's 1,000 ports, ~100 ms) started between it and the plan and ran
    // beside the check, the save and the apply (docs/benchmarks.md, "Edits, session 14").
    const release = this.live.holdReads();
    try {
      const prepared = await this.prepare(message, 'edit');
      if (!prepared.ok) return prepared.rejection;
      return await this.planAndRun(message, by, role, prepared);
    } finally {
      release();
    }
  }

  private async planAndRun(
    message: EditMessage,
    by: string,
    role: string,
    { observed, expanded, next }: Prepared,
  ): Promise<Reply> {
    const { marks, removals } = expanded;
    const adopting = hasMarks(marks);
    // The version its edits are applied to: later than the page's when only moves came between
    // (layoutOnlySince); the one it makes comes from this one by them.
    const appliedTo = this.state.version;
    // Saved before the kernel is touched: a crash mid-apply converges to it on restart. Nothing
    // changes (state, version, kernel) unless the save succeeded. Removing rules made by hand
    // alone changes no document, and makes no new version. The document is written and synced
    // while the edit plans (two cores: the disk's wait and the plan's CPU at once), and put in
    // place only once the plan has no conflict.
    const onlyRemoving = removals.length > 0 && message.edits.every((e) => e.type === 'removeHandRule');
    const staged = onlyRemoving ? null : this.stage(next.value);
    const before = message.converge === true ? null : this.state.document;
    const planned = await this.planStaged(next.value, observed, staged, before);
    // Adopted objects are not the lab's yet, so their conflicts are expected and cleared by adopting.
    const conflicts = adopting ? [] : planned.conflicts;
    if (conflicts.length > 0) {
      await staged?.file.abandon();
      return this.conflicted(message.requestId, conflicts);
    }
    const { saved, recording } = await traced('edit.save', () =>
      this.saveBesideRecord(staged, planned.steps),
    );
    if (!saved.ok) return this.saveFailed(message.requestId, saved.why);
    const records: CommandRecord[] = [];
    // The steps that ran (done, or failed partway): what they changed is read again.
    const ran: Step[] = [];
    let report: ApplyReport | null = null;
    const skipped: Step[] = [];
    try {
      // Not written (disk full, say): the kernel is not touched, and the edit says so (below).
      const recorded = await traced('edit.record', () => recording);
      if (!recorded.ok) throw recorded.error;
      report = await markAndRemove(this.lab, expanded, (steps, apply) =>
        this.run(steps, by, role, { records, ran }, apply),
      );
      if (!report || report.ok) {
        let steps = planned.steps;
        if (adopting) {
          // Plan again from a read that has seen the marks just set: before them, an adopted
          // object looks foreign, and the plan could delete and re-make it (or add a rule again).
          this.live.invalidate([
            ...marks.namespaces,
            ...marks.interfaces.map((i) => i.context),
            ...marks.routes.map((r) => r.context),
          ]);
          this.live.readFirewallsOf(marks.rules.map((r) => r.context));
          // fresh(), not refresh(): the writer holds the other reads (holdReads) until it answers.
          // Planned as the edit was (against the document before it, unless converging): drift
          // elsewhere is left as it is, as by any other edit.
          const replanned = this.planEdit(next.value, await this.live.fresh(), before);
          // An adopt never deletes what it adopts, whatever a read says.
          steps = replanned.steps.filter((s) => !deletesAdopted(s, marks));
          skipped.push(...replanned.steps.filter((s) => deletesAdopted(s, marks)));
        }
        if (steps.length > 0)
          report = await this.run(steps, by, role, { records, ran }, () =>
            this.lab.apply({ ...planned, steps }),
          );
      }
    } catch (error) {
      // The kernel could not be reached at all (the lab's sandbox is gone, say): the document is
      // saved, the kernel is not changed beyond what the records say; tell it as it is.
      report = unreachable(error, records.length > 0 ? [] : planned.steps);
      // What ran is not known for sure: every context the plan touches is read whole.
      this.live.invalidate(touchedBy(planned.steps));
    } finally {
      // Our own steps changed these; their events may still be in the pipe, so say it now: the
      // interfaces they name where that is all they changed (a port of the root's 1,000), else
      // the contexts whole (model `rereadOf`).
      this.live.invalidateReread(rereadOf(ran));
      this.live.readFirewallsOf([
        ...firewallsInvolved(this.state.document, message.edits),
        ...removals.map((r) => r.context),
      ]);
      const telling = performance.now();
      this.events.committed(saved.version, this.state.document, by, records, {
        baseVersion: appliedTo,
        edits: expanded.edits,
      });
      traceSpan('edit.committed', telling);
    }
    // Read in a moment, with the apply's own events (they join the same read rather than make
    // another right after): an edit that comes next waits for one read, not two.
    this.live.soon();
    const outcome = toOutcome(report, records);
    // What an adopt refused to delete is said as planned but not run.
    outcome.notRun.push(
      ...skipped.map((s) => ({
        context: s.context,
        argv: s.argv,
        reason: `${s.reason}; not run: an adopt never deletes`,
      })),
    );
    // What the plan kept (a namespace holding interfaces netcanvas did not make) is said too: the
    // page's notice tells it rather than "done" over a kernel that still holds the namespace.
    const notes = [...expanded.left, ...planned.notes];
    if (notes.length > 0) outcome.notes = notes;
    return { type: 'accepted', requestId: message.requestId, version: saved.version, outcome };
  }

  /**
   * Saves the new document (null: hand rules removed only, no new version) with the namespaces the
   * steps make recorded as the lab's beside it (two fsyncs at once, not one after the other), still
   * before any is made; a failed save takes them back. The record's outcome is settled into a
   * value at once (awaited before the kernel is touched): a record that fails while the save runs
   * is no unhandled rejection.
   */
  private async saveBesideRecord(staged: StagedSave | null, steps: readonly Step[]) {
    const recording = this.lab.recordMaking(steps).then(
      (takeBack) => ({ ok: true as const, takeBack }),
      (error: unknown) => ({ ok: false as const, error }),
    );
    const saved: Saved = staged ? await this.commitStaged(staged) : { ok: true, version: this.state.version };
    if (!saved.ok) {
      const recorded = await recording;
      if (recorded.ok) await recorded.takeBack().catch(() => undefined);
    }
    return { saved, recording };
  }

  /**
   * An edit's plan: with `before` (the document the edit changes), only the steps the edit makes
   * (model `editSteps`), drift elsewhere left to its repair; without it (a converge), the whole lab's.
   */
  /**
   * `before` null: a converge ("Make the kernel match"), the whole lab planned, taking back the
   * topology's routes changed by hand. Otherwise what this edit changes: its steps, its notes (a
   * namespace kept by an earlier edit is that edit's news, not every later one's) and its
   * conflicts: one the document before it had already (a route of the topology whose gateway
   * someone changed at a terminal) is drift the edit runs nothing for, and refused every edit of
   * the lab, anywhere, until it was repaired.
   */
  private planEdit(document: Topology, observed: ObservedState, before: Topology | null): Plan {
    if (!before) return this.lab.plan(document, observed, { takeBack: true });
    const whole = this.lab.plan(document, observed);
    const was = this.lab.plan(before, observed);
    const notes = whole.notes.filter((note) => !was.notes.includes(note));
    const known = new Set(was.conflicts.map((c) => `${c.path}\0${c.message}`));
    const conflicts = whole.conflicts.filter((c) => !known.has(`${c.path}\0${c.message}`));
    return { ...whole, steps: editSteps(whole.steps, was.steps), notes, conflicts };
  }

  /** The plan of an edit whose document is being saved meanwhile (dropped if planning throws). */
  private async planStaged(
    document: Topology,
    observed: ObservedState,
    staged: StagedSave | null,
    before: Topology | null,
  ) {
    const planning = performance.now();
    try {
      const planned = this.planEdit(document, observed, before);
      traceSpan('edit.plan', planning, { steps: planned.steps.length });
      return planned;
    } catch (error) {
      await staged?.file.abandon();
      throw error;
    }
  }

  /** Runs steps with the audit log written first (pending), then their outcome. */
  private async run(
    steps: readonly Step[],
    by: string,
    role: string,
    into: { records: CommandRecord[]; ran: Step[] },
    apply: () => Promise<ApplyReport>,
  ): Promise<ApplyReport> {
    await traced('edit.audit', () => this.audit.pending(steps, by, role));
    const report = await traced('edit.apply', apply, (r) => ({ steps: steps.length, ok: r.ok }));
    const ran = toRecords(report, by);
    into.records.push(...ran);
    into.ran.push(...report.done.map((o) => o.step), ...(report.failed ? [report.failed.step] : []));
    await this.audit.append(ran, role);
    return report;
  }

  /** An edit against a fresh reading of the kernel: adopts expanded, the next document validated. */
  private async prepare(
    message: EditMessage | PreviewMessage,
    span = 'preview',
  ): Promise<({ ok: true } & Prepared) | { ok: false; rejection: Rejection }> {
    // iptables raises no event: read the firewalls this edit may touch before planning; nor do
    // namespaces made by hand without an id (the monitor cannot see into them): read them too.
    this.live.readFirewallsOf([
      ...firewallsInvolved(this.state.document, message.edits),
      ...firewallsToRead(this.live.observed, message.edits),
    ]);
    this.live.invalidateUnwatched();
    // A lab destroyed from outside raises no event that says so (its monitor just ends), and the
    // live state reads only what events name: ask (two small reads of /proc) before planning.
    if (this.lab.isGone()) throw new Error("the lab's sandbox is gone");
    const observed = await traced(`${span}.fresh`, () => this.live.fresh());
    const checking = performance.now();
    const expanded = expandMessage(this.state.document, observed, message.edits);
    if (!expanded.ok)
      return {
        ok: false as const,
        rejection: this.rejected(message.requestId, ErrorCode.invalid, expanded.message, expanded.path),
      };
    const next = applyEdits(this.state.document, expanded.value.edits);
    if (!next.ok) return { ok: false as const, rejection: this.invalid(message.requestId, next.issues) };
    const over = this.limits
      ? documentLimitProblem(
          next.value,
          this.limits,
          handMadeNamespaces(observed, this.state.document),
          this.state.document,
        )
      : null;
    // Its field is the refusal's path, not said again in its words (a client shows both).
    if (over)
      return {
        ok: false as const,
        rejection: this.rejected(message.requestId, ErrorCode.invalid, over.message, over.path),
      };
    traceSpan(`${span}.check`, checking);
    return { ok: true as const, observed, expanded: expanded.value, next };
  }

  /** The commands an edit would run, changing nothing. */
  preview(message: PreviewMessage): Promise<Extract<ServerMessage, { type: 'previewed' }> | Rejection> {
    if (this.queued >= MAX_QUEUED_EDITS) return Promise.resolve(this.busy(message.requestId));
    return this.serial(async () => {
      const prepared = await this.prepare(message);
      if (!prepared.ok) return prepared.rejection;
      const { observed, expanded, next } = prepared;
      // What the edit would run: what it changes, not the drift elsewhere.
      const planned = this.planEdit(next.value, observed, this.state.document);
      const kernelFirst = [...adoptSteps(expanded.marks), ...removeHandRuleSteps(expanded.removals)];
      return {
        type: 'previewed',
        requestId: message.requestId,
        steps: [...kernelFirst, ...planned.steps].map((s) => ({
          context: s.context,
          argv: s.argv,
          reason: s.reason,
        })),
        conflicts: planned.conflicts,
      };
    });
  }
}

/** An apply that could not reach the kernel: the first step failed with the reason, the rest did not run. */
function unreachable(error: unknown, steps: readonly Step[]): ApplyReport {
  const why = error instanceof Error ? error.message : String(error);
  const [first, ...rest] = steps;
  return applyReport({
    ok: false,
    done: [],
    failed: first ? { step: first, exitCode: -1, stderr: why, durationMs: 0 } : null,
    notRun: rest,
    durationMs: 0,
  });
}

/** Namespaces whose firewall an edit may change: those with rules now, and those it names. */
function firewallsInvolved(document: Topology, edits: readonly Edit[]): string[] {
  const names = document.namespaces
    .filter(
      (ns) =>
        ns.firewall.rules.length > 0 || ns.firewall.policies.length > 0 || ns.firewall.chains.length > 0,
    )
    .map((ns) => ns.name);
  // The lab's root ("root", which a setNamespace may name too) when the document gives it rules.
  if (document.root) names.push(ROOT);
  for (const edit of edits) if (edit.type === 'setNamespace') names.push(edit.name);
  return names;
}
