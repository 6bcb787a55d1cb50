import {
  allMet,
  judgeGoal,
  probeKey,
  probesOf,
  unwatchedReads,
  type GoalCheck,
  type GoalStatus,
  type Lesson,
  type LessonProgress,
  type LessonStep,
  type LessonView,
  type ObservedPatch,
  type ObservedState,
  type Probe,
  type Topology,
} from '@netcanvas/model';
import { LessonProbes, PROBE_TIMING, type ProbeLab, type ProbeTiming } from './lesson-probes';

/**
 * The lesson runner of one lab (issue 13 §2): the open step's goals judged against the live
 * kernel, on every change the live state reports (`changed()`, debounced) and as its probes answer.
 * When every goal of the open step is met, the step is done and the next one opens (its `start`,
 * if any, replacing the lab); an editor may open any step (`goto`).
 *
 * For whoever shows the goals (the agent's clients, the class's trainer overview):
 * - `view()`: the lesson's words (steps, goals' sentences), null with no lesson;
 * - `state()`: the progress (the open step, each goal's state and detail, the steps done);
 * - `onChange(listener)`: called with `'lesson'` when a lesson is loaded (view and state both
 *   new) and `'progress'` when only the state changed; returns the unsubscribe.
 *
 * Cheap for 30 labs in one process: judging is a pure walk of the state (no process); probes run
 * one at a time per lab and back off while nothing changes (lesson-probes.ts); routes, forwarding
 * and rules, which raise no kernel event, are read again only for the namespaces the open step's
 * goals name, every `unwatchedMs` (a goal met: five times as rarely).
 */

/** What the runner needs of the live state (packages/kernel live-state.ts). */
export interface RunnerLive {
  readonly observed: ObservedState;
  invalidate(contexts: Iterable<string>): void;
  readFirewallsOf(names: Iterable<string>): void;
  soon(): void;
}

export interface LessonRunnerDeps {
  lab: ProbeLab;
  live: RunnerLive;
  document(): Topology;
  /** Replaces the lab by a step's starting topology (the writer's edit); throws when refused. */
  replaceLab(start: Topology, reason: string): Promise<void>;
  /** A step with `checkpoint: true` was done: save the lab's state under the step's id. */
  checkpoint?(stepId: string): Promise<void>;
  log(line: string): void;
}

export const RUNNER_TIMING = {
  /** Changes come in bursts: one judgement after the burst. */
  debounceMs: 50,
  /** How often routes, forwarding and rules named by an unmet goal are read again (no event tells). */
  unwatchedMs: 400,
  probes: PROBE_TIMING as ProbeTiming,
};

export type RunnerChange = 'lesson' | 'progress';

export class LessonRunner {
  private lesson: Lesson | null = null;
  private step = 0;
  private statuses: GoalStatus[] = [];
  private done: string[] = [];
  private opening: Promise<void> | null = null;
  /** The open step was done before and reopened to be read again: it waits for a move on. */
  private revisiting = false;
  private debounce: NodeJS.Timeout | null = null;
  private probeAgain = false;
  private unwatched: NodeJS.Timeout | null = null;
  private unwatchedTicks = 0;
  private readonly listeners = new Set<(change: RunnerChange) => void>();
  private readonly probes: LessonProbes;

  constructor(
    private readonly deps: LessonRunnerDeps,
    private readonly timing: typeof RUNNER_TIMING = RUNNER_TIMING,
  ) {
    this.probes = new LessonProbes(
      deps.lab,
      () => deps.live.observed,
      () => this.judge(),
      timing.probes,
    );
  }

  /** Loads a lesson (null: none) and opens its first step. */
  async load(lesson: Lesson | null): Promise<void> {
    this.lesson = lesson;
    this.done = [];
    await this.open(0, 'lesson');
  }

  /** The lesson again from its first step, nothing done (a reset of the lab to its start). */
  async restart(): Promise<void> {
    if (!this.lesson) return;
    this.done = [];
    await this.open(0, 'progress');
  }

  /**
   * Opens a step by id (an editor's pick). Returns why not, or null when opened. A step done
   * before stays open (and done) until the editor moves on: going back is to read it again.
   */
  async goto(stepId: string): Promise<string | null> {
    const index = this.lesson?.steps.findIndex((s) => s.id === stepId) ?? -1;
    if (!this.lesson) return 'no lesson is loaded';
    if (index < 0)
      return `the lesson "${this.lesson.id}" has no step "${stepId}" (${this.lesson.steps.map((s) => s.id).join(', ')})`;
    await this.open(index, 'progress');
    return null;
  }

  /**
   * The live state changed (its patches): the goals are judged again in a moment, and the probes
   * run again, unless only bridges' learned MACs moved (the probes' own packets do that: probing
   * again for it would keep the probes from ever backing off).
   */
  changed(patches?: readonly ObservedPatch[]): void {
    if (!this.lesson) return;
    this.probeAgain ||= patches === undefined || patches.some((p) => p.op !== 'fdb');
    if (this.debounce) return;
    this.debounce = setTimeout(() => {
      this.debounce = null;
      if (this.probeAgain) this.probes.changed(this.unmetProbeKeys());
      this.probeAgain = false;
      this.judge();
    }, this.timing.debounceMs);
    this.debounce.unref?.();
  }

  view(): LessonView | null {
    if (!this.lesson) return null;
    const { id, title, summary, steps } = this.lesson;
    return {
      id,
      title,
      summary,
      steps: steps.map((s) => ({
        id: s.id,
        title: s.title,
        text: s.text,
        highlight: s.highlight,
        checkpoint: s.checkpoint,
        resets: s.start !== null,
        goals: s.goals.map((g) => ({ text: g.text })),
      })),
    };
  }

  state(): LessonProgress | null {
    if (!this.lesson) return null;
    return {
      lessonId: this.lesson.id,
      step: this.step,
      goals: this.statuses.map((s) => ({ ...s })),
      done: [...this.done],
      complete: this.done.length === this.lesson.steps.length,
    };
  }

  onChange(listener: (change: RunnerChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  stop(): void {
    this.probes.stop();
    if (this.debounce) clearTimeout(this.debounce);
    if (this.unwatched) clearInterval(this.unwatched);
    this.debounce = this.unwatched = null;
    this.lesson = null;
    this.listeners.clear();
  }

  private get current(): LessonStep | undefined {
    return this.lesson?.steps[this.step];
  }

  /** Opens step `index`: its start replaces the lab first, then its goals are judged and probed. */
  private async open(index: number, change: RunnerChange): Promise<void> {
    this.step = index;
    const step = this.current;
    this.revisiting = step !== undefined && this.done.includes(step.id);
    this.statuses = (step?.goals ?? []).map(() => ({ state: 'checking', detail: null }));
    this.probes.set([]);
    this.followUnwatched();
    // A step reopened to be read again leaves the lab as it is: its start would undo the work since.
    if (step?.start && !this.revisiting) {
      const opening = this.deps.replaceLab(step.start, `lesson step "${step.id}"`);
      this.opening = opening;
      try {
        await opening;
      } catch (error) {
        this.deps.log(`lesson: step "${step.id}": the lab could not be reset: ${(error as Error).message}`);
      } finally {
        if (this.opening === opening) this.opening = null;
      }
      if (this.current !== step) return;
    }
    this.probes.set(step ? step.goals.flatMap((g) => probesOf(g.check)) : []);
    this.emit(change);
    this.judge();
  }

  /**
   * Judges the open step's goals; emits when a state changed. When all are met, the next step
   * opens, once every probe of the step answered from a run that started after the last change.
   */
  private judge(): void {
    const step = this.current;
    if (!step || this.opening) return;
    const ctx = {
      document: this.deps.document(),
      observed: this.deps.live.observed,
      probe: (p: Probe) => this.probes.outcome(p),
    };
    const statuses = step.goals.map((g) => judgeGoal(g.check, ctx));
    if (JSON.stringify(statuses) !== JSON.stringify(this.statuses)) {
      this.statuses = statuses;
      this.emit('progress');
    }
    if (!allMet(statuses) || this.revisiting) return;
    if (!this.probes.confirm(probeKeys(step.goals.map((g) => g.check)))) return;
    this.stepDone(step);
  }

  private stepDone(step: LessonStep): void {
    if (!this.done.includes(step.id)) this.done.push(step.id);
    this.emit('progress');
    if (step.checkpoint && this.deps.checkpoint)
      this.deps
        .checkpoint(step.id)
        .catch((error: unknown) =>
          this.deps.log(`lesson: checkpoint at step "${step.id}" failed: ${(error as Error).message}`),
        );
    const next = this.step + 1;
    if (this.lesson && next < this.lesson.steps.length) void this.open(next, 'progress');
  }

  /** The probes of the open step's goals that are not met (a change runs them again soon). */
  private unmetProbeKeys(): Set<string> {
    const goals = this.current?.goals ?? [];
    return probeKeys(goals.filter((_, i) => this.statuses[i]?.state !== 'met').map((g) => g.check));
  }

  /** Reads again, now and then, the routes, forwarding and rules the open step's goals name. */
  private followUnwatched(): void {
    if (this.unwatched) clearInterval(this.unwatched);
    this.unwatched = null;
    const goals = this.current?.goals ?? [];
    if (!goals.some((g) => hasUnwatched(unwatchedReads(g.check)))) return;
    this.unwatched = setInterval(() => {
      const tick = this.unwatchedTicks++;
      const reads = goals
        // A met goal is read five times as rarely: a student may still undo it.
        .filter((_, i) => this.statuses[i]?.state !== 'met' || tick % 5 === 0)
        .map((g) => unwatchedReads(g.check));
      // Only namespaces the lab has: the others' goals say "there is no namespace" without a read.
      const present = new Set(this.deps.live.observed.namespaces.map((ns) => ns.name));
      const reread = [...new Set(reads.flatMap((r) => r.reread))].filter((n) => present.has(n));
      const firewalls = [...new Set(reads.flatMap((r) => r.firewalls))].filter((n) => present.has(n));
      if (reread.length === 0 && firewalls.length === 0) return;
      if (reread.length > 0) this.deps.live.invalidate(reread);
      if (firewalls.length > 0) this.deps.live.readFirewallsOf(firewalls);
      this.deps.live.soon();
    }, this.timing.unwatchedMs);
    this.unwatched.unref?.();
  }

  private emit(change: RunnerChange): void {
    for (const listener of this.listeners) listener(change);
  }
}

const probeKeys = (checks: readonly GoalCheck[]): Set<string> =>
  new Set(checks.flatMap(probesOf).map(probeKey));

const hasUnwatched = (r: { reread: string[]; firewalls: string[] }): boolean =>
  r.reread.length > 0 || r.firewalls.length > 0;
