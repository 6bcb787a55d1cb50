import type { Lab } from '@netcanvas/kernel';
import {
  ErrorCode,
  ROOT_CONTEXT,
  applyEdits,
  expandAdopt,
  type ApplyReport,
  type ClientMessage,
  type CommandRecord,
  type EditInput,
  type ServerMessage,
  type Topology,
} from '@netcanvas/model';
import type { AuditLog } from './audit-log';
import type { DocumentStore } from './document-store';
import type { LiveState } from './live-state';
import { toOutcome, toRecords } from './records';

type EditMessage = Extract<ClientMessage, { type: 'edit' }>;
type PreviewMessage = Extract<ClientMessage, { type: 'preview' }>;

export interface WriterEvents {
  /** After every accepted edit: the new document, and the commands that ran for it. */
  committed(version: number, document: Topology, by: string, records: CommandRecord[]): void;
}

/** How many passes a reconcile makes before it reports what is left. */
const RECONCILE_ATTEMPTS = 3;

type Rejection = Extract<ServerMessage, { type: 'rejected' }>;
type Reply = Extract<ServerMessage, { type: 'accepted' }> | Rejection;

/**
 * The one writer of the topology document. Edits from every client are applied one at a time, in
 * the order they arrive: validate → (adopt marks) → plan against a fresh observe → save the
 * document → run the steps → tell everyone. A concurrent edit therefore equals some serial order.
 */
export class Writer {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly lab: Lab,
    private readonly store: DocumentStore,
    private readonly live: LiveState,
    private readonly audit: AuditLog,
    private readonly events: WriterEvents,
    private state: { version: number; document: Topology },
  ) {}

  get version(): number {
    return this.state.version;
  }

  get document(): Topology {
    return this.state.document;
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const result = this.queue.then(task, task);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private rejected(requestId: string, code: string, message: string, path: string | null = null): Rejection {
    return { type: 'rejected', requestId, code, message, path, currentVersion: this.state.version };
  }

  /** Converges the kernel to the saved document (at start, and after a crash). */
  reconcile(): Promise<{ records: CommandRecord[]; conflicts: string[] }> {
    return this.serial(async () => {
      const records: CommandRecord[] = [];
      // The kernel finishes some changes made while the agent was away on its own time (a
      // namespace deleted by hand takes its veths a moment later): a failed pass is planned again
      // from a fresh reading, a few times.
      for (let attempt = 0; attempt < RECONCILE_ATTEMPTS; attempt++) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
        this.live.invalidate('all');
        const planned = this.lab.plan(this.state.document, await this.live.refresh());
        if (planned.conflicts.length > 0)
          return { records, conflicts: planned.conflicts.map((c) => `${c.path}: ${c.message}`) };
        if (planned.steps.length === 0) break;
        const report = await this.lab.apply(planned);
        const pass = toRecords(report, 'agent');
        records.push(...pass);
        await this.audit.append(pass, 'agent');
        if (report.ok) break;
      }
      if (records.length > 0)
        this.events.committed(this.state.version, this.state.document, 'agent', records);
      this.live.invalidate('all');
      void this.live.refresh().catch(() => undefined);
      return { records, conflicts: [] };
    });
  }

  edit(message: EditMessage, by: string, role: string): Promise<Reply> {
    return this.serial(async () => {
      const layoutOnly = message.edits.every((e) => isObject(e) && e.type === 'setPosition');
      // Moving nodes cannot conflict with anything: accept it on an old version too.
      if (message.baseVersion !== this.state.version && !layoutOnly)
        return this.rejected(
          message.requestId,
          ErrorCode.staleVersion,
          `the topology changed (version ${this.state.version}, you edited ${message.baseVersion}); nothing was changed`,
        );
      // iptables raises no event: read the firewalls this edit may touch before planning.
      this.live.readFirewallsOf(firewallsInvolved(this.state.document, message.edits));
      const observed = await this.live.fresh();
      const expanded = expandAdopts(this.state.document, observed, message.edits);
      if (!expanded.ok)
        return this.rejected(message.requestId, ErrorCode.invalid, expanded.message, expanded.path);
      const next = applyEdits(this.state.document, expanded.edits);
      if (!next.ok) {
        const first = next.issues[0];
        return this.rejected(
          message.requestId,
          ErrorCode.invalid,
          next.issues.map((i) => `${i.path}: ${i.message}`).join('; '),
          first?.path ?? null,
        );
      }
      const records: CommandRecord[] = [];
      let report: ApplyReport | null = null;
      const adopting = expanded.namespaces.length > 0 || expanded.interfaces.length > 0;
      const planned = this.lab.plan(next.value, observed);
      // Adopted objects are not the lab's yet, so their conflicts are expected and cleared by adopting.
      const conflicts = adopting ? [] : planned.conflicts;
      if (conflicts.length > 0) {
        const c = conflicts[0];
        return this.rejected(
          message.requestId,
          ErrorCode.conflict,
          conflicts.map((x) => x.message).join('; '),
          c?.path ?? null,
        );
      }
      const version = this.state.version + 1;
      this.state = { version, document: next.value };
      // Saved before the kernel is touched: a crash mid-apply converges to it on restart.
      await this.store.save(this.state);
      if (adopting) {
        const marked = await this.lab.adopt({
          namespaces: expanded.namespaces,
          interfaces: expanded.interfaces,
        });
        records.push(...toRecords(marked, by));
        report = marked;
      }
      if (!report || report.ok) {
        const replanned = adopting ? this.lab.plan(next.value, await this.live.refresh()) : planned;
        if (replanned.steps.length > 0) {
          report = await this.lab.apply(replanned);
          records.push(...toRecords(report, by));
        }
      }
      // Our own steps changed these; their events may still be in the pipe, so say it now.
      this.live.invalidate(touchedContexts(records));
      this.live.readFirewallsOf(firewallsInvolved(this.state.document, message.edits));
      await this.audit.append(records, role);
      this.events.committed(version, this.state.document, by, records);
      void this.live.refresh().catch(() => undefined);
      return { type: 'accepted', requestId: message.requestId, version, outcome: toOutcome(report, records) };
    });
  }

  /** The commands an edit would run, changing nothing. */
  preview(message: PreviewMessage): Promise<Extract<ServerMessage, { type: 'previewed' }> | Rejection> {
    return this.serial(async () => {
      // iptables raises no event: read the firewalls this edit may touch before planning.
      this.live.readFirewallsOf(firewallsInvolved(this.state.document, message.edits));
      const observed = await this.live.fresh();
      const expanded = expandAdopts(this.state.document, observed, message.edits);
      if (!expanded.ok)
        return this.rejected(message.requestId, ErrorCode.invalid, expanded.message, expanded.path);
      const next = applyEdits(this.state.document, expanded.edits);
      if (!next.ok)
        return this.rejected(
          message.requestId,
          ErrorCode.invalid,
          next.issues.map((i) => `${i.path}: ${i.message}`).join('; '),
          next.issues[0]?.path ?? null,
        );
      const planned = this.lab.plan(next.value, observed);
      return {
        type: 'previewed',
        requestId: message.requestId,
        steps: planned.steps.map((s) => ({ context: s.context, argv: s.argv, reason: s.reason })),
        conflicts: planned.conflicts,
      };
    });
  }
}

/** Namespaces whose firewall an edit may change: those with rules now, and those it names. */
function firewallsInvolved(document: Topology, edits: unknown[]): string[] {
  const names = document.namespaces
    .filter(
      (ns) =>
        ns.firewall.rules.length > 0 || ns.firewall.policies.length > 0 || ns.firewall.chains.length > 0,
    )
    .map((ns) => ns.name);
  for (const edit of edits)
    if (isObject(edit) && edit.type === 'setNamespace' && typeof edit.name === 'string')
      names.push(edit.name);
  return names;
}

/** The namespaces a list of commands acted in, or created veth ends in. */
function touchedContexts(records: readonly CommandRecord[]): Set<string> {
  const out = new Set<string>([ROOT_CONTEXT]);
  for (const r of records) {
    out.add(r.context);
    r.argv.forEach((arg, i) => {
      if (arg === 'netns' && r.argv[i + 1] !== undefined && r.argv[i - 1] !== 'ip')
        out.add(r.argv[i + 1] as string);
    });
  }
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

type Expanded =
  | { ok: true; edits: unknown[]; namespaces: string[]; interfaces: { context: string; ifname: string }[] }
  | { ok: false; message: string; path: string };

/** Replaces each `adopt` with the plain edits it means, given what the kernel has. */
function expandAdopts(
  document: Topology,
  observed: Parameters<typeof expandAdopt>[1],
  edits: unknown[],
): Expanded {
  const out: unknown[] = [];
  const namespaces: string[] = [];
  const interfaces: { context: string; ifname: string }[] = [];
  let doc = document;
  for (const [i, edit] of edits.entries()) {
    if (!isObject(edit) || edit.type !== 'adopt') {
      out.push(edit);
      continue;
    }
    const namespace = typeof edit.namespace === 'string' ? edit.namespace : '';
    const ifname = typeof edit.ifname === 'string' ? edit.ifname : undefined;
    const position = isObject(edit.position) ? (edit.position as { x: number; y: number }) : undefined;
    const plan = expandAdopt(doc, observed, { namespace, ifname, position });
    if (!plan.ok) {
      const issue = plan.issues[0];
      return {
        ok: false,
        message: issue?.message ?? 'cannot adopt',
        path: (issue?.path ?? 'edit').replace(/^edit/, `edits[${i}]`),
      };
    }
    out.push(...(plan.value.edits as EditInput[]));
    namespaces.push(...plan.value.namespaces);
    interfaces.push(...plan.value.interfaces);
    // Later adopts in the same message may build on this one (a namespace, then its veth).
    const applied = applyEdits(doc, plan.value.edits);
    if (applied.ok) doc = applied.value;
  }
  return { ok: true, edits: out, namespaces, interfaces };
}
