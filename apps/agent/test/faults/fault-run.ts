import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { Lab } from '@netcanvas/kernel';
import {
  Edit,
  ROOT,
  applyEdits,
  resolveTopology,
  type CommandRecord,
  type ServerMessage,
  type Step as PlanStep,
  type Topology,
} from '@netcanvas/model';
import { requestId, startHarness, type AgentHarness } from '../agent-fixture';
import { documentAfter, type TestClient } from '../helpers/ws-client';
import { killHelpers, labHelpers, type LabHelper } from './lab-helpers';
import type { EditGen, KillWhich, Step, TerminalGen } from './steps';

/**
 * One property run: a real agent on a fresh sandbox lab, an editor and a viewer over `ws`, and a
 * list of steps (edits, terminal actions, killed helpers, restarts). After every step and at the
 * end it checks the five invariants (docs/reliability.md); the first one broken throws a
 * `Violation` naming it.
 */

export const INVARIANTS = {
  1: 'the agent is up and answers every client',
  2: 'nothing netcanvas owns is deleted unless an edit asked (and nothing it does not own, ever)',
  3: 'every client is told the truth (accepted = applied and saved; rejected = nothing changed)',
  4: 'the audit log holds every command reported as run',
  5: 'after a reconcile, the kernel equals the document',
} as const;
export type Invariant = keyof typeof INVARIANTS;

export class Violation extends Error {
  constructor(
    readonly invariant: Invariant,
    detail: string,
  ) {
    super(`invariant (${invariant}) broken: ${INVARIANTS[invariant]}\n${detail}`);
    this.name = 'Violation';
  }
}

/** What the test process recorded (unhandled rejections, uncaught exceptions); the run reads new entries. */
export interface ProcessRecorder {
  readonly events: readonly string[];
}

/** A terminal action's timing: a person is not faster than the agent's event path (~20-50 ms). */
const HUMAN_PAUSE_MS = 150;
const REPLY_TIMEOUT_MS = 20_000;
const BROADCAST_TIMEOUT_MS = 5000;

const NS_POOL = ['n0', 'n1', 'n2', 'n3', 'n4', 'n5'];
const BRIDGE_POOL = ['b0', 'b1', 'b2', 'b3'];
const ICMP_ACCEPT = { chain: 'INPUT', protocol: 'icmp', target: 'ACCEPT' };
const TCP_DROP = { chain: 'FORWARD', protocol: 'tcp', destinationPort: 80, target: 'DROP' };
/** How long the agent may take to have its ip monitor running again after it was killed. */
const MONITOR_BACK_MS = 10_000;

type Reply = Extract<ServerMessage, { type: 'accepted' | 'rejected' }>;
type Welcome = Extract<ServerMessage, { type: 'welcome' }>;

interface Place {
  ctx: string;
  ifname: string;
}

/** What the terminal did, as far as the document's objects are concerned. */
type Effect = { gone: 'namespace'; name: string } | { gone: 'interface'; ctx: string; ifname: string } | null;

interface ResolvedTerminal {
  ctx: string;
  commands: string[][];
  effect: Effect;
  /** Bookkeeping of hand-made things once the commands succeeded. */
  after?: () => void;
}

interface ResolvedEdit {
  edits: unknown[];
  adopt?: { namespace: string; ifname?: string };
}

/** Deterministic names: everything a run creates is named from its own counter. */
const subnet = (k: number, host: number) => `10.${1 + (Math.floor(k / 250) % 200)}.${k % 250}.${host}/24`;

const pickOf = <T>(list: readonly T[], n: number): T | undefined =>
  list.length === 0 ? undefined : list[n % list.length];

/** JSON with sorted keys and without undefined members: documents compare as data. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>)
            .filter(([, x]) => x !== undefined)
            .sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );
}
const sameDoc = (a: unknown, b: unknown) => canonical(a) === canonical(b);

async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Violation(1, `${what}: no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Steps run from the last to the first. fast-check shrinks an array by cutting elements from its
 * front; run backwards, those are the steps after a failure, which never mattered, so a failure
 * shrinks in a few tries to the steps that led to it.
 */
export const executionOrder = <T>(steps: readonly T[]): T[] => [...steps].reverse();

export interface RunResultSummary {
  executed: number;
  trace: string[];
}

export class FaultRun {
  private harness!: AgentHarness;
  private editor!: TestClient;
  private viewer!: TestClient;
  private version = 0;
  /** The oldest version an edit may be based on: the versions after it only moved nodes (writer.ts). */
  private layoutOnlySince = 0;
  private doc: Topology = { schemaVersion: 1, namespaces: [], bridges: [], links: [] };
  private counter = 0;
  /** Document objects a terminal action removed since the kernel last converged (keys as in `docObjects`). */
  private readonly tainted = new Set<string>();
  /**
   * What a terminal action changed since the kernel last converged and that an edit leaves as it
   * is (model `editSteps`): an interface set down or up or given an address (`if:CTX:NAME`), the
   * name a document interface was renamed or moved to (the lab's leftover), a flushed firewall
   * (`fw:CTX`). Only a converge (a restart's reconcile) brings these back.
   */
  private readonly drifted = new Set<string>();
  private readonly hand = {
    namespaces: [] as string[],
    veths: [] as [Place, Place][],
    bridges: [] as Place[],
  };
  /** Names of hand-made things the terminal made and no edit adopted yet (they are never the lab's). */
  private readonly foreign = new Set<string>();
  /** Every command the agent said it ran (accepted outcomes and reconciles): the audit log must hold them. */
  private readonly reported: CommandRecord[] = [];
  private firewallUsed = false;
  private agentHung = false;
  private stepLabel = 'start';
  private readonly recorderMark: number;
  readonly trace: string[] = [];
  /** The step (index in execution order) under way when the run failed; null: the end checks. */
  failedAt: number | null = null;

  constructor(private readonly recorder: ProcessRecorder) {
    this.recorderMark = recorder.events.length;
  }

  private readonly t0 = performance.now();

  private log(line: string): void {
    const at = ((performance.now() - this.t0) / 1000).toFixed(2);
    this.trace.push(`${at}s ${this.stepLabel}: ${line}`);
  }

  private fresh(): number {
    return this.counter++;
  }

  private get labName(): string {
    return this.harness.labName;
  }

  private get savedFile(): string {
    return path.join(this.harness.stateDir, 'labs', this.labName, 'topology.json');
  }

  private get auditFile(): string {
    return path.join(this.harness.stateDir, 'labs', this.labName, 'audit.log');
  }

  // ---- the run --------------------------------------------------------------------------------

  async run(steps: readonly Step[]): Promise<RunResultSummary> {
    let executed = 0;
    let started = false;
    try {
      this.harness = await within(startHarness('faults'), 30_000, 'starting the agent').catch((error) => {
        throw error instanceof Violation ? error : new Violation(1, `the agent did not start: ${error}`);
      });
      started = true;
      await this.connectClients();
      for (const [i, step] of executionOrder(steps).entries()) {
        if (step.kind === 'noop') continue;
        this.stepLabel = `#${i}`;
        this.failedAt = i;
        await this.runStep(step);
        executed++;
        this.checkRecorder();
        await this.checkOwnedPresent();
      }
      this.stepLabel = 'end';
      this.failedAt = null;
      await this.finalChecks();
      return { executed, trace: this.trace };
    } catch (error) {
      if (started)
        this.trace.push(`kernel after the failure (* = not the lab's):\n  ${await this.kernelSummary()}`);
      throw error;
    } finally {
      if (started) await this.teardown();
    }
  }

  private async teardown(): Promise<void> {
    const lab = this.labName;
    await this.releaseChecker().catch(() => undefined);
    try {
      // An agent whose stop already hung would hang the harness's stop too: go straight to force.
      if (this.agentHung) throw new Error('the agent hung while stopping');
      await within(this.harness.stop(), 10_000, 'stopping the harness');
    } catch (error) {
      // Always leave no lab behind, even when the agent hangs.
      this.log(`harness.stop failed (${String(error).split('\n')[0]}); removing the lab by force`);
      const opened = await Lab.open({ lab }, { create: false }).catch(() => null);
      await opened?.destroy({ force: true }).catch(() => undefined);
      await rm(this.harness.stateDir, { recursive: true, force: true }).catch(() => undefined);
    }
  }

  private async connectClients(): Promise<void> {
    const open = async () => {
      const editor = await this.harness.editor();
      const viewer = await this.harness.viewer();
      const [we, wv] = await Promise.all([editor.hello(), viewer.hello()]);
      return { editor, viewer, we, wv };
    };
    const { editor, viewer, we, wv } = await within(open(), 10_000, 'a hello on a new connection').catch(
      (error) => {
        throw error instanceof Violation ? error : new Violation(1, `a new client got no welcome: ${error}`);
      },
    );
    this.editor = editor;
    this.viewer = viewer;
    this.checkWelcome(we, 'editor');
    this.checkWelcome(wv, 'viewer');
  }

  private checkWelcome(welcome: Welcome, who: string): void {
    if (welcome.version !== this.version || !sameDoc(welcome.document, this.doc))
      throw new Violation(
        3,
        `the ${who}'s welcome says version ${welcome.version} with ${summarize(welcome.document)}; ` +
          `the document is version ${this.version} with ${summarize(this.doc)}`,
      );
  }

  private checkRecorder(): void {
    const news = this.recorder.events.slice(this.recorderMark);
    if (news.length > 0)
      throw new Violation(
        1,
        `the agent's process had ${news.length} unhandled error(s):\n${news.join('\n')}`,
      );
  }

  private async runStep(step: Step): Promise<void> {
    if (step.kind !== 'edit') await this.releaseChecker();
    switch (step.kind) {
      case 'noop':
        return;
      case 'edit':
        await this.doEdit(step.edits, step.stale, 'sequential');
        return;
      case 'terminal': {
        const resolved = this.resolveTerminal(step.action);
        await this.doTerminal(resolved);
        await pause(HUMAN_PAUSE_MS);
        return;
      }
      case 'race': {
        const action = step.action;
        const docBefore = this.doc;
        let records: CommandRecord[];
        if (action.op === 'kill') {
          [records] = await Promise.all([
            this.doEdit([step.edit], false, 'race'),
            this.doKill(action.which, action.a, false),
          ]);
        } else {
          const resolved = this.resolveTerminal(action);
          let done: boolean;
          [records, done] = await Promise.all([
            this.doEdit([step.edit], false, 'race'),
            this.doTerminal(resolved, docBefore),
          ]);
          // The edit may have added objects the terminal's action removed at the same time.
          if (done) this.taint(resolved.effect, this.doc);
        }
        this.checkDeletions(records, 'the racing edit');
        await this.waitForMonitor();
        await pause(HUMAN_PAUSE_MS);
        return;
      }
      case 'kill':
        await this.doKill(step.which, step.a, true);
        await pause(HUMAN_PAUSE_MS);
        return;
      case 'restart':
        await this.doRestart(step.crash);
        return;
    }
  }

  // ---- edits ----------------------------------------------------------------------------------

  /** Sends one edit message and checks its answer; returns the commands an accepted edit ran. */
  private async doEdit(
    gens: readonly EditGen[],
    stale: boolean,
    mode: 'sequential' | 'race',
  ): Promise<CommandRecord[]> {
    const adoptGen = gens.find((g) => g.op === 'adopt');
    let resolved: ResolvedEdit;
    if (adoptGen) resolved = this.resolveAdopt(adoptGen);
    else {
      let scratch = this.doc;
      const edits: unknown[] = [];
      for (const g of gens) {
        const e = this.resolveEdit(g, scratch);
        edits.push(e);
        const next = applyEdits(scratch, [e]);
        if (next.ok) scratch = next.value;
      }
      resolved = { edits };
    }
    const layoutOnly = resolved.edits.every((e) => (e as { type: string }).type === 'setPosition');
    const base = stale ? (this.version > 0 ? this.version - 1 : this.version + 1) : this.version;
    type Expect =
      { kind: 'stale' } | { kind: 'invalid' } | { kind: 'valid'; doc: Topology } | { kind: 'adopt' };
    let expected: Expect;
    // An edit the schema refuses is refused at the wire (protocol), before its version is read.
    if (!resolved.edits.every((e) => Edit.safeParse(e).success)) expected = { kind: 'invalid' };
    else if ((base < this.layoutOnlySince || base > this.version) && !layoutOnly)
      expected = { kind: 'stale' };
    else if (resolved.adopt) expected = { kind: 'adopt' };
    else {
      const next = applyEdits(this.doc, resolved.edits);
      expected = next.ok ? { kind: 'valid', doc: next.value } : { kind: 'invalid' };
    }

    const id = requestId();
    const sent = `edit ${JSON.stringify(resolved.edits)} on v${base}${mode === 'race' ? ' (racing)' : ''}`;
    this.editor.send({ type: 'edit', requestId: id, baseVersion: base, edits: resolved.edits });
    let reply: Reply;
    try {
      reply = (await this.editor.next(
        (m) => (m.type === 'accepted' || m.type === 'rejected') && m.requestId === id,
        REPLY_TIMEOUT_MS,
      )) as Reply;
    } catch (error) {
      this.log(`${sent} → no answer`);
      throw new Violation(1, `${sent}: no accepted or rejected (${String(error)})`);
    }

    if (reply.type === 'rejected') {
      this.log(`${sent} → rejected ${reply.code} (${reply.message.slice(0, 160)})`);
      const allowed: Record<Expect['kind'], string[]> = {
        stale: ['ERR_STALE_VERSION'],
        invalid: ['ERR_INVALID'],
        // A valid edit may meet something made by hand in its way; never an invalid verdict.
        valid: ['ERR_CONFLICT'],
        adopt: ['ERR_INVALID', 'ERR_CONFLICT'],
      };
      // A helper killed in the middle of the request may make the agent give up honestly.
      const codes = mode === 'race' ? [...allowed[expected.kind], 'ERR_INTERNAL'] : allowed[expected.kind];
      if (!codes.includes(reply.code))
        throw new Violation(
          reply.code === 'ERR_INTERNAL' ? 1 : 3,
          `${sent}: rejected with ${reply.code} "${reply.message}", expected ${expected.kind} (${codes.join(' or ')})`,
        );
      if (reply.currentVersion !== this.version)
        throw new Violation(
          3,
          `${sent}: rejected with currentVersion ${reply.currentVersion}, the version is ${this.version}`,
        );
      await this.checkSaved(`after rejecting ${sent}`);
      for (const client of [this.editor, this.viewer]) {
        const leaked = client.buffered.find(
          (m) => (m.type === 'document' || m.type === 'documentEdits') && m.version > this.version,
        );
        if (leaked && 'version' in leaked)
          throw new Violation(3, `${sent}: rejected, yet a document version ${leaked.version} was broadcast`);
      }
      return [];
    }

    const outcome = reply.outcome;
    const failed = outcome.commands.find((c) => c.exitCode !== 0);
    this.log(
      `${sent} → accepted v${reply.version}, ok ${outcome.ok}: ` +
        (outcome.commands.map((c) => `${c.argv.join(' ')} → ${c.exitCode}`).join('; ') || 'no commands') +
        (failed ? ` (${failed.stderr.trim()})` : ''),
    );
    if (expected.kind === 'stale' || expected.kind === 'invalid')
      throw new Violation(3, `${sent}: accepted (version ${reply.version}) an edit that is ${expected.kind}`);
    if (reply.version !== this.version + 1)
      throw new Violation(
        3,
        `${sent}: accepted as version ${reply.version}; the version was ${this.version}`,
      );
    // Each client's document as a page holds it: whole, or the edits applied to its last version.
    const docs = await Promise.all(
      [this.editor, this.viewer].map((client) =>
        client
          .nextDocument((version) => version === reply.version, BROADCAST_TIMEOUT_MS)
          .then((m) => documentAfter(m) ?? null)
          .catch(() => null),
      ),
    );
    const [editorDoc, viewerDoc] = docs;
    if (!editorDoc || !viewerDoc)
      throw new Violation(
        3,
        `${sent}: accepted as version ${reply.version}, but a client never got that document`,
      );
    if (!sameDoc(editorDoc, viewerDoc))
      throw new Violation(
        3,
        `${sent}: the editor and the viewer got different documents for version ${reply.version}`,
      );
    if (expected.kind === 'valid' && !sameDoc(editorDoc, expected.doc))
      throw new Violation(
        3,
        `${sent}: the accepted document is not the edit applied to version ${this.version}:\n` +
          `got      ${canonical(editorDoc)}\nexpected ${canonical(expected.doc)}`,
      );
    if (resolved.adopt) this.checkAdopted(resolved.adopt, editorDoc, sent);
    const okAll = outcome.notRun.length === 0 && failed === undefined;
    if (outcome.ok !== okAll)
      throw new Violation(3, `${sent}: outcome.ok is ${outcome.ok}, but its commands say ${okAll}`);
    if (mode === 'sequential' && !outcome.ok)
      throw new Violation(
        3,
        `${sent}: accepted, but not applied: ${failed ? `${failed.argv.join(' ')} failed (${failed.exitCode}): ${failed.stderr.trim()}` : 'commands not run'}` +
          (outcome.notRun.length > 0
            ? `; not run: ${outcome.notRun.map((s) => s.argv.join(' ')).join('; ')}`
            : ''),
      );

    this.version = reply.version;
    if (!layoutOnly) this.layoutOnlySince = reply.version;
    const removed = this.removedBy(this.doc, editorDoc);
    this.doc = editorDoc;
    this.reported.push(...outcome.commands);
    if (this.doc.namespaces.some((ns) => ns.firewall.rules.length > 0)) this.firewallUsed = true;
    await this.checkSaved(`after accepting ${sent}`);
    if (resolved.adopt) this.forgetAdopted(resolved.adopt);
    // Moves of nodes never touch the kernel (a drag must not re-make what a terminal deleted):
    // they promise nothing about it. Every other edit converges the whole lab.
    const movesOnly = layoutOnly;
    if (mode === 'sequential' && movesOnly) {
      if (outcome.commands.length > 0)
        throw new Violation(
          3,
          `${sent}: a move ran commands: ${outcome.commands.map((c) => c.argv.join(' ')).join('; ')}`,
        );
    } else if (mode === 'sequential') {
      this.checkDeletions(outcome.commands, sent);
      // An edit runs what it changes: what a terminal changed elsewhere stays (drift).
      await this.checkKernelEqualsDocument(3, `${sent} was accepted as applied`, { butDrift: removed });
    } else if (!outcome.ok) {
      // The agent said so: until the next convergence, any of the document's objects may be missing.
      for (const p of this.docPlaces()) this.tainted.add(`if:${p.ctx}:${p.ifname}`);
      for (const n of this.doc.namespaces) this.tainted.add(`ns:${n.name}`);
    }
    return outcome.commands;
  }

  private checkAdopted(adopt: { namespace: string; ifname?: string }, doc: Topology, sent: string): void {
    const resolved = resolveTopology(doc);
    const has =
      adopt.ifname === undefined
        ? doc.namespaces.some((ns) => ns.name === adopt.namespace)
        : [...resolved.bridges, ...resolved.veths.flat()].some(
            (x) => x.context === adopt.namespace && x.ifname === adopt.ifname,
          );
    if (!has) throw new Violation(3, `${sent}: accepted, but the document does not hold what it adopted`);
  }

  private forgetAdopted(adopt: { namespace: string; ifname?: string }): void {
    if (adopt.ifname === undefined) {
      this.foreign.delete(adopt.namespace);
      this.hand.namespaces = this.hand.namespaces.filter((n) => n !== adopt.namespace);
      return;
    }
    const veth = this.hand.veths.find((pair) =>
      pair.some((p) => p.ctx === adopt.namespace && p.ifname === adopt.ifname),
    );
    if (veth) {
      for (const end of veth) this.foreign.delete(end.ifname);
      this.hand.veths = this.hand.veths.filter((p) => p !== veth);
    }
    const bridge = this.hand.bridges.find((b) => b.ctx === adopt.namespace && b.ifname === adopt.ifname);
    if (bridge) {
      this.foreign.delete(bridge.ifname);
      this.hand.bridges = this.hand.bridges.filter((b) => b !== bridge);
    }
  }

  private resolveAdopt(g: EditGen): ResolvedEdit {
    const inDoc = (ctx: string) => ctx === ROOT || this.doc.namespaces.some((ns) => ns.name === ctx);
    if (!g.valid) {
      const existing = pickOf(this.doc.namespaces, g.a)?.name;
      const namespace = g.c % 2 === 0 || !existing ? 'h9999' : existing;
      return { edits: [{ type: 'adopt', namespace }], adopt: { namespace } };
    }
    const candidates: { namespace: string; ifname?: string }[] = [
      ...this.hand.namespaces.filter((n) => !inDoc(n)).map((namespace) => ({ namespace })),
      ...this.hand.veths
        .filter(([x, y]) => inDoc(x.ctx) && inDoc(y.ctx))
        .map(([x]) => ({ namespace: x.ctx, ifname: x.ifname })),
      ...this.hand.bridges.filter((b) => inDoc(b.ctx)).map((b) => ({ namespace: b.ctx, ifname: b.ifname })),
    ];
    const chosen = pickOf(candidates, g.a);
    if (!chosen) return { edits: [this.resolveEdit({ ...g, op: 'addNamespace' }, this.doc)] };
    const position = { x: g.b % 800, y: g.c % 600 };
    return { edits: [{ type: 'adopt', ...chosen, position }], adopt: chosen };
  }

  /** Turns a generated edit into a real one against `doc` (valid, or invalid on purpose). */
  private resolveEdit(g: EditGen, doc: Topology): unknown {
    const nsNames = doc.namespaces.map((n) => n.name);
    const brNames = doc.bridges.map((b) => b.name);
    const taken = new Set([...nsNames, ...brNames]);
    const nodes = [ROOT, ...nsNames, ...brNames];
    const ends = doc.links.flatMap((l) => [l.a, l.b]);
    const isBridge = (node: string) => brNames.includes(node);
    const freeNs = NS_POOL.filter((n) => !taken.has(n));
    const fallback = (): unknown => {
      const name = pickOf(freeNs, g.a);
      return name
        ? { type: 'addNamespace', name }
        : { type: 'setPosition', node: ROOT, position: { x: g.a % 800, y: g.b % 600 } };
    };

    if (!g.valid) {
      const variant = g.c;
      switch (g.op) {
        case 'addNamespace':
          return {
            type: 'addNamespace',
            name: pickOf(['a b', '-x', 'all', 'root', pickOf(nsNames, g.a) ?? 'x/y'], variant),
          };
        case 'removeNamespace':
          return { type: 'removeNamespace', name: 'n9' };
        case 'addBridge':
          return pickOf(
            [
              { type: 'addBridge', name: 'br0%d' },
              { type: 'addBridge', name: pickOf(nsNames, g.a) ?? 'eth+' },
              { type: 'addBridge', name: 'b9', namespace: 'n9' },
              { type: 'addBridge', name: 'b9', mtu: 65536 },
            ],
            variant,
          );
        case 'removeBridge':
          return { type: 'removeBridge', name: 'b9' };
        case 'connect': {
          const k = this.fresh();
          const a = pickOf(nodes, g.a) as string;
          const existing = pickOf(
            ends.filter((e) => !isBridge(e.node)),
            g.b,
          );
          const bridge = pickOf(brNames, g.b);
          const variants = [
            { a: { node: 'zz', ifname: `e${k}` }, b: { node: a, ifname: `f${k}` } },
            {
              a: { node: a, ifname: `e${k}`, addresses: ['10.0.1.300/24'] },
              b: { node: ROOT, ifname: `f${k}` },
            },
            { a: { node: a, ifname: 'lo' }, b: { node: ROOT, ifname: `f${k}` } },
            { a: { node: a, ifname: 'abcdefghijklmnop' }, b: { node: ROOT, ifname: `f${k}` } },
            existing
              ? {
                  a: { node: existing.node, ifname: existing.ifname },
                  b: { node: ROOT, ifname: `f${k}` },
                }
              : { a: { node: a, ifname: `e${k}` }, b: { node: a, ifname: `e${k}` } },
            bridge
              ? {
                  a: { node: bridge, ifname: `e${k}`, addresses: [subnet(k, 1)] },
                  b: { node: a, ifname: `f${k}` },
                }
              : { a: { node: a, ifname: `e${k}`, mtu: 10 }, b: { node: ROOT, ifname: `f${k}` } },
          ];
          return { type: 'connect', ...pickOf(variants, variant) };
        }
        case 'disconnect':
          return { type: 'disconnect', node: pickOf(nodes, g.a), ifname: 'nosuch' };
        case 'setInterface': {
          const end = pickOf(ends, g.a);
          return end
            ? { type: 'setInterface', node: end.node, ifname: end.ifname, mtu: 70000 }
            : { type: 'setInterface', node: ROOT, ifname: 'nosuch', up: true };
        }
        case 'setPosition':
          return { type: 'setPosition', node: 'zz', position: { x: 1, y: 2 } };
        case 'setNamespace':
          return pickOf(
            [
              { type: 'setNamespace', name: 'n9', forwarding: true },
              {
                type: 'setNamespace',
                name: pickOf(nsNames, g.a) ?? 'n9',
                routes: [{ to: 'default', via: '10.250.0.1' }],
              },
            ],
            variant,
          );
        case 'adopt':
          return { type: 'adopt', namespace: 'h9999' };
      }
    }

    switch (g.op) {
      case 'addNamespace': {
        const name = pickOf(freeNs, g.a);
        if (!name) return fallback();
        return { type: 'addNamespace', name, position: { x: g.b % 800, y: g.c % 600 } };
      }
      case 'removeNamespace': {
        const name = pickOf(nsNames, g.a);
        return name ? { type: 'removeNamespace', name } : fallback();
      }
      case 'addBridge': {
        const name = pickOf(
          BRIDGE_POOL.filter((n) => !taken.has(n)),
          g.a,
        );
        if (!name) return fallback();
        const namespace = g.b % 3 === 0 ? undefined : pickOf(nsNames, g.b);
        return {
          type: 'addBridge',
          name,
          ...(namespace ? { namespace } : {}),
          stp: g.c % 5 === 0,
          ...(g.c % 4 === 1 ? { mtu: 1400 } : {}),
          ...(g.c % 3 === 2 ? { addresses: [subnet(this.fresh(), 1)] } : {}),
        };
      }
      case 'removeBridge': {
        const name = pickOf(brNames, g.a);
        return name ? { type: 'removeBridge', name } : fallback();
      }
      case 'connect': {
        if (nodes.length === 0) return fallback();
        const a = pickOf(nodes, g.a) as string;
        let b = pickOf(nodes, g.b) as string;
        if (a === b && isBridge(a)) b = ROOT;
        const k = this.fresh();
        const end = (node: string, ifname: string, host: number) => ({
          node,
          ifname,
          ...(isBridge(node)
            ? {}
            : { addresses: g.c % 7 === 3 ? [`fd00:0:${k.toString(16)}::${host}/64`] : [subnet(k, host)] }),
          ...(g.c % 10 === 0 ? { up: false } : {}),
          ...(g.c % 6 === 1 ? { mtu: 1400 } : {}),
        });
        return { type: 'connect', a: end(a, `e${k}`, 1), b: end(b, `f${k}`, 2) };
      }
      case 'disconnect': {
        const e = pickOf(ends, g.a);
        return e ? { type: 'disconnect', node: e.node, ifname: e.ifname } : fallback();
      }
      case 'setInterface': {
        const e = pickOf(ends, g.a);
        if (!e) return fallback();
        const port = isBridge(e.node);
        const change: Record<string, unknown> = {};
        const variant = g.b % 4;
        if (variant === 0 || variant === 3) change.up = !e.up;
        if ((variant === 1 || variant === 3) && !port)
          change.addresses = g.c % 5 === 0 ? [] : [subnet(this.fresh(), 1)];
        if (variant === 2 || (variant === 1 && port)) change.mtu = g.c % 3 === 0 ? null : 1280 + (g.c % 2000);
        return { type: 'setInterface', node: e.node, ifname: e.ifname, ...change };
      }
      case 'setPosition': {
        const node = pickOf(nodes, g.a) as string;
        return { type: 'setPosition', node, position: { x: g.b % 800, y: g.c % 600 } };
      }
      case 'setNamespace': {
        const name = pickOf(nsNames, g.a);
        if (!name) return fallback();
        const variant = g.b % 3;
        if (variant === 0) return { type: 'setNamespace', name, forwarding: g.c % 2 === 0 };
        return {
          type: 'setNamespace',
          name,
          firewall: { rules: variant === 1 ? [ICMP_ACCEPT, ...(g.c % 2 === 0 ? [TCP_DROP] : [])] : [] },
        };
      }
      case 'adopt':
        return fallback(); // adopt is resolved by resolveAdopt
    }
  }

  // ---- terminal actions -----------------------------------------------------------------------

  /** The document's interfaces, by context (veth ends and bridges). */
  private docPlaces(doc = this.doc): (Place & { kind: 'veth' | 'bridge'; peer?: Place })[] {
    const resolved = resolveTopology(doc);
    return [
      ...resolved.bridges.map((b) => ({ ctx: b.context, ifname: b.ifname, kind: 'bridge' as const })),
      ...resolved.veths.flat().map((v) => ({
        ctx: v.context,
        ifname: v.ifname,
        kind: 'veth' as const,
        peer: { ctx: v.peer.context, ifname: v.peer.ifname },
      })),
    ];
  }

  private resolveTerminal(g: TerminalGen): ResolvedTerminal {
    const docNs = this.doc.namespaces.map((n) => n.name);
    const namespaces = [...docNs, ...this.hand.namespaces.filter((n) => !docNs.includes(n))];
    const interfaces: Place[] = [...this.docPlaces(), ...this.hand.veths.flat(), ...this.hand.bridges];
    const iface = pickOf(interfaces, g.a);
    const none: ResolvedTerminal = { ctx: ROOT, commands: [['ip', 'netns', 'list']], effect: null };
    switch (g.op) {
      case 'netnsAdd': {
        const missing = docNs.filter((n) => this.tainted.has(`ns:${n}`));
        if (g.b % 3 === 0 && missing.length > 0) {
          const name = pickOf(missing, g.a) as string;
          return { ctx: ROOT, commands: [['ip', 'netns', 'add', name]], effect: null };
        }
        const name = `h${this.fresh()}`;
        return {
          ctx: ROOT,
          commands: [['ip', 'netns', 'add', name]],
          effect: null,
          after: () => {
            this.hand.namespaces.push(name);
            this.foreign.add(name);
          },
        };
      }
      case 'netnsDel': {
        const name = pickOf(namespaces, g.a);
        if (!name) return none;
        return {
          ctx: ROOT,
          commands: [['ip', 'netns', 'del', name]],
          effect: { gone: 'namespace', name },
          after: () => {
            this.hand.namespaces = this.hand.namespaces.filter((n) => n !== name);
            this.hand.veths = this.hand.veths.filter(([x, y]) => x.ctx !== name && y.ctx !== name);
            this.hand.bridges = this.hand.bridges.filter((b) => b.ctx !== name);
          },
        };
      }
      case 'shortLivedNetns': {
        const name = `t${this.fresh()}`;
        return {
          ctx: ROOT,
          commands: [['sh', '-c', `ip netns add ${name}; sleep 0.01; ip netns del ${name}`]],
          effect: null,
        };
      }
      case 'linkDown':
      case 'linkUp':
        return iface
          ? {
              ctx: iface.ctx,
              commands: [['ip', 'link', 'set', 'dev', iface.ifname, g.op === 'linkDown' ? 'down' : 'up']],
              effect: null,
              after: () => this.drifted.add(`if:${iface.ctx}:${iface.ifname}`),
            }
          : none;
      case 'linkDel':
        return iface
          ? {
              ctx: iface.ctx,
              commands: [['ip', 'link', 'del', 'dev', iface.ifname]],
              effect: { gone: 'interface', ...iface },
              after: () => this.forgetHandInterface(iface),
            }
          : none;
      case 'linkRename': {
        if (!iface) return none;
        const to = `r${this.fresh()}`;
        return {
          ctx: iface.ctx,
          // The kernel renames only an interface that is down.
          commands: [
            ['ip', 'link', 'set', 'dev', iface.ifname, 'down'],
            ['ip', 'link', 'set', 'dev', iface.ifname, 'name', to],
          ],
          effect: { gone: 'interface', ...iface },
          after: () => {
            this.moveHandInterface(iface, { ctx: iface.ctx, ifname: to });
            this.drifted.add(`if:${iface.ctx}:${to}`);
          },
        };
      }
      case 'linkMove': {
        if (!iface) return none;
        const to = pickOf(
          namespaces.filter((n) => n !== iface.ctx),
          g.b,
        );
        if (!to) return none;
        return {
          ctx: iface.ctx,
          commands: [['ip', 'link', 'set', 'dev', iface.ifname, 'netns', to]],
          effect: { gone: 'interface', ...iface },
          after: () => {
            this.moveHandInterface(iface, { ctx: to, ifname: iface.ifname });
            this.drifted.add(`if:${to}:${iface.ifname}`);
          },
        };
      }
      case 'addrAdd': {
        if (!iface) return none;
        const k = this.fresh();
        return {
          ctx: iface.ctx,
          commands: [['ip', 'addr', 'add', `10.99.${k % 250}.${1 + (g.b % 250)}/32`, 'dev', iface.ifname]],
          effect: null,
          after: () => this.drifted.add(`if:${iface.ctx}:${iface.ifname}`),
        };
      }
      case 'iptablesFlush': {
        const withRules = this.doc.namespaces.filter((n) => n.firewall.rules.length > 0).map((n) => n.name);
        const ns = pickOf(withRules.length > 0 ? withRules : namespaces, g.a);
        return ns
          ? {
              ctx: ns,
              commands: [['iptables', '-F']],
              effect: null,
              after: () => this.drifted.add(`fw:${ns}`),
            }
          : none;
      }
      case 'handVeth': {
        const contexts = [ROOT, ...namespaces];
        const x = pickOf(contexts, g.a) as string;
        const y = pickOf(contexts, g.b) as string;
        const k = this.fresh();
        const a = { ctx: x, ifname: `hv${k}` };
        const b = { ctx: y, ifname: `hw${k}` };
        const inNs = (ctx: string) => (ctx === ROOT ? [] : ['netns', ctx]);
        return {
          ctx: ROOT,
          commands: [
            [
              'ip',
              'link',
              'add',
              'name',
              a.ifname,
              ...inNs(x),
              'type',
              'veth',
              'peer',
              'name',
              b.ifname,
              ...inNs(y),
            ],
          ],
          effect: null,
          after: () => {
            this.hand.veths.push([a, b]);
            this.foreign.add(a.ifname).add(b.ifname);
          },
        };
      }
      case 'handBridge': {
        const ctx = pickOf([ROOT, ...namespaces], g.a) as string;
        const name = `hb${this.fresh()}`;
        return {
          ctx,
          commands: [['ip', 'link', 'add', 'name', name, 'type', 'bridge']],
          effect: null,
          after: () => {
            this.hand.bridges.push({ ctx, ifname: name });
            this.foreign.add(name);
          },
        };
      }
    }
  }

  private forgetHandInterface(place: Place): void {
    const match = (p: Place) => p.ctx === place.ctx && p.ifname === place.ifname;
    this.hand.veths = this.hand.veths.filter(([x, y]) => !match(x) && !match(y));
    this.hand.bridges = this.hand.bridges.filter((b) => !match(b));
  }

  private moveHandInterface(from: Place, to: Place): void {
    const match = (p: Place) => p.ctx === from.ctx && p.ifname === from.ifname;
    for (const pair of this.hand.veths)
      for (const end of pair)
        if (match(end)) {
          end.ctx = to.ctx;
          end.ifname = to.ifname;
          this.foreign.add(to.ifname);
        }
    for (const b of this.hand.bridges)
      if (match(b)) {
        b.ctx = to.ctx;
        b.ifname = to.ifname;
        this.foreign.add(to.ifname);
      }
  }

  /** Runs a terminal action's commands in the lab; true when they all succeeded. */
  private async doTerminal(resolved: ResolvedTerminal, docBefore = this.doc): Promise<boolean> {
    for (const argv of resolved.commands) {
      const result = await this.harness.sh(resolved.ctx, argv);
      this.log(
        `terminal (${resolved.ctx}) ${argv.join(' ')} → ${result.exitCode}${result.exitCode !== 0 ? ` ${result.stderr.trim().slice(0, 120)}` : ''}`,
      );
      if (result.exitCode !== 0) return false;
    }
    this.taint(resolved.effect, docBefore);
    resolved.after?.();
    return true;
  }

  /** Marks the document objects a terminal action removed: they may be missing until the next convergence. */
  private taint(effect: Effect, doc: Topology): void {
    if (!effect) return;
    const places = this.docPlaces(doc);
    const mark = (p: Place & { peer?: Place }) => {
      this.tainted.add(`if:${p.ctx}:${p.ifname}`);
      if (p.peer) this.tainted.add(`if:${p.peer.ctx}:${p.peer.ifname}`);
    };
    if (effect.gone === 'namespace') {
      this.tainted.add(`ns:${effect.name}`);
      for (const p of places) if (p.ctx === effect.name) mark(p);
    } else {
      for (const p of places) if (p.ctx === effect.ctx && p.ifname === effect.ifname) mark(p);
    }
  }

  // ---- faults ---------------------------------------------------------------------------------

  private async doKill(which: KillWhich, a: number, waitForRecovery: boolean): Promise<void> {
    const helpers = await labHelpers(this.harness.agent.lab.target);
    const sessions = helpers.filter((h) => h.kind === 'session');
    const monitors = helpers.filter((h) => h.kind === 'monitor');
    let victims: LabHelper[];
    switch (which) {
      case 'oneSession':
        victims = sessions.length > 0 ? [sessions[a % sessions.length] as LabHelper] : [];
        break;
      case 'allSessions':
        victims = sessions;
        break;
      case 'monitor':
        victims = monitors;
        break;
      case 'all':
        victims = helpers;
        break;
    }
    this.log(
      `kill ${which}: ${victims.map((v) => `${v.pid} (${v.kind})`).join(', ') || 'none found'} of ${sessions.length} sessions and ${monitors.length} monitors`,
    );
    if (monitors.length !== 1)
      throw new Violation(1, `the agent has ${monitors.length} ip monitor processes for its lab, not one`);
    await killHelpers(victims);
    if (waitForRecovery) await this.waitForMonitor();
  }

  /**
   * The agent starts its monitor again after it died; until then it is blind, so wait (bounded).
   * A restart is the watcher's 0.5 s pause and a spawn into the sandbox: well under a second on a
   * quiet machine, but a CI rehearsal at load 25 (two cores) once took over 3 s after every helper
   * was killed at once. The bound says "it comes back", not how fast: 10 s.
   */
  private async waitForMonitor(): Promise<void> {
    const deadline = Date.now() + MONITOR_BACK_MS;
    for (;;) {
      const monitors = (await labHelpers(this.harness.agent.lab.target)).filter((h) => h.kind === 'monitor');
      if (monitors.length === 1) return;
      if (Date.now() > deadline)
        throw new Violation(
          1,
          `the agent's ip monitor was not running again within ${MONITOR_BACK_MS / 1000} s (${monitors.length} found)`,
        );
      await pause(25);
    }
  }

  private async doRestart(crash: boolean): Promise<void> {
    if (crash) {
      const helpers = await labHelpers(this.harness.agent.lab.target);
      this.log(`kill all ${helpers.length} helpers before stopping`);
      await killHelpers(helpers);
    }
    await within(this.harness.stopAgent(), 10_000, 'stopping the agent').catch((error) => {
      this.agentHung = true;
      throw error;
    });
    await within(this.harness.startAgain(), 30_000, 'starting the agent again').catch((error) => {
      throw error instanceof Violation ? error : new Violation(1, `the agent did not start again: ${error}`);
    });
    // A new agent takes edits on the version it started with only.
    this.layoutOnlySince = this.version;
    const reconciled = this.harness.agent.reconciled;
    this.log(
      `restarted; reconcile ran ${reconciled.records.length} commands` +
        (reconciled.conflicts.length > 0 ? `, conflicts: ${reconciled.conflicts.join('; ')}` : ''),
    );
    this.reported.push(...reconciled.records);
    this.checkDeletions(reconciled.records, 'the reconcile at start');
    await this.connectClients();
    if (reconciled.conflicts.length > 0)
      throw new Violation(5, `the reconcile at start left conflicts: ${reconciled.conflicts.join('; ')}`);
    await this.checkKernelEqualsDocument(5, 'the agent reconciled at start');
    this.tainted.clear();
    this.drifted.clear();
  }

  // ---- checks ---------------------------------------------------------------------------------

  /** (3) The saved document is the version and document the clients were told. */
  private async checkSaved(when: string): Promise<void> {
    let saved: { version: number; document: Topology } | null = null;
    try {
      saved = JSON.parse(await readFile(this.savedFile, 'utf8')) as { version: number; document: Topology };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const version = saved?.version ?? 0;
    const document = saved?.document ?? { schemaVersion: 1, namespaces: [], bridges: [], links: [] };
    if (version !== this.version || !sameDoc(document, this.doc))
      throw new Violation(
        3,
        `${when}: the saved document is version ${version} with ${summarize(document)}; ` +
          `the clients have version ${this.version} with ${summarize(this.doc)}`,
      );
  }

  /** (2) Commands the agent ran deleted nothing the document (still) holds, and nothing made by hand. */
  private checkDeletions(records: readonly CommandRecord[], what: string): void {
    const keep = new Set([
      ...this.doc.namespaces.map((n) => `ns:${n.name}`),
      ...this.docPlaces().map((p) => `if:${p.ctx}:${p.ifname}`),
    ]);
    for (const r of records) {
      if (r.exitCode !== 0) continue;
      const argv = r.argv;
      let key: string | null = null;
      let name = '';
      if (argv[0] === 'ip' && argv[1] === 'netns' && argv[2] === 'del') {
        name = argv[3] as string;
        key = `ns:${name}`;
      } else {
        const i = argv.indexOf('link');
        if (argv[0] === 'ip' && i > 0 && argv[i + 1] === 'del' && argv[i + 2] === 'dev') {
          name = argv[i + 3] as string;
          key = `if:${r.context}:${name}`;
        }
      }
      if (key === null) continue;
      if (this.foreign.has(name))
        throw new Violation(
          2,
          `${what} ran \`${argv.join(' ')}\`: "${name}" was made by hand and never adopted`,
        );
      if (keep.has(key) && !this.tainted.has(key))
        throw new Violation(
          2,
          `${what} ran \`${argv.join(' ')}\`, but the document holds "${name}" and no edit asked`,
        );
    }
  }

  /**
   * The checker reads the kernel through a Lab object of its own (never the agent's: reading must
   * not restart the agent's sessions for it). Its sessions are ended before every terminal action,
   * kill and restart: a session inside a namespace keeps that namespace alive after `ip netns del`,
   * which would change what the terminal does, and a kill must find only the agent's helpers.
   */
  private checker: Lab | null = null;

  private async releaseChecker(): Promise<void> {
    await this.checker?.close();
  }

  private async observeKernel(firewall: boolean) {
    this.checker ??= await Lab.open({ lab: this.labName }, { create: false, mode: 'live' });
    try {
      return await this.checker.observe({ firewall });
    } catch {
      // A namespace that went away between listing and reading it: read again.
      await pause(100);
      return await this.checker.observe({ firewall });
    }
  }

  /** One line per namespace: what the kernel has, for the report of a failure. */
  private async kernelSummary(): Promise<string> {
    try {
      const observed = await this.observeKernel(false);
      return observed.namespaces
        .map(
          (ns) =>
            `${ns.name}${ns.managed ? '' : ' (not the lab’s)'}: ` +
            ns.interfaces
              .filter((i) => i.ifname !== 'lo')
              .map(
                (i) =>
                  `${i.ifname}${i.managed ? '' : '*'}${i.up ? '' : ' down'}${i.peer ? ` peer ${i.peer.namespace ?? '?'}:${i.peer.ifname ?? '?'}` : ''}${i.addresses.length > 0 ? ` ${i.addresses.filter((a) => !a.startsWith('fe80')).join(',')}` : ''}`,
              )
              .join('; '),
        )
        .join('\n  ');
    } catch (error) {
      return `(could not read the kernel: ${String(error)})`;
    }
  }

  /** (2) Every namespace and interface of the document is in the kernel, as the lab's, unless a terminal removed it. */
  private async checkOwnedPresent(): Promise<void> {
    const observed = await this.observeKernel(false);
    const ns = new Map(observed.namespaces.map((n) => [n.name, n]));
    const missing: string[] = [];
    for (const n of this.doc.namespaces)
      if (ns.get(n.name)?.managed !== true && !this.tainted.has(`ns:${n.name}`))
        missing.push(`namespace ${n.name}`);
    for (const p of this.docPlaces()) {
      const found = ns.get(p.ctx)?.interfaces.find((i) => i.ifname === p.ifname);
      if ((!found || !found.managed) && !this.tainted.has(`if:${p.ctx}:${p.ifname}`))
        missing.push(`${p.kind} ${p.ifname} in ${p.ctx}${found ? ' (no longer marked as the lab’s)' : ''}`);
    }
    if (missing.length > 0)
      throw new Violation(
        2,
        `the document (version ${this.version}) holds ${missing.join(', ')}, and the kernel does not`,
      );
  }

  /** The kernel planner finds nothing to do and nothing in the way. */
  /**
   * With `butDrift` (what the edit just made removed), what the edit did not ask about may
   * differ: drift a terminal made (`leftAsDrift`).
   */
  private async checkKernelEqualsDocument(
    invariant: Invariant,
    why: string,
    { butDrift }: { butDrift?: ReadonlySet<string> } = {},
  ): Promise<void> {
    const observed = await this.observeKernel(this.firewallUsed);
    const whole = this.harness.agent.lab.plan(this.doc, observed);
    const planned = butDrift
      ? { ...whole, steps: whole.steps.filter((s) => !this.leftAsDrift(s, butDrift)) }
      : whole;
    if (planned.steps.length > 0 || planned.conflicts.length > 0)
      throw new Violation(
        invariant,
        `${why}, yet the kernel differs from the document (version ${this.version}):\n` +
          planned.steps.map((s) => `  would run: ${s.argv.join(' ')} (${s.reason})`).join('\n') +
          planned.conflicts.map((c) => `\n  conflict: ${c.path}: ${c.message}`).join(''),
      );
  }

  /**
   * A step an edit leaves: one that would bring back something a terminal removed or changed, or
   * remove a leftover of the lab's that this edit did not remove from the document (a namespace
   * removed earlier, kept while it held something made by hand).
   */
  private leftAsDrift(step: PlanStep, removed: ReadonlySet<string>): boolean {
    const { interfaces = [], touches, numbersNamespace } = step.effect;
    const keys = [
      ...interfaces.map((i) => `if:${i.context}:${i.ifname}`),
      ...touches.flatMap((context) => [`ns:${context}`, `fw:${context}`]),
      ...(numbersNamespace !== undefined ? [`ns:${numbersNamespace}`] : []),
      ...(step.effect.deletesNamespace !== undefined ? [`ns:${step.effect.deletesNamespace}`] : []),
    ];
    if (step.effect.destroys && !keys.some((key) => removed.has(key))) return true;
    return keys.some((key) => this.tainted.has(key) || this.drifted.has(key));
  }

  /** What an edit removed from the document: its namespaces, interfaces, and changed firewalls. */
  private removedBy(before: Topology, after: Topology): Set<string> {
    const keysOf = (doc: Topology) =>
      new Set([
        ...doc.namespaces.map((n) => `ns:${n.name}`),
        ...this.docPlaces(doc).map((p) => `if:${p.ctx}:${p.ifname}`),
      ]);
    const kept = keysOf(after);
    const removed = new Set([...keysOf(before)].filter((key) => !kept.has(key)));
    const wall = (doc: Topology, name: string) =>
      JSON.stringify(doc.namespaces.find((n) => n.name === name)?.firewall ?? null);
    for (const ns of before.namespaces)
      if (wall(before, ns.name) !== wall(after, ns.name)) removed.add(`fw:${ns.name}`);
    return removed;
  }

  /** (4) Every command reported as run is in the audit log, whole. */
  private async checkAudit(): Promise<void> {
    let text = '';
    try {
      text = await readFile(this.auditFile, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const keyOf = (r: Pick<CommandRecord, 'at' | 'by' | 'context' | 'argv' | 'exitCode'>) =>
      JSON.stringify([r.at, r.by, r.context, r.argv, r.exitCode]);
    const lines = new Map<string, number>();
    for (const [n, line] of text.split('\n').entries()) {
      if (line.trim() === '') continue;
      let parsed: CommandRecord;
      try {
        parsed = JSON.parse(line) as CommandRecord;
      } catch {
        throw new Violation(4, `audit.log line ${n + 1} is not JSON: ${line.slice(0, 200)}`);
      }
      const key = keyOf(parsed);
      lines.set(key, (lines.get(key) ?? 0) + 1);
    }
    for (const r of this.reported) {
      const key = keyOf(r);
      const left = lines.get(key) ?? 0;
      if (left === 0)
        throw new Violation(
          4,
          `audit.log lacks \`${r.argv.join(' ')}\` (by ${r.by} at ${r.at}, exit ${r.exitCode}); it has ${text.split('\n').filter(Boolean).length} lines for ${this.reported.length} reported commands`,
        );
      lines.set(key, left - 1);
    }
  }

  private async finalChecks(): Promise<void> {
    // (1) a fresh connection is welcomed, with the truth.
    const client = await within(this.harness.viewer(), 5000, 'a new connection').catch((error) => {
      throw error instanceof Violation ? error : new Violation(1, `a new client could not connect: ${error}`);
    });
    const welcome = await within(client.hello(), 5000, 'a hello on a new connection');
    this.checkWelcome(welcome, 'new client');
    await this.checkAudit();
    // (5) a final reconcile: a new agent converges the kernel to the document.
    this.stepLabel = 'final restart';
    await this.releaseChecker();
    await this.doRestart(false);
    await this.checkAudit();
    this.checkRecorder();
  }
}

function summarize(doc: Topology): string {
  return `${doc.namespaces.length} namespaces, ${doc.bridges.length} bridges, ${doc.links.length} links`;
}
