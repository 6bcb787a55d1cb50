import { watchLab, type Lab, type LabWatcher, type WatchEvent } from '@netcanvas/kernel';
import {
  ROOT,
  changedRuleCounters,
  diffObserved,
  type FdbAgeTuple,
  type ObservedPatch,
  type ObservedState,
  type RateTuple,
  type RuleCounterTuple,
} from '@netcanvas/model';
import {
  changedFdbAges,
  changedRates,
  firewallContexts,
  sampleContexts,
  sampleCounters,
  type CounterSample,
} from './observed-diff';

/**
 * The agent's view of what the kernel has, kept current by events and a once-a-second sample.
 *
 * - `ip monitor all-nsid` says which namespace changed: only those are read again (a few ms
 *   instead of a whole-lab read); inotify on /run/netns brings namespaces that come and go.
 * - Once a second, counters (rates) are read where they are not mirrored in the root, and
 *   namespaces the monitor cannot see into (made by hand, no nsid); every tenth second, all.
 * - Reads never overlap: callers arriving during one share the next, which starts after their
 *   call, so nothing they get is older than their call.
 */
export interface LiveStateListener {
  patches(patches: ObservedPatch[], takenAt: string): void;
  rates(rates: RateTuple[], at: string, intervalMs: number): void;
  ruleCounters(counters: RuleCounterTuple[], at: string): void;
  /** Learned MACs traffic refreshed (or new): their ages, as of `at`. */
  fdbAges(ages: FdbAgeTuple[], at: string): void;
  error(error: unknown): void;
}

const SAMPLE_MS = 1000;
/** Every this many samples, everything is read (for what has no event and no counters to show). */
const FULL_READ_EVERY = 10;
/** Events come in bursts (one command makes several); one read answers a burst. */
const EVENT_DEBOUNCE_MS = 5;

export class LiveState {
  private current: ObservedState | null = null;
  private running: Promise<ObservedState> | null = null;
  private next: Promise<ObservedState> | null = null;
  private readonly observer: ReturnType<Lab['observer']>;
  private watcher: LabWatcher | null = null;
  private sampler: NodeJS.Timeout | null = null;
  private eventTimer: NodeJS.Timeout | null = null;
  private lastSample: CounterSample | null = null;
  private readonly sentRates = new Map<string, string>();
  /** When each learned MAC was last refreshed, as last sent to clients (see changedFdbAges). */
  private readonly sentFdbAges = new Map<string, number>();
  private stopped = false;
  /** What changed since the last read started: these namespaces, or (full) anything. */
  private pending = new Set<string>();
  private pendingFull = true;
  private pendingIds = false;
  /** Whose firewall the next read reads (iptables raises no event: samples and the writer ask). */
  private pendingFirewall: 'all' | Set<string> = 'all';

  constructor(
    private readonly lab: Lab,
    private readonly listener: LiveStateListener,
  ) {
    this.observer = lab.observer();
  }

  get observed(): ObservedState {
    if (!this.current) throw new Error('live state not started');
    return this.current;
  }

  async start(): Promise<void> {
    const first = await this.refresh();
    this.lastSample = sampleCounters(first, Date.parse(first.takenAt));
    this.watcher = watchLab(this.lab.target, (event) => this.onEvent(event));
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

  /** Marks namespaces as changed (the writer does, for its own steps, before it answers). */
  invalidate(contexts: Iterable<string> | 'all'): void {
    if (contexts === 'all') this.pendingFull = true;
    else for (const c of contexts) this.pending.add(c);
  }

  /**
   * Marks the namespaces the monitor cannot see into (no id in the lab's root: made by hand) as
   * changed: their changes raise no event, so only a read tells (the writer asks before it plans).
   */
  invalidateUnwatched(): void {
    for (const ns of this.current?.namespaces ?? [])
      if (ns.name !== ROOT && this.observer.nsidOf(ns.name) === undefined) this.pending.add(ns.name);
  }

  private onEvent(event: WatchEvent): void {
    if (event.kind === 'resync') this.pendingFull = true;
    else if (event.kind === 'change') {
      const name =
        event.nsid === 'current'
          ? ROOT
          : event.nsid === null
            ? undefined
            : this.observer.nameOfNsid(event.nsid);
      if (name !== undefined) this.pending.add(name);
      else if (event.nsid === null) this.pendingFull = true;
      else {
        // An nsid the last read did not know: a namespace that just got one (the lab's new ones
        // do, with `netns set auto`). New namespaces are read anyway; refresh the root's ids.
        this.pending.add(ROOT);
        this.pendingIds = true;
      }
    } else this.pending.add(ROOT); // namespaces came or went: the list is read on every read
    if (this.eventTimer || this.stopped) return;
    this.eventTimer = setTimeout(() => {
      this.eventTimer = null;
      this.refresh().catch((error: unknown) => this.listener.error(error));
    }, EVENT_DEBOUNCE_MS);
  }

  private samples = 0;

  /** The next read is the once-a-second sample: it also reads bridges' learned MACs. */
  private sampling = true;

  private async sample(): Promise<void> {
    try {
      this.sampling = true;
      if (++this.samples % FULL_READ_EVERY === 0 || !this.current) {
        this.pendingFull = true;
        this.pendingFirewall = 'all';
      } else {
        this.invalidate(sampleContexts(this.current, (name) => this.observer.nsidOf(name) !== undefined));
        this.readFirewallsOf(firewallContexts(this.current));
      }
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

  /** Reads these namespaces' firewalls (and the namespaces) on the next read. */
  readFirewallsOf(names: Iterable<string>): void {
    for (const name of names) {
      this.pending.add(name);
      if (this.pendingFirewall !== 'all') this.pendingFirewall.add(name);
    }
  }

  private get dirty(): boolean {
    return this.pendingFull || this.pending.size > 0;
  }

  /**
   * The kernel's state as of now, reading only what changed since the last read (nothing at all
   * when nothing did: every change to the lab's interfaces, addresses and namespaces raises an event).
   */
  fresh(): Promise<ObservedState> {
    if (!this.dirty && this.running) return this.running;
    if (!this.dirty && this.current) return Promise.resolve(this.current);
    return this.refresh();
  }

  /** A read that starts after this call, of whatever is pending, with patches sent to the listener. */
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
    const contexts: 'all' | Set<string> = this.pendingFull ? 'all' : this.pending;
    const withFdb = this.sampling;
    this.sampling = false;
    const firewall = this.pendingFirewall;
    this.pendingFirewall = new Set();
    const refreshIds = this.pendingIds;
    this.pendingIds = false;
    this.pending = new Set();
    this.pendingFull = false;
    const observing: Promise<ObservedState> = this.readOnce(contexts, withFdb, firewall, refreshIds).finally(
      () => {
        if (this.running === observing) this.running = null;
      },
    );
    this.running = observing;
    return observing;
  }

  private async readOnce(
    contexts: 'all' | Set<string>,
    fdb: boolean,
    firewall: 'all' | Set<string>,
    refreshIds: boolean,
  ): Promise<ObservedState> {
    let next: ObservedState;
    try {
      next = await this.observer.read(contexts, { fdb, firewall, refreshIds });
    } catch (error) {
      this.pendingFull = true; // read it all next time
      this.pendingFirewall = 'all';
      throw error;
    }
    const patches = diffObserved(this.current, next);
    const counters = firewall === 'all' || firewall.size > 0 ? changedRuleCounters(this.current, next) : [];
    // Ages are only new when the tables were read; otherwise they are the last read's, gone stale.
    const ages = fdb ? changedFdbAges(next, this.sentFdbAges) : [];
    this.current = next;
    if (patches.length > 0 && !this.stopped) this.listener.patches(patches, next.takenAt);
    if (counters.length > 0 && !this.stopped) this.listener.ruleCounters(counters, next.takenAt);
    if (ages.length > 0 && !this.stopped) this.listener.fdbAges(ages, next.takenAt);
    return next;
  }
}
