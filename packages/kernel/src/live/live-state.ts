import {
  ROOT,
  changedRuleCounters,
  type FdbAgeTuple,
  type ObservedPatch,
  type ObservedState,
  type RateTuple,
  type Reread,
  type RuleCounterTuple,
} from '@netcanvas/model';
import {
  changedFdbAges,
  changedRates,
  diffChanged,
  firewallContexts,
  sampleContexts,
  sampleCounters,
  type CounterSample,
} from './samples';
import { Sweep } from './sweep';
import type { LabWatcher, WatchEvent } from '../watch';
import { benchToggles } from '../bench-toggles';
import { traceSpan, tracing } from '../trace';
import type { ReadOptions } from '../observe';
import { MAX_MARKS, type InterfaceMark, type PartialRead } from '../observe-partial';

/**
 * A lab's state as the kernel has it, kept current by events and a once-a-second sample: the
 * agent's live view (`lab.live(listener)`, then `start()`; see docs/architecture.md, "The live
 * path").
 *
 * - `ip monitor all-nsid` says which namespace changed, and what (an interface, its routes, the
 *   routes or forwarding): only that is read again (a few ms instead of a whole-lab read);
 *   inotify on /run/netns brings namespaces that come and go.
 * - Once a second, counters (rates) are read where they are not mirrored in the root, and
 *   namespaces the monitor cannot see into (made by hand, no nsid). Every tenth second (after a
 *   rest of three times the last one's reading time: sweep.ts) a sweep starts that reads every
 *   namespace again, firewall included, a slice of a few namespaces at a time, each slice only when nothing else waits: an edit never waits behind a whole-lab read,
 *   at most behind one slice (docs/benchmarks.md, "Edits that never wait").
 * - Reads never overlap (the observer is one): callers arriving during one share the next, which
 *   starts after their call and reads what was marked changed, so nothing they get is older than
 *   their call.
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
/** Every this many samples a sweep starts (for what has no event and no counters to show). */
const SWEEP_EVERY = 10;
/** A line about namespace ids (`nsid 3 (iproute2 netns name: ns1)`, `Deleted nsid 3`). */
const NSID_LINE = /^(?:\[nsid (?:current|\d+)\])?(?:Deleted )?nsid \d+/;
/** The same line naming the namespace (iproute2 finds the name in /run/netns): deleted, nsid, name. */
const NAMED_NSID = /(Deleted )?nsid (\d+) \(iproute2 netns name: ([^)\s]+)\)/;
/** The longest the writer holds the other reads (`holdReads`); an edit is ~0.1 s at 1,000 namespaces. */
const HOLD_MAX_MS = 5_000;
/**
 * After an edit, for this long the sample leaves what can wait (the root's `addr show`, learned
 * MACs, ~100 ms each at 1,000 namespaces) to a later read: the next edit, if it comes, does not
 * wait behind them (docs/benchmarks.md, "Edits, session 13").
 */
const EDITING_MS = 1_500;
/**
 * While a user edits, the sweep reads the lab's root's firewall and numbering but not its dump
 * (1,000 ports: 140–240 ms, the slowest edits' wait in session 15's and 16's traces): what the
 * dump holds raises events (links, addresses, routes, forwarding) and the sample's root `addr
 * show` reads interfaces and qdiscs. At least this often the sweep dumps it anyway: the safety
 * net for what no event says. (A minute was shorter than a sweep and its rest at 1,000
 * namespaces: every sweep dumped it.)
 */
const ROOT_DUMP_MAX_GAP_MS = 300_000;
/** What a route or netconf line asks a namespace's read in part for (PartialRead). */
type Settings = Pick<PartialRead, 'routes' | 'forwarding'>;
/** Beyond this many marks of a namespace, a mark named again is not looked for (markInterface). */
const MARKS_KEPT = 4 * MAX_MARKS;
/** Events come in bursts (one command makes several); one read answers a burst. */
const EVENT_DEBOUNCE_MS = 5;

/** Reads a lab again, whole or only some namespaces, keeping the rest from earlier reads (observe.ts). */
export interface LabObserver {
  read(contexts: 'all' | ReadonlySet<string>, options?: ReadOptions): Promise<ObservedState>;
  /** The namespace the lab's root numbers `nsid` (from `ip monitor all-nsid`), if known. */
  nameOfNsid(nsid: number): string | undefined;
  /** The lab's root's nsid for a namespace (none: the monitor cannot see into it). */
  nsidOf(name: string): number | undefined;
  /** What the read under way is doing (said when one stalls). */
  phase?(): string;
  /** The root's monitor named a namespace's nsid (null: it lost it): see observe.ts `learnNsid`. */
  learnNsid?(name: string, nsid: number | null): void;
}

/** Starts following the lab's events (watch.ts's `watchLab`, on the lab's target). */
export type Watch = (onEvent: (event: WatchEvent) => void) => LabWatcher;

/** A read still running after this long is reported to the listener (it holds every later one). */
const STALLED_MS = 30_000;

export class SlowReadError extends Error {
  constructor(job: ReadJob, ms: number, phase: string | undefined) {
    const what = job.contexts === 'all' ? 'every namespace' : [...job.contexts].slice(0, 5).join(', ');
    super(
      `a read of ${what} (${job.urgent ? 'asked for' : job.slice ? 'background sweep' : 'sample'}) has not finished after ${ms / 1000} s${phase ? `: ${phase}` : ''}`,
    );
  }
}

/** One read's part: what it reads, and whether a caller waits on it (a sweep's slice alone: no one). */
interface ReadJob {
  contexts: 'all' | Set<string>;
  /** Namespaces read only in part: interfaces named by events or the writer, or the sample's counters. */
  partial: Map<string, PartialRead>;
  firewall: 'all' | Set<string>;
  fdb: boolean;
  refreshIds: boolean;
  /** Took what was marked changed: callers who marked it wait for this read. */
  urgent: boolean;
  /** A slice of the sweep (its cost sizes the next). */
  slice: boolean;
  /** The marks read apart, ahead of the sample's read (`dispatch`); failed, the sample takes them. */
  apart?: boolean;
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  return { promise, resolve, reject };
}

export class LiveState {
  private current: ObservedState | null = null;
  private running: Promise<ObservedState> | null = null;
  private runningUrgent = false;
  /** A read of everything marked, asked for while another ran (`refresh()`): it starts next. */
  private wantAll: Deferred<ObservedState> | null = null;
  /**
   * A read of what callers wait for (events, the writer) without the sample's counters and learned
   * MACs, asked for while another ran (`fresh()`): it goes ahead of `wantAll` (docs/benchmarks.md,
   * "Edits, session 10").
   */
  private wantNeeded: Deferred<ObservedState> | null = null;
  private watcher: LabWatcher | null = null;
  private sampler: NodeJS.Timeout | null = null;
  private eventTimer: NodeJS.Timeout | null = null;
  private lastSample: CounterSample | null = null;
  private readonly sentRates = new Map<string, readonly number[]>();
  /** When each learned MAC was last refreshed, as last sent to clients (see changedFdbAges). */
  private readonly sentFdbAges = new Map<string, number>();
  private stopped = false;
  /** What changed since the last read started: these namespaces, or (full) anything. */
  private pending = new Set<string>();
  private pendingFull = true;
  private pendingIds = false;
  /** Interfaces an event or the writer named, per namespace (read alone, unless it is read whole). */
  private pendingMarks = new Map<string, InterfaceMark[]>();
  /** Namespaces whose routes or IPv4 forwarding a route or netconf line changed (read in part). */
  private pendingSettings = new Map<string, Settings>();
  /** Namespaces whose links and counters the sample reads (not their addresses and routes). */
  private pendingCounters = new Set<string>();
  /** Namespaces the sample reads whole (the monitor cannot see into them): its marks, not waited for. */
  private pendingSampled = new Set<string>();
  /** Namespaces came or went: a read lists them (every read does), reads the new ones whole. */
  private pendingList = false;
  /** nsids events named that the root's numbering did not have: read once they are known. */
  private readonly unknownNsids = new Set<number>();
  /** Whose firewall the next read reads (iptables raises no event: samples and the writer ask). */
  private pendingFirewall: 'all' | Set<string> = new Set([ROOT]);
  private readonly sweep = new Sweep();
  private samples = 0;
  /** The next read is the once-a-second sample: it also reads bridges' learned MACs. */
  private sampling = true;
  /** Holds taken by the writer while it plans, saves and applies (`holdReads`). */
  private holds = 0;
  /** The marks' read apart failed: the sample's read takes them, once (`marksApart`). */
  private joinMarks = false;
  /** When the last hold ended (Date.now()): an edit is likely to follow one soon (`editing`). */
  private lastHoldEnd = -Infinity;
  /** When a sweep last read the lab's root whole (Date.now()); see ROOT_DUMP_MAX_GAP_MS. */
  private rootSweptAt = -Infinity;

  constructor(
    private readonly observer: LabObserver,
    private readonly watch: Watch,
    private readonly listener: LiveStateListener,
  ) {}

  get observed(): ObservedState {
    if (!this.current) throw new Error('live state not started');
    return this.current;
  }

  /**
   * The first read takes every namespace but only the root's firewall (at 1,000 namespaces, one
   * `iptables-save` each is most of a start): a sweep reads the others at once, in the background.
   * The writer reads the firewalls it plans with itself (reconcile and edits).
   */
  async start(): Promise<void> {
    // Following first, then reading: a change between the two (an IPv6 address the kernel adds a
    // second after a link comes up) is then read with or after the first read, not left to a sweep.
    this.watcher = this.watch((event) => this.onEvent(event));
    await this.watcher.ready;
    const first = await this.refresh();
    this.lastSample = sampleCounters(first, Date.parse(first.takenAt));
    this.startSweep();
    this.sampler = setInterval(() => void this.sample(), SAMPLE_MS);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.sampler) clearInterval(this.sampler);
    if (this.eventTimer) clearTimeout(this.eventTimer);
    await this.watcher?.stop();
    this.dispatch();
    await this.wantNeeded?.promise.catch(() => undefined);
    await this.wantAll?.promise.catch(() => undefined);
    await this.running?.catch(() => undefined);
  }

  /**
   * While the writer reads for, plans, saves and runs an edit, no read starts that only events,
   * the sample or the sweep asked for; a caller of `fresh()` is still served. Reads and the apply
   * share the namespaces' `ip -batch` sessions: a read the apply's own events started (the new port, the new
   * namespace) ran in the root's session ahead of the apply's next lines, and an edit waited for
   * it, mid-apply, to read a state about to change again (docs/benchmarks.md, "Edits, session
   * 12"). What was marked meanwhile is read once the hold ends. Returns the release (idempotent).
   */
  holdReads(): () => void {
    if (benchToggles.readsDuringApply === 'free') return () => undefined;
    this.holds++;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      clearTimeout(limit);
      this.holds--;
      this.lastHoldEnd = Date.now();
      if (this.holds > 0 || this.stopped) return;
      // What the edit marked is read first, in a moment, with its own events still in the pipe; the
      // second's sample, if it waited, after that (dispatch serves `fresh()` first).
      if (this.needed) this.soon();
      else this.dispatch();
    };
    // A long apply (a lab of hundreds imported) or one that hangs must not stop the live view:
    // past this, reads go on beside it, as they did before holds.
    const limit = setTimeout(release, HOLD_MAX_MS);
    return release;
  }

  /** Marks namespaces as changed (the writer does, for its own steps, before it answers). */
  invalidate(contexts: Iterable<string> | 'all'): void {
    this.mark(contexts);
  }

  /**
   * Marks what the writer's steps changed (model `rereadOf`): whole namespaces, or some
   * interfaces of one, which the next read takes alone (a port of the root's 1,000, not all).
   */
  invalidateReread(reread: Reread): void {
    for (const [context, what] of reread) {
      if (what === 'whole') {
        this.pending.add(context);
        if (tracing()) traceSpan('reread.whole', performance.now(), { name: context });
      } else {
        for (const ifname of what.ifnames) this.markInterface(context, { ifname });
        for (const ifname of what.deleted) this.markInterface(context, { ifname, deleted: true });
        // Nothing to read (the root's numbering changed): any read lists the namespaces again.
        if (what.ifnames.size + what.deleted.size === 0) this.pendingList = true;
      }
    }
  }

  /**
   * Marks an interface to read. The same mark again (one edit's port is named by five or six
   * monitor lines and by the writer) counts at its last place only: a read takes the kernel as it
   * is then, so only each mark's last place decides. In a root of 1,000 ports one port's read is
   * ~10–25 ms (`addr show dev X` dumps every link), and an edit's 11–15 marks were 2–3 ports
   * (docs/benchmarks.md, "Edits, session 13"). Past MARKS_KEPT distinct marks the namespace is
   * read whole anyway: no search.
   */
  private markInterface(context: string, mark: InterfaceMark): void {
    const marks = this.pendingMarks.get(context) ?? [];
    const again =
      marks.length > MARKS_KEPT
        ? -1
        : marks.findIndex(
            (m) => m.ifname === mark.ifname && m.ifindex === mark.ifindex && !m.deleted === !mark.deleted,
          );
    if (again >= 0) marks.splice(again, 1);
    marks.push(mark);
    this.pendingMarks.set(context, marks);
  }

  /**
   * A route line. The lab's root's own lines name its devices right: the routes through that one
   * are read (`route show table all dev X`), or nothing more when its interface is marked anyway
   * (that read takes its routes). Any other: the namespace's routes again (a few; the root's
   * whole table, ~3,000 routes at 1,000 ports, only for a route through no device).
   */
  private markRoutes(name: string, dev: string | null): void {
    if (name !== ROOT || dev === null) return this.markSettings(name, { routes: true });
    if (this.pendingMarks.get(ROOT)?.some((m) => m.ifname === dev)) return;
    this.markInterface(ROOT, { ifname: dev, routesOnly: true });
  }

  private markSettings(name: string, what: Settings): void {
    this.pendingSettings.set(name, { ...this.pendingSettings.get(name), ...what });
  }

  private mark(contexts: Iterable<string> | 'all'): void {
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
    else if (event.kind === 'firewall') this.markFirewallChanged(event.name);
    else if (event.kind === 'change') {
      const name =
        event.nsid === 'current'
          ? ROOT
          : event.nsid === null
            ? undefined
            : this.observer.nameOfNsid(event.nsid);
      if (name !== undefined && event.iface) this.markInterface(name, event.iface);
      else if (name !== undefined && event.route) {
        // Another table than main (every link up adds IPv6 routes to `local`): nothing kept changed.
        if (!event.route.main) return;
        this.markRoutes(name, event.route.dev);
      } else if (name !== undefined && event.netconf) {
        // A device's own settings (every new link has these lines): nothing the canvas shows.
        if (event.netconf === 'device') return;
        this.markSettings(name, { forwarding: true });
      } else if (name !== undefined && NSID_LINE.test(event.line)) {
        // A namespace got (or lost) an id: a numbering, not interfaces.
        if (name === ROOT) this.rootNumbered(event.line);
        // A namespace numbered another (its veth's peer's): its own numbering, read with it.
        else this.pending.add(name);
      } else if (name !== undefined) {
        this.pending.add(name);
        if (tracing()) traceSpan('event.whole', performance.now(), { name, line: event.line.slice(0, 120) });
      } else if (event.nsid === null) this.pendingFull = true;
      else {
        // An nsid the last read did not know: a namespace that just got one (the lab's new ones
        // do, with `netns set auto`). New namespaces are read anyway; refresh the root's ids, and
        // once they are known read the namespace it is (one made earlier and numbered later).
        this.pendingIds = true;
        this.pendingList = true;
        if (typeof event.nsid === 'number') this.unknownNsids.add(event.nsid);
      }
    } else this.pendingList = true; // namespaces came or went: every read lists them, reads new ones
    this.soon();
  }

  /**
   * The root numbered a namespace (or dropped its number). A line that names it (the monitor finds
   * the name in /run/netns) is told to the observer, known at once with no `netns list`
   * (`learnNsid`); one that does not needs the root's numbering read again.
   */
  private rootNumbered(line: string): void {
    const named = NAMED_NSID.exec(line);
    if (named && this.observer.learnNsid)
      this.observer.learnNsid(named[3] as string, named[1] ? null : Number(named[2]));
    else this.pendingIds = true;
    this.pendingList = true;
  }

  /**
   * A read of what is marked changed, in a moment: the events of the same burst (a command makes
   * several, and the writer's own apply raises them too) join it instead of making a read each.
   */
  soon(): void {
    if (this.eventTimer || this.stopped) return;
    this.eventTimer = setTimeout(() => {
      this.eventTimer = null;
      // Held: what is marked stays marked; the release asks again.
      if (this.holds > 0) return;
      // A read that started meanwhile (an edit's) may have taken it all already. What events
      // marked is read without the sample's counters (the sample's own read takes them): an edit
      // that joins this read waits for what changed, not for ~2.5 MB of the root's counters.
      if (this.needed) this.readNeeded().catch((error: unknown) => this.listener.error(error));
      else this.pump();
    }, EVENT_DEBOUNCE_MS);
  }

  /** Every tenth sample: everything again, sliced (or whole, for the benchmark's comparison). */
  private startSweep(): void {
    // `whole` (benchToggles.liveSweep): one read of everything as before issue 10, for the benchmark.
    if (benchToggles.liveSweep === 'whole' || !this.current) {
      this.pendingFull = true;
      this.pendingFirewall = 'all';
      return;
    }
    const names = this.current.namespaces.map((ns) => ns.name);
    if (!this.sweep.start(names)) return this.pump();
    this.pendingIds = true;
    if (tracing()) traceSpan('sweep.start', performance.now(), { namespaces: names.length });
    this.pump();
  }

  private async sample(): Promise<void> {
    try {
      this.sampling = true;
      if (!this.current) this.pendingFull = true;
      else {
        this.markSample(sampleContexts(this.current, (name) => this.observer.nsidOf(name) !== undefined));
        this.markFirewalls(firewallContexts(this.current), { whole: false });
        if (++this.samples % SWEEP_EVERY === 0) this.startSweep();
      }
      const state = await this.refresh();
      const sample = sampleCounters(state, Date.parse(state.takenAt));
      if (this.lastSample) {
        const rates = changedRates(this.lastSample, sample, this.sentRates);
        if (rates.length > 0 && !this.stopped)
          this.listener.rates(rates, state.takenAt, sample.at - this.lastSample.at);
      }
      this.lastSample = sample;
    } catch (error) {
      if (!this.stopped) this.listener.error(error);
    }
  }

  /**
   * iptables changed in this namespace (firewall-watch.ts): its firewall is read, in part (no
   * dump: at 1,000 namespaces the root's is 1,000 ports). A namespace the last read did not have
   * (made a moment ago, a rule typed at once) is read whole, with its firewall, once listed.
   */
  private markFirewallChanged(name: string): void {
    if (this.pendingFirewall !== 'all') this.pendingFirewall.add(name);
    const known = name === ROOT || this.current?.namespaces.some((ns) => ns.name === name) === true;
    if (known) this.markSettings(name, {});
    else {
      this.pending.add(name);
      this.pendingList = true;
    }
  }

  /** Reads these namespaces' firewalls (and the namespaces) on the next read. */
  readFirewallsOf(names: Iterable<string>): void {
    this.markFirewalls(names);
  }

  /** Firewalls to read; with their namespaces whole, or (the sample's) with their counters only. */
  private markFirewalls(names: Iterable<string>, { whole = true } = {}): void {
    for (const name of names) {
      if (whole) this.pending.add(name);
      else this.pendingCounters.add(name);
      if (this.pendingFirewall !== 'all') this.pendingFirewall.add(name);
    }
  }

  /**
   * The sample's namespaces: the links and counters of those the monitor sees (their other
   * changes raise events), whole those it cannot see into (made by hand, without an id).
   */
  private markSample(names: Iterable<string>): void {
    for (const name of names)
      if (name === ROOT || this.observer.nsidOf(name) !== undefined) this.pendingCounters.add(name);
      else this.pendingSampled.add(name);
  }

  /** An edit waits for a read, runs, or ended a moment ago (another is likely to follow). */
  private get editing(): boolean {
    return this.wantNeeded !== null || this.holds > 0 || Date.now() - this.lastHoldEnd < EDITING_MS;
  }

  /** Marks pending that the sample's read should not take: read apart, ahead of it (`dispatch`). */
  private get marksApart(): boolean {
    return benchToggles.sampleMarks === 'apart' && this.needed && !this.pendingFull && !this.joinMarks;
  }

  /** Something is marked that a caller of `fresh()` waits for: all but the sample's counters. */
  private get needed(): boolean {
    return (
      this.pendingFull ||
      this.pending.size > 0 ||
      this.pendingMarks.size > 0 ||
      this.pendingSettings.size > 0 ||
      this.pendingList
    );
  }

  private get dirty(): boolean {
    return this.needed || this.pendingCounters.size > 0 || this.pendingSampled.size > 0;
  }

  /**
   * The kernel's state as of now, reading only what changed since the last read (nothing at all
   * when nothing did: every change to the lab's interfaces, addresses and namespaces raises an
   * event). A sweep's slice or the second's sample in progress took nothing anyone marked: it is
   * not waited for then. Nor are the sample's counters and learned MACs, marked and not yet read:
   * the read this call waits for leaves them to the sample's own read, after it (at 1,000
   * namespaces the root's counters are ~2.5 MB of JSON, most of an edit's time when it waited).
   */
  fresh(): Promise<ObservedState> {
    if (!this.needed && this.running && this.runningUrgent) return this.running;
    if (!this.needed && this.current) return Promise.resolve(this.current);
    if (tracing()) traceSpan('fresh.needs', performance.now(), this.describeNeeds());
    return this.readNeeded();
  }

  /** What a caller of `fresh()` waits for, for the trace (trace.ts). */
  private describeNeeds(): Record<string, unknown> {
    return {
      full: this.pendingFull,
      whole: [...this.pending].slice(0, 3),
      marks: [...this.pendingMarks].map(([name, marks]) => `${name}:${marks.length}`).slice(0, 3),
      settings: [...this.pendingSettings.keys()].slice(0, 3),
      list: this.pendingList,
      running: this.running ? (this.runningUrgent ? 'urgent' : 'other') : 'none',
    };
  }

  /** A read that starts after this call, of whatever is pending, with patches sent to the listener. */
  refresh(): Promise<ObservedState> {
    // A read already waiting starts after this call too, and takes what is marked when it starts.
    this.wantAll ??= deferred();
    const { promise } = this.wantAll;
    this.dispatch();
    return promise;
  }

  /** A read that starts after this call, of what `fresh()` waits for; ahead of a `refresh()` waiting. */
  private readNeeded(): Promise<ObservedState> {
    this.wantNeeded ??= deferred();
    const { promise } = this.wantNeeded;
    this.dispatch();
    return promise;
  }

  /**
   * Starts the next read when none runs (reads never overlap: the observer is one): what `fresh()`
   * waits for first, then what `refresh()` asked for, else the sweep's next slice.
   */
  private dispatch(): void {
    if (this.running) return;
    // Held (`holdReads`): only a caller of `fresh()` is served; the sample's read waits.
    // Stopping, no hold keeps a read waiting: `stop()` waits for the reads asked for, and a hold
    // whose release comes after it would never start them (agent.stop hung in a CI rehearsal).
    const want = this.wantNeeded ?? (this.holds > 0 && !this.stopped ? null : this.wantAll);
    if (!want) return this.pump();
    // The sample's read with marks pending: the marks first, on their own. Taken into the sample,
    // they made it a read an edit waits for, whole (learned MACs, the root's counters and netns
    // list: up to ~550 ms at 1,000 namespaces); apart, an edit waits for the marks alone and the
    // sample after them yields to it (docs/benchmarks.md, "Edits, session 14").
    if (want === this.wantAll && this.marksApart) {
      // Failed, it marks what it took again and the sample's read takes it (and says why if it
      // fails too): a read that failed once, and no loop of them.
      this.run({ ...this.takePending({ sample: false }), apart: true }).catch(() => undefined);
      return;
    }
    const job = this.takePending({ sample: want === this.wantAll });
    if (want === this.wantNeeded) this.wantNeeded = null;
    else this.wantAll = null;
    this.run(job).then(want.resolve, want.reject);
  }

  /**
   * What is marked changed, as one read (and the marks cleared). `sample: false`: not the
   * sample's counters and learned MACs (nor firewalls only the sample asked for), which stay
   * marked for the read after.
   */
  private takePending({ sample = true } = {}): ReadJob {
    const urgent = this.needed;
    const partial = this.pendingFull ? new Map<string, PartialRead>() : this.partialReads({ sample });
    const whole = sample ? new Set([...this.pending, ...this.pendingSampled]) : this.pending;
    const contexts = this.pendingFull ? 'all' : whole;
    const job: ReadJob = {
      contexts,
      partial,
      firewall: sample ? this.pendingFirewall : this.takeFirewallsOf(contexts, partial),
      fdb: sample && this.sampling,
      refreshIds: this.pendingIds,
      // Took something other than the sample's counters: an event's or the writer's marks. (Not a
      // flag set by whoever called: a caller that marked nothing made the sample's read one that
      // edits waited for, ~300 ms of the root's counters at 1,000 namespaces.)
      urgent,
      slice: false,
    };
    this.pendingIds = false;
    this.pending = new Set();
    this.pendingFull = false;
    this.pendingMarks = new Map();
    this.pendingSettings = new Map();
    this.pendingList = false;
    if (!sample) return job;
    this.joinMarks = false;
    this.sampling = false;
    this.pendingFirewall = new Set();
    this.pendingCounters = new Set();
    this.pendingSampled = new Set();
    // Everything is read now, firewalls too: the sweep has nothing left to do.
    if (job.contexts === 'all' && job.firewall === 'all') {
      if (tracing() && this.sweep.running) traceSpan('sweep.cleared', performance.now(), {});
      this.sweep.clear();
    }
    return job;
  }

  /** The firewalls marked of the namespaces a read takes; the others stay marked (the sample's). */
  private takeFirewallsOf(
    contexts: 'all' | ReadonlySet<string>,
    partial: ReadonlyMap<string, PartialRead>,
  ): 'all' | Set<string> {
    const marked = this.pendingFirewall;
    if (marked === 'all') {
      this.pendingFirewall = new Set();
      return 'all';
    }
    const taken = new Set<string>();
    for (const name of marked)
      if (contexts === 'all' || contexts.has(name) || partial.has(name)) taken.add(name);
    for (const name of taken) marked.delete(name);
    return taken;
  }

  /** After the root's numbering was read again: namespaces an event named by an nsid it lacked. */
  private readNewlyNumbered(): void {
    for (const nsid of this.unknownNsids) {
      const name = this.observer.nameOfNsid(nsid);
      // Still not known after asking: a namespace without a name here (a process's own), or gone.
      this.unknownNsids.delete(nsid);
      if (name === undefined) continue;
      this.pending.add(name);
      this.soon();
    }
  }

  /**
   * The partial reads pending: named interfaces (too many: whole), and the sample's counters
   * (`sample: false`: not those, which stay marked).
   */
  private partialReads({ sample = true } = {}): Map<string, PartialRead> {
    const out = new Map<string, PartialRead>();
    const counters = sample ? this.pendingCounters : new Set<string>();
    for (const name of new Set([...counters, ...this.pendingMarks.keys(), ...this.pendingSettings.keys()])) {
      const marks = this.pendingMarks.get(name) ?? [];
      if (marks.length > MAX_MARKS) {
        this.pending.add(name);
        if (tracing())
          traceSpan('marks.whole', performance.now(), {
            name,
            marks: marks.length,
            named: marks.slice(0, 30).map((m) => `${m.deleted ? '-' : ''}${m.ifname ?? `#${m.ifindex}`}`),
          });
      } else if (!this.pending.has(name))
        out.set(name, { marks, counters: counters.has(name), ...this.pendingSettings.get(name) });
    }
    return out;
  }

  /** The sweep's next slice, when no read runs and none is waiting (a marked change goes first). */
  private pump(): void {
    if (this.stopped || this.running || this.dirty || this.eventTimer || this.holds > 0) return;
    const slice = this.sweep.take(this.current?.namespaces.map((ns) => ns.name) ?? []);
    if (!slice) return;
    if (!this.sweep.running && tracing()) traceSpan('sweep.lastSlice', performance.now(), {});
    const refreshIds = this.pendingIds;
    this.pendingIds = false;
    this.run(this.sliceJob(slice, refreshIds)).catch((error: unknown) => {
      if (!this.stopped) this.listener.error(error);
    });
  }

  /**
   * A slice's read: its namespaces whole with their firewalls; the root, while a user edits, read
   * in part with nothing named, which is its firewall and numbering only (`leavesRootDump`).
   */
  private sliceJob(slice: Set<string>, refreshIds: boolean): ReadJob {
    const leaveRoot = slice.has(ROOT) && this.leavesRootDump();
    if (slice.has(ROOT) && !leaveRoot) this.rootSweptAt = Date.now();
    if (leaveRoot && tracing()) traceSpan('sweep.rootLeft', performance.now(), {});
    return {
      contexts: leaveRoot ? new Set([...slice].filter((name) => name !== ROOT)) : slice,
      partial: leaveRoot ? new Map([[ROOT, { marks: [], counters: false }]]) : new Map(),
      firewall: slice,
      fdb: false,
      refreshIds,
      urgent: false,
      slice: true,
    };
  }

  /** The sweep leaves the root's dump while a user edits, for at most ROOT_DUMP_MAX_GAP_MS. */
  private leavesRootDump(): boolean {
    return (
      benchToggles.sweepRoot === 'when-quiet' &&
      this.editing &&
      Date.now() - this.rootSweptAt < ROOT_DUMP_MAX_GAP_MS
    );
  }

  private run(job: ReadJob): Promise<ObservedState> {
    const started = performance.now();
    // Reads never overlap, so one that never ends stops every later one: say so (docs/benchmarks.md,
    // "Edits that never wait": seen on a loaded machine, cause not found yet).
    const watchdog = setTimeout(
      () => this.listener.error(new SlowReadError(job, STALLED_MS, this.observer.phase?.())),
      STALLED_MS,
    );
    const observing: Promise<ObservedState> = this.readOnce(job).finally(() => {
      clearTimeout(watchdog);
      if (tracing()) traceSpan('read', started, describeJob(job));
      if (job.slice && job.contexts !== 'all')
        this.sweep.took(job.contexts.size + job.partial.size, performance.now() - started);
      if (this.running !== observing) return;
      this.running = null;
      // After the callers waiting on this read have had their turn (what they ask for is marked by then).
      queueMicrotask(() => this.dispatch());
    });
    this.running = observing;
    this.runningUrgent = job.urgent;
    return observing;
  }

  /**
   * A slice's firewalls, once an edit runs (the writer holds reads) or waits for the read after
   * this one: left, and marked for the sample's read to take in part (their rules and counters).
   * Their `iptables-save` takes a core beside the apply (two here), and the edit's own read
   * waits for the slice to end.
   */
  private leaveSliceFirewalls(): ReadOptions['leaveFirewalls'] {
    return {
      now: () => this.holds > 0 || this.wantNeeded !== null,
      left: (names) => {
        if (tracing())
          traceSpan('slice.firewallsLeft', performance.now(), {
            names: names.slice(0, 3),
            count: names.length,
          });
        this.markFirewalls(names, { whole: false });
      },
    };
  }

  private async readOnce(job: ReadJob): Promise<ObservedState> {
    const { contexts, partial, firewall, fdb, refreshIds } = job;
    let next: ObservedState;
    try {
      // A read nobody waits for leaves what can wait to the next once an edit waits for a read or
      // runs (on two cores, the sample's learned MACs slowed the apply beside them), or while a
      // user edits (the next edit then waited for them): bounded by ReadSchedule.overdue.
      const yieldTo = job.urgent || benchToggles.sampleYields === 'finish' ? undefined : () => this.editing;
      // And its learned-MAC command under way is not waited for once an edit waits for a read.
      const waitedFor = job.urgent ? undefined : () => this.wantNeeded !== null;
      // Links that came or went since the last read raised events: the read those ask for reads
      // them, and the sample does not read the namespace whole for them.
      const leaveChangedLinks = !job.urgent && benchToggles.sampleChangedLinks === 'leave';
      const leaveFirewalls =
        job.slice && benchToggles.sliceFirewalls === 'leave' ? this.leaveSliceFirewalls() : undefined;
      const options = {
        fdb,
        firewall,
        refreshIds,
        partial,
        yieldTo,
        waitedFor,
        leaveChangedLinks,
        leaveFirewalls,
      };
      next = await this.observer.read(contexts, options);
    } catch (error) {
      // Read what this one would have again (whole), with a sweep for the firewalls it skipped.
      if (job.apart) this.joinMarks = true;
      if (contexts === 'all') this.pendingFull = true;
      else for (const c of [...contexts, ...partial.keys()]) this.pending.add(c);
      if (firewall === 'all') this.pendingFirewall = 'all';
      else this.markFirewalls(firewall);
      throw error;
    }
    const patches = diffChanged(this.current, next);
    const counters = firewall === 'all' || firewall.size > 0 ? changedRuleCounters(this.current, next) : [];
    // Ages are only new when the tables were read; otherwise they are the last read's, gone stale.
    const ages = fdb ? changedFdbAges(next, this.sentFdbAges, this.current) : [];
    this.current = next;
    if (refreshIds) this.readNewlyNumbered();
    if (patches.length > 0 && !this.stopped) this.listener.patches(patches, next.takenAt);
    if (counters.length > 0 && !this.stopped) this.listener.ruleCounters(counters, next.takenAt);
    if (ages.length > 0 && !this.stopped) this.listener.fdbAges(ages, next.takenAt);
    return next;
  }
}

/** What a read took, for its trace (trace.ts): its kind and how much of the lab. */
function describeJob(job: ReadJob): Record<string, unknown> {
  const count = (set: 'all' | ReadonlySet<string>) => (set === 'all' ? 'all' : set.size);
  return {
    kind: job.apart ? 'apart' : job.urgent ? 'asked' : job.slice ? 'slice' : 'sample',
    whole: count(job.contexts),
    names: job.contexts === 'all' ? [] : [...job.contexts].slice(0, 3),
    partial: job.partial.size,
    inPart: [...job.partial.keys()].slice(0, 3),
    marks: [...job.partial.values()].reduce((n, read) => n + read.marks.length, 0),
    firewall: count(job.firewall),
    fdb: job.fdb,
    ids: job.refreshIds,
  };
}
