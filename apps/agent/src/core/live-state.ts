import { watchLab, type Lab, type LabWatcher } from '@netcanvas/kernel';
import type { ObservedPatch, ObservedState, RateTuple } from '@netcanvas/model';
import { changedRates, diffObserved, sampleCounters, type CounterSample } from './observed-diff';

/**
 * The agent's view of what the kernel has, kept current by events (`ip monitor`, inotify on
 * /run/netns) and a once-a-second sample (counters, and anything without an event, such as a
 * namespace made by hand without an nsid). Observes never overlap: callers arriving while one runs
 * share the next one, which starts after their call, so what they get is never older than the call.
 */
export interface LiveStateListener {
  patches(patches: ObservedPatch[], takenAt: string): void;
  rates(rates: RateTuple[], at: string, intervalMs: number): void;
  error(error: unknown): void;
}

const SAMPLE_MS = 1000;
/** Events come in bursts (one command makes several); one observe answers a burst. */
const EVENT_DEBOUNCE_MS = 5;

export class LiveState {
  private current: ObservedState | null = null;
  private running: Promise<ObservedState> | null = null;
  private next: Promise<ObservedState> | null = null;
  private watcher: LabWatcher | null = null;
  private sampler: NodeJS.Timeout | null = null;
  private eventTimer: NodeJS.Timeout | null = null;
  private lastSample: CounterSample | null = null;
  private readonly sentRates = new Map<string, string>();
  private stopped = false;

  constructor(
    private readonly lab: Lab,
    private readonly listener: LiveStateListener,
  ) {}

  get observed(): ObservedState {
    if (!this.current) throw new Error('live state not started');
    return this.current;
  }

  async start(): Promise<void> {
    const first = await this.refresh();
    this.lastSample = sampleCounters(first, Date.now());
    this.watcher = watchLab(this.lab.target, () => this.onEvent());
    await this.watcher.ready;
    this.sampler = setInterval(() => void this.sample(), SAMPLE_MS);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.sampler) clearInterval(this.sampler);
    if (this.eventTimer) clearTimeout(this.eventTimer);
    await this.watcher?.stop();
    await this.next?.catch(() => undefined);
    await this.running?.catch(() => undefined);
  }

  private onEvent(): void {
    if (this.eventTimer || this.stopped) return;
    this.eventTimer = setTimeout(() => {
      this.eventTimer = null;
      this.refresh().catch((error: unknown) => this.listener.error(error));
    }, EVENT_DEBOUNCE_MS);
  }

  private async sample(): Promise<void> {
    try {
      const state = await this.refresh();
      const sample = sampleCounters(state, Date.parse(state.takenAt));
      if (this.lastSample) {
        const rates = changedRates(this.lastSample, sample, this.sentRates);
        if (rates.length > 0) this.listener.rates(rates, state.takenAt, sample.at - this.lastSample.at);
      }
      this.lastSample = sample;
    } catch (error) {
      if (!this.stopped) this.listener.error(error);
    }
  }

  /** A fresh observe (started after this call), with patches sent to the listener. */
  refresh(): Promise<ObservedState> {
    if (!this.running) return this.run();
    this.next ??= this.running
      .catch(() => undefined)
      .then(() => {
        this.next = null;
        return this.run();
      });
    return this.next;
  }

  private run(): Promise<ObservedState> {
    const observing: Promise<ObservedState> = this.observeOnce().finally(() => {
      if (this.running === observing) this.running = null;
    });
    this.running = observing;
    return observing;
  }

  private async observeOnce(): Promise<ObservedState> {
    const next = await this.lab.observe();
    const patches = diffObserved(this.current, next);
    this.current = next;
    if (patches.length > 0 && !this.stopped) this.listener.patches(patches, next.takenAt);
    return next;
  }
}
