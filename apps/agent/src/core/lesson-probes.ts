import type { PingOptions, PingRun } from '@netcanvas/kernel';
import {
  findNamespace,
  pingSummary,
  probeKey,
  type ObservedState,
  type PathRequestInput,
  type PathResult,
  type Probe,
  type ProbeOutcome,
} from '@netcanvas/model';

/**
 * The lesson's probes in one lab (a ping, a packet path), bounded: one at a time, each with a
 * time limit; each probe runs again at most every `minIntervalMs`, backing off (×1.5 up to
 * `maxIntervalMs`) while its answer stays the same, and at once after a change in the lab
 * (`changed()`). Probes run only through the lab's front (`lab.ping`, `lab.tracePath`), inside the
 * lab; nothing is spawned here. A probe whose namespace is not there is not run (its goal says so).
 */

/** What the probes need of the lab: its kernel's front (packages/kernel lab.ts). */
export interface ProbeLab {
  ping(namespace: string, address: string, options: PingOptions, onLine: (line: string) => void): PingRun;
  tracePath(request: PathRequestInput, observed?: ObservedState): Promise<PathResult>;
}

export const PROBE_TIMING = {
  /** A probe is not run again sooner than this after its last run. */
  minIntervalMs: 2_000,
  /**
   * While its answer stays the same, a probe waits up to this long (a change in the lab cuts it
   * short; what raises no event, a rule, a sysctl, the live state's sweep reads every 10 s).
   */
  maxIntervalMs: 30_000,
  /** A probe still running after this is answered as an error (a ping is also stopped). */
  timeoutMs: 5_000,
};
export type ProbeTiming = typeof PROBE_TIMING;

interface Tracked {
  probe: Probe;
  outcome: ProbeOutcome | undefined;
  /** When it may run next (ms, performance.now()). */
  due: number;
  lastRun: number;
  /** When the run that gave `outcome` started. */
  startedAt: number;
  interval: number;
}

export class LessonProbes {
  private readonly tracked = new Map<string, Tracked>();
  private running = false;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private lastChange = -Infinity;
  /** Probes run so far (the runner's figures; tests). */
  runs = 0;

  constructor(
    private readonly lab: ProbeLab,
    private readonly observed: () => ObservedState,
    /** Called after each probe's answer: the runner judges its goals again. */
    private readonly onOutcome: () => void,
    private readonly timing: ProbeTiming = PROBE_TIMING,
  ) {}

  /** The probes the open step needs: new ones run soon, those no longer needed are forgotten. */
  set(probes: readonly Probe[]): void {
    const wanted = new Map(probes.map((p) => [probeKey(p), p]));
    for (const key of this.tracked.keys()) if (!wanted.has(key)) this.tracked.delete(key);
    const now = performance.now();
    for (const [key, probe] of wanted)
      if (!this.tracked.has(key))
        this.tracked.set(key, {
          probe,
          outcome: undefined,
          due: now,
          startedAt: -Infinity,
          lastRun: -Infinity,
          interval: this.timing.minIntervalMs,
        });
    this.schedule();
  }

  outcome(probe: Probe): ProbeOutcome | undefined {
    return this.tracked.get(probeKey(probe))?.outcome;
  }

  /**
   * Something in the lab changed: these probes (every one, without keys) run again as soon as
   * their minimum interval allows. The runner names those of goals not met: a met goal's probe
   * keeps backing off, and is confirmed before its step is left (`confirm`).
   */
  changed(keys?: ReadonlySet<string>): void {
    this.lastChange = performance.now();
    for (const [key, t] of this.tracked) {
      if (keys && !keys.has(key)) continue;
      t.interval = this.timing.minIntervalMs;
      t.due = Math.min(t.due, t.lastRun + this.timing.minIntervalMs);
    }
    this.schedule();
  }

  /**
   * True when each of these probes answered from a run that started after the last change: a
   * step is left only on answers that saw the lab as it is. The others run as soon as they can.
   */
  confirm(keys: ReadonlySet<string>): boolean {
    let fresh = true;
    for (const [key, t] of this.tracked) {
      if (!keys.has(key) || t.startedAt >= this.lastChange) continue;
      fresh = false;
      t.due = Math.min(t.due, performance.now());
    }
    if (!fresh) this.schedule();
    return fresh;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.tracked.clear();
  }

  /** A timer for the earliest due probe (none while one runs: its end schedules the next). */
  private schedule(): void {
    if (this.stopped || this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const next = [...this.tracked.values()].sort((a, b) => a.due - b.due)[0];
    if (!next) return;
    const wait = Math.max(0, next.due - performance.now());
    this.timer = setTimeout(() => void this.runDue(), wait);
    this.timer.unref?.();
  }

  private async runDue(): Promise<void> {
    this.timer = null;
    const now = performance.now();
    const due = [...this.tracked.values()].filter((t) => t.due <= now).sort((a, b) => a.due - b.due)[0];
    if (!due || this.running || this.stopped) return this.schedule();
    if (!findNamespace(this.observed(), due.probe.from)) {
      // Nothing to probe from yet (its goal says so): no answer kept, tried again after a change.
      due.outcome = undefined;
      due.due = now + this.timing.maxIntervalMs;
      return this.schedule();
    }
    this.running = true;
    try {
      const startedAt = performance.now();
      const outcome = await this.run(due.probe);
      // Forgotten meanwhile (the step changed): its answer is nobody's.
      if (this.tracked.get(probeKey(due.probe)) !== due) return;
      const same = due.outcome !== undefined && outcomeText(due.outcome) === outcomeText(outcome);
      due.outcome = outcome;
      due.startedAt = startedAt;
      due.lastRun = performance.now();
      due.interval = same
        ? Math.min(this.timing.maxIntervalMs, due.interval * 1.5)
        : this.timing.minIntervalMs;
      due.due = due.lastRun + due.interval;
      // Told even when the answer is the same: a step waiting on a confirmation goes on.
      this.onOutcome();
    } finally {
      this.running = false;
      this.schedule();
    }
  }

  private async run(probe: Probe): Promise<ProbeOutcome> {
    this.runs++;
    try {
      return probe.kind === 'ping' ? await this.ping(probe) : await this.trace(probe);
    } catch (error) {
      return { kind: 'error', message: error instanceof Error ? error.message : String(error) };
    }
  }

  /** One echo request, one second to answer. */
  private async ping(probe: Extract<Probe, { kind: 'ping' }>): Promise<ProbeOutcome> {
    const lines: string[] = [];
    const run = this.lab.ping(probe.from, probe.to, { count: 1, timeoutSeconds: 1 }, (line) =>
      lines.push(line),
    );
    const exitCode = await withTimeout(run.done, this.timing.timeoutMs, () => run.stop());
    if (exitCode === 'timeout')
      return { kind: 'error', message: `ping ${probe.to} from ${probe.from} took too long` };
    return {
      kind: 'ping',
      replied: exitCode === 0,
      summary: pingSummary(probe.from, probe.to, lines, exitCode),
    };
  }

  private async trace(probe: Extract<Probe, { kind: 'path' }>): Promise<ProbeOutcome> {
    const request = {
      from: probe.from,
      to: probe.to,
      protocol: probe.protocol,
      ...(probe.port !== null ? { port: probe.port } : {}),
    };
    const traced = this.lab.tracePath(request, this.observed());
    const result = await withTimeout(traced, this.timing.timeoutMs, () => undefined);
    if (result === 'timeout') {
      // The trace ends on its own (each of its commands is bounded): wait, so probes never overlap.
      await traced.catch(() => undefined);
      return { kind: 'error', message: `the packet path from ${probe.from} to ${probe.to} took too long` };
    }
    return { kind: 'path', result };
  }
}

/** What an outcome says, without its timings: two runs that found the same are the same. */
function outcomeText(outcome: ProbeOutcome): string {
  if (outcome.kind !== 'path') return JSON.stringify(outcome);
  const { end, hops, answered } = outcome.result;
  return JSON.stringify({ end, answered, sources: hops.map((h) => [h.namespace, h.source]) });
}

async function withTimeout<T>(
  promise: Promise<T>,
  ms: number,
  onTimeout: () => void,
): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => {
      onTimeout();
      resolve('timeout');
    }, ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
