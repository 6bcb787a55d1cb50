import { readdir } from 'node:fs/promises';
import {
  ROOT,
  type ObservedFdbEntry,
  type ObservedFirewall,
  type ObservedRoute,
  type ObservedNamespace,
  type ObservedInterface,
  type ObservedPeer,
  type ObservedState,
} from '@netcanvas/model';
import { parseFdb, parseLinks, parseNetnsList, splitJsonLines, type ParsedInterface } from './parse';
import { parseForwarding, parseIptablesSave, parseRoutes } from './parse-netfilter';
import { readFirewalls } from './fanout';
import { ReadSchedule } from './fdb-schedule';
import { LeftReads } from './left-reads';
import { readLinkEffects } from './effects/observe';
import type { NamespaceIo } from './io';
import { LINKS_CHANGED, readPartially, type CountersOnly, type PartialRead } from './observe-partial';
import { readNetDev } from './net-dev';
import { benchToggles } from './bench-toggles';
import { traceSpan } from './trace';
import { keepRouteOrder } from './route-order';
import { withKeys } from './shapes';
import { mapLimit, run } from './process';
import { describeTarget, inNamespace, netnsDirOf, type Target } from './target';

export interface ReadOptions {
  /** Read bridges' learned MACs (false: keep the last read's). */
  fdb?: boolean;
  /** Whose firewalls to read (of the namespaces read, whole or in part). */
  firewall?: 'all' | ReadonlySet<string>;
  /** Ask the root for its numbering of the namespaces again. */
  refreshIds?: boolean;
  /** Namespaces to read only in part (observe-partial.ts), unless read whole anyway. */
  partial?: ReadonlyMap<string, PartialRead>;
  /**
   * True while someone waits for a read after this one (an edit's `fresh()`): what the sample can
   * leave to its next read is left (the root's `addr show` when due, counters from /proc instead;
   * learned MACs), and stays due (docs/benchmarks.md, "Edits, session 12").
   */
  yieldTo?: () => boolean;
  /**
   * True once someone waits for the read after this one: a learned-MAC command under way is not
   * waited for, and its answer goes to the next read (left-reads.ts).
   */
  waitedFor?: () => boolean;
  /**
   * A read nobody waits for (the sample): a namespace whose links came, went or were renamed
   * since the last read is kept as it was, not read whole. The events that name those links, or
   * the writer's marks of its own, have the read after read them: the sample read the lab's root
   * whole (~130 ms at 1,000 namespaces) after an edit beside it added a port, and the next edit
   * waited for that (docs/benchmarks.md, "Edits, session 15").
   */
  leaveChangedLinks?: boolean;
  /**
   * A sweep's slice: once `now()` is true as its firewalls' turn comes (an edit waits for the read
   * after it), their `iptables-save` is not run and `left` names them, for a later read to take:
   * at 1,000 namespaces it was 12 ms of a slice's 30 (p95 47 of 93) that a waiting edit sat behind
   * (docs/benchmarks.md, "Edits, session 21").
   */
  leaveFirewalls?: { now: () => boolean; left: (names: readonly string[]) => void };
}

/** How many namespaces are read at once: the machine has two cores and the rtnl lock is shared. */
const CONCURRENCY = 4;

export interface RawNamespace {
  name: string;
  interfaces: ParsedInterface[];
  /** name → id, as this namespace numbers the others (only read where a peer needs it). */
  ids: Map<string, number>;
  fdb: ObservedFdbEntry[];
  forwarding?: boolean;
  routes?: ObservedRoute[];
  firewall?: ObservedFirewall;
}

/**
 * The root's numbering with the monitor's news folded in, for namespaces still listed; the very
 * same map when nothing changed (peers resolved against it are kept: `PeerResolver`).
 */
function foldIds(
  ids: Map<string, number>,
  listed: ReadonlySet<string>,
  learned: ReadonlyMap<string, number | null>,
): Map<string, number> {
  const next = new Map<string, number>();
  for (const [name, id] of ids) if (listed.has(name) && !learned.has(name)) next.set(name, id);
  for (const [name, id] of learned) if (id !== null && listed.has(name)) next.set(name, id);
  const same = next.size === ids.size && [...next].every(([name, id]) => ids.get(name) === id);
  return same ? ids : next;
}

/** Names in `now` that `before` did not list (asked only when the list changed). */
function newlyListed(before: readonly string[], now: readonly string[]): string[] {
  const listed = new Set(before);
  return now.filter((name) => !listed.has(name));
}

function toIds(json: unknown): Map<string, number> {
  const ids = new Map<string, number>();
  for (const entry of json === undefined ? [] : parseNetnsList(json))
    if (entry.id !== null) ids.set(entry.name, entry.id);
  return ids;
}

async function readFdb(target: Target, name: string): Promise<ObservedFdbEntry[]> {
  const result = await run(inNamespace(target, name, ['bridge', '-j', '-s', 'fdb', 'show']));
  if (result.exitCode !== 0) return [];
  const [json] = splitJsonLines(result.stdout);
  return json === undefined ? [] : parseFdb(json);
}

/** Learned entries aged by `seconds` (the bridge's own, which never age, as they are). */
export function agedBy(entries: ObservedFdbEntry[], seconds: number): ObservedFdbEntry[] {
  return entries.map((e) =>
    e.ageSeconds === null ? e : { ...e, ageSeconds: Math.round((e.ageSeconds + seconds) * 1000) / 1000 },
  );
}

/** The named namespaces the target can see (all of the machine's on the host), without spawning. */
export async function listNamespaceNames(target: Target): Promise<string[]> {
  try {
    return (await readdir(netnsDirOf(target))).sort();
  } catch {
    return [];
  }
}

/** The sample reads the lab's root with `addr show` at least this often (see `rootAddrSchedule`). */
const ROOT_ADDR_MAX_GAP_MS = 10_000;

/**
 * The observed state of a lab: its root and every named namespace in it, each interface with its
 * addresses, counters, bridge and veth peer (namespace + interface, the way `ethtool -S` →
 * peer_ifindex and `link-netnsid` tell it), routes, forwarding, iptables, and each bridge's
 * forwarding table. Reads a lab whole, or only the namespaces that changed, keeping the rest
 * from earlier reads.
 * One `addr show` per namespace read (see io.ts for how); nsid maps only where a peer needs one
 * (`netns list` costs O(namespaces) inside each namespace, so O(n²) if asked everywhere).
 */
export class Observer {
  private readonly raws = new Map<string, RawNamespace>();
  private names: string[] = [];
  private phaseText = 'idle';
  private phaseStarted = 0;
  /** What the read under way is doing now: said when a read stalls (live-state.ts, SlowReadError). */
  get phase(): string {
    return this.phaseText;
  }
  /** A new part of the read; traced, the last part's time is written (trace.ts). */
  set phase(text: string) {
    if (this.phaseText !== 'idle') traceSpan(`read.${phaseKey(this.phaseText)}`, this.phaseStarted);
    this.phaseText = text;
    this.phaseStarted = performance.now();
  }
  /** When each namespace's forwarding table is read again (fdb-schedule.ts). */
  private readonly fdbSchedule = new ReadSchedule();
  /** Learned-MAC reads an edit did not wait for, their answers for the next read. */
  private readonly leftFdb = new LeftReads<ObservedFdbEntry[]>();
  /**
   * When the sample reads the lab's root's counters with `addr show` (which also finds what raises
   * no event, an IPv6 link-local address on a bridge port) rather than from /proc: at most every
   * 20 times its last cost, and at least every 10 s. A small root every second, as before; one
   * with 1,000 ports (~300 ms) every ~6 s (docs/benchmarks.md, "Edits, session 10").
   */
  private readonly rootAddrSchedule = new ReadSchedule(20, ROOT_ADDR_MAX_GAP_MS);
  /** What the last read returned for each namespace, and from which raw read (see `keepUnchanged`). */
  private readonly returned = new Map<string, { raw: RawNamespace; ns: ObservedNamespace }>();
  /** nsids the root's monitor named since the root's numbering was last read (`learnNsid`). */
  private readonly learnedIds = new Map<string, number | null>();

  constructor(
    private readonly target: Target,
    private readonly io: NamespaceIo,
    /** Told the namespace list before anything is read (the lab closes sessions of namespaces gone). */
    private readonly onList: (names: readonly string[]) => Promise<void> = async () => undefined,
  ) {}

  /** The lab's root's nsid for a namespace (none: the monitor cannot see into it). */
  nsidOf(name: string): number | undefined {
    const learned = this.learnedIds.get(name);
    if (learned !== undefined) return learned ?? undefined;
    return this.raws.get(ROOT)?.ids.get(name);
  }

  /** The namespace the lab's root numbers `nsid` (from `ip monitor all-nsid`), if known. */
  nameOfNsid(nsid: number): string | undefined {
    for (const [name, id] of this.learnedIds) if (id === nsid) return name;
    for (const [name, id] of this.raws.get(ROOT)?.ids ?? [])
      if (id === nsid && !this.learnedIds.has(name)) return name;
    return undefined;
  }

  /**
   * The root's monitor said a namespace got an nsid (or lost it: null), by name (`nsid 7
   * (iproute2 netns name: extra3)`). Known at once to `nameOfNsid`, and folded into the root's
   * numbering by the next read instead of a `netns list`, which opens every namespace (~50 ms at
   * 1,000, once or twice per edit that makes one: docs/benchmarks.md, "Edits, session 12").
   */
  learnNsid(name: string, nsid: number | null): void {
    this.learnedIds.set(name, nsid);
  }

  /**
   * Reads `contexts` (or everything) again. The namespace list is read every time (no spawn), so
   * namespaces that appeared are read and those that went are dropped, whatever was asked.
   */
  async read(
    contexts: 'all' | ReadonlySet<string>,
    owned: ReadonlySet<string>,
    options: ReadOptions = {},
  ): Promise<ObservedState> {
    const previousFdb = new Map([...this.raws].map(([name, raw]) => [name, raw.fdb]));
    const previousFirewall = new Map([...this.raws].map(([name, raw]) => [name, raw.firewall]));
    this.phase = 'listing the namespaces';
    const names = await listNamespaceNames(this.target);
    await this.onList(names);
    const listChanged = names.join('\0') !== this.names.join('\0');
    const listedBefore = this.names;
    this.names = names;
    const present = new Set(names);
    for (const name of [...this.raws.keys()]) if (name !== ROOT && !present.has(name)) this.raws.delete(name);
    const wanted = [ROOT, ...names].filter(
      (name) => contexts === 'all' || contexts.has(name) || !this.raws.has(name),
    );
    const previousRootIds = this.raws.get(ROOT)?.ids;
    // Parts of namespaces first: one that cannot be read in part is read whole with the others.
    this.phase = `reading in part ${[...(options.partial?.keys() ?? [])].slice(0, 5).join(', ')}`;
    const partly = await this.readParts(options, new Set(wanted), present, wanted);
    this.phase = `dumping ${wanted.length} namespaces (${wanted.slice(0, 5).join(', ')})`;
    const fresh = await this.readNamespaces(wanted, previousFirewall);
    this.phase = 'numbering (netns list)';
    const root = this.raws.get(ROOT) as RawNamespace;
    const learned = new Map(this.learnedIds);
    // nsids change only when namespaces come or go (`netns list` opens every namespace: not on
    // every read), and the monitor names those the lab numbers: a new name it has not named (one
    // made by hand without an nsid, or its line still in the pipe) needs the list.
    const unnamed = listChanged && newlyListed(listedBefore, names).some((name) => !learned.has(name));
    if (contexts !== 'all' && !options.refreshIds && previousRootIds && !unnamed)
      root.ids = foldIds(previousRootIds, present, learned);
    else if (names.length > 0) root.ids = toIds((await this.io.query([ROOT], ['netns list'])).get(ROOT)?.[0]);
    // Folded in (or read anew): forget what was learned, unless the monitor said more meanwhile or
    // the namespace is not listed yet (made after this read listed them: the next read folds it).
    for (const [name, id] of learned)
      if (this.learnedIds.get(name) === id && (id === null || present.has(name)))
        this.learnedIds.delete(name);
    // Peers in another named namespace need that namespace's own numbering of the others.
    const needIds = [
      ...fresh.filter(
        (r) =>
          r.name !== ROOT &&
          r.interfaces.some((i) => i.peerRef && !i.peerRef.sameNamespace && !pointsBackFromRoot(root, r, i)),
      ),
      // Read in part: its numbering is still good unless a peer is in a namespace it does not number.
      ...partly.filter((r) => r.name !== ROOT && unnumberedPeer(root, r)),
    ];
    if (needIds.length > 0) {
      this.phase = `numbering of ${needIds.length} namespaces`;
      const lists = await this.io.query(
        needIds.map((r) => r.name),
        ['netns list'],
      );
      for (const r of needIds) r.ids = toIds(lists.get(r.name)?.[0]);
    }
    // Learned MACs change with traffic, not with events: a read for an event keeps the last table.
    const read = [...fresh, ...partly];
    const withBridges = (options.fdb === false ? fresh : read).filter((r) =>
      r.interfaces.some((i) => i.kind === 'bridge'),
    );
    this.phase = 'learned MACs (bridge fdb show)';
    this.leftFdb.keepOnly(new Set([ROOT, ...names]));
    if (options.fdb === false) for (const r of withBridges) r.fdb = previousFdb.get(r.name) ?? [];
    else await mapLimit(withBridges, CONCURRENCY, (r) => this.readLearned(r, previousFdb, options));
    // iptables is not ip: `netns exec` lines in the lab's root (execs in `ip` children: the agent's
    // long-lived readers, or one-shot `ip` processes; not spawns from here) for the namespaces asked, and one `iptables-save` for the lab's root when it is asked.
    const firewallOf = options.firewall ?? 'all';
    this.phase = 'firewalls (iptables-save)';
    let readWalls = read.filter((r) => firewallOf === 'all' || firewallOf.has(r.name));
    if (readWalls.length > 0 && options.leaveFirewalls?.now() === true) {
      options.leaveFirewalls.left(readWalls.map((r) => r.name));
      readWalls = [];
    }
    const walls = await readFirewalls(
      this.target,
      readWalls.map((r) => r.name),
      this.io.firewallBatch,
    );
    for (const r of readWalls) {
      const text = walls.get(r.name);
      if (text === undefined) continue;
      // A new object, not `r` changed in place: a namespace read in part for its firewall alone
      // (an iptables event) is otherwise the very object the last read handed back, and
      // `keepUnchanged` would hand back the old namespace, without the rule.
      const current = this.raws.get(r.name);
      const firewall = parseIptablesSave(text);
      if (current && JSON.stringify(firewall) !== JSON.stringify(current.firewall))
        this.raws.set(r.name, withKeys(current, { firewall }));
    }
    this.phase = 'building the observed state';
    const takenAt = new Date().toISOString();
    const ordered = [ROOT, ...names].flatMap((name) => {
      const raw = this.raws.get(name);
      return raw ? [raw] : [];
    });
    const namespaces = this.keepUnchanged(ordered, owned);
    this.phase = 'idle';
    return { target: describeTarget(this.target), takenAt, namespaces };
  }

  /**
   * A namespace's learned MACs: an answer a read left earlier, or a read when due (the sample's
   * come as often as the last read's cost allows, up to 3 s; put off while an edit runs), not
   * waited for once someone waits behind this read; else the last read's table.
   */
  private async readLearned(
    r: RawNamespace,
    previousFdb: ReadonlyMap<string, ObservedFdbEntry[]>,
    options: ReadOptions,
  ): Promise<void> {
    const kept = () => (r.fdb = previousFdb.get(r.name) ?? []);
    const left = this.leftFdb.takeEnded(r.name);
    if (left) {
      // Its ages are as of its command's end: aged to now, as this read's time dates them.
      r.fdb = agedBy(left.value, (performance.now() - left.ended) / 1000);
      this.fdbSchedule.noteRead(r.name, left.started, left.ended - left.started);
      return;
    }
    const started = performance.now();
    const putOff = options.yieldTo?.() === true && !this.fdbSchedule.overdue(r.name, started);
    const notDue = options.fdb === true && (!this.fdbSchedule.due(r.name, started) || putOff);
    if (notDue || this.leftFdb.running(r.name)) return void kept();
    const leave = benchToggles.learnedMacs === 'leave' ? options.waitedFor : undefined;
    const read = await this.leftFdb.run(r.name, () => readFdb(this.target, r.name), leave);
    if (!read) return void kept();
    r.fdb = read.value;
    this.fdbSchedule.noteRead(r.name, read.started, read.ended - read.started);
  }

  /**
   * Reads these namespaces in part (observe-partial.ts), those not read whole anyway; one that
   * cannot be is added to `whole`. Its session is renewed when links went or were renamed (what it
   * printed may name them by their old names), and it is read whole then; or, with
   * `leaveChangedLinks` (the sample), kept as it was for the read its events ask for.
   */
  private async readParts(
    { partial, yieldTo, leaveChangedLinks = false }: ReadOptions,
    readWhole: ReadonlySet<string>,
    present: ReadonlySet<string>,
    whole: string[],
  ): Promise<RawNamespace[]> {
    const out: RawNamespace[] = [];
    for (const [name, part] of partial ?? []) {
      const raw = this.raws.get(name);
      if (readWhole.has(name) || !raw || (name !== ROOT && !present.has(name))) continue;
      const started = performance.now();
      const countersOnly = part.counters ? this.countersOnly(name, started, yieldTo?.()) : undefined;
      const ask = (commands: readonly string[]) => this.askOne(name, commands);
      const next = await readPartially(raw, part, ask, countersOnly, leaveChangedLinks);
      if (part.counters && name === ROOT && !countersOnly)
        this.rootAddrSchedule.noteRead(ROOT, started, performance.now() - started);
      // Links gone or renamed under its session: what it printed may name them by old names.
      const stale = next !== null && next !== LINKS_CHANGED && this.io.noteLinks(name, next.interfaces);
      if (next === LINKS_CHANGED || (stale && leaveChangedLinks)) {
        // Left as it was, to the read that the events (or the writer's marks) ask for.
        traceSpan('read.leftChanged', started, { name });
        continue;
      }
      if (next === null || stale) {
        whole.push(name);
        continue;
      }
      // Link effects of what was read again (effects/observe.ts), as a dump's are.
      const unread = next.interfaces.filter((i) => i.effects === undefined);
      if (unread.length > 0) await readLinkEffects(this.target, [{ name, interfaces: unread }]);
      const kept = next.routes && keepRouteOrder(raw.routes, next.routes);
      const read = kept === next.routes ? next : withKeys(next, { routes: kept });
      this.raws.set(name, read);
      out.push(read);
    }
    return out;
  }

  /** The lab's root's counters from its holder's /proc when `addr show` is not due (sandboxes only). */
  private countersOnly(name: string, now: number, yielding = false): CountersOnly | undefined {
    const way = benchToggles.rootCounters;
    if (name !== ROOT || this.target.kind !== 'sandbox' || way === 'addr') return undefined;
    const putOff = yielding && !this.rootAddrSchedule.overdue(ROOT, now);
    if (way === 'scheduled' && this.rootAddrSchedule.due(ROOT, now) && !putOff) return undefined;
    const { pid } = this.target.sandbox;
    return () => readNetDev(pid);
  }

  /** One namespace's answers, or null when it could not answer (a name it does not have, say). */
  private async askOne(name: string, commands: readonly string[]): Promise<unknown[] | null> {
    try {
      return (await this.io.query([name], commands)).get(name) ?? null;
    } catch {
      return null;
    }
  }

  /**
   * Hands back the very object the last read returned for a namespace this read did not read again
   * (and whose peers and ownership resolve the same): the live state then compares only what was
   * read (at 1,000 namespaces, a read of two costs two, not a thousand deep comparisons).
   */
  private keepUnchanged(raws: readonly RawNamespace[], owned: ReadonlySet<string>): ObservedNamespace[] {
    const resolver = new PeerResolver(raws, owned, this.target.kind === 'sandbox');
    const out = raws.map((raw) => {
      const was = this.returned.get(raw.name);
      // Asked before anything is built: at 1,000 namespaces a read of two made 1,000 again.
      const kept = was !== undefined && was.raw === raw && resolver.resolvesAs(raw, was.ns) ? was.ns : null;
      const ns = kept ?? resolver.namespace(raw);
      this.returned.set(raw.name, { raw, ns });
      return ns;
    });
    if (this.returned.size > out.length) {
      const here = new Set(out.map((ns) => ns.name));
      for (const name of [...this.returned.keys()]) if (!here.has(name)) this.returned.delete(name);
    }
    return out;
  }
  /**
   * Dumps these namespaces. One whose session turned out to hold stale names (links gone or
   * renamed since its last dump) is dumped once more through a new session: the first dump may
   * name a port's master by a name it no longer has.
   */
  private async readNamespaces(
    wanted: readonly string[],
    previousFirewall: ReadonlyMap<string, ObservedFirewall | undefined>,
  ): Promise<RawNamespace[]> {
    const dump = (names: readonly string[]) =>
      this.io.query(names, ['addr show', 'route show table all', 'netconf show']);
    const dumps = await dump(wanted);
    const stale = wanted.filter((name) => {
      const [links] = dumps.get(name) ?? [];
      return links !== undefined && this.io.noteLinks(name, parseLinks(links));
    });
    if (stale.length > 0) for (const [name, again] of await dump(stale)) dumps.set(name, again);
    const fresh: RawNamespace[] = [];
    for (const name of wanted) {
      // A namespace deleted between listing and reading is simply gone.
      const dumped = dumps.get(name);
      if (!dumped) {
        this.raws.delete(name);
        continue;
      }
      const [links, routes, netconf] = dumped;
      const raw: RawNamespace = {
        name,
        interfaces: parseLinks(links ?? []),
        // The root's numbering stays until it is read again (after this dump): an event that comes
        // meanwhile must still find its namespace by nsid (nameOfNsid), or it is taken for a new one.
        ids: name === ROOT ? (this.raws.get(ROOT)?.ids ?? new Map()) : new Map(),
        fdb: [],
        routes: keepRouteOrder(this.raws.get(name)?.routes, parseRoutes(routes ?? [])),
        forwarding: parseForwarding(netconf ?? []),
        firewall: previousFirewall.get(name),
      };
      if (stale.includes(name)) this.io.noteLinks(name, raw.interfaces);
      fresh.push(raw);
      this.raws.set(name, raw);
    }
    this.phase = 'link effects (tc, netcanvas-fx)';
    await readLinkEffects(this.target, fresh);
    return fresh;
  }
}

/** A read's part for its trace: the first word of what it says it does (the peers' numbering apart). */
function phaseKey(text: string): string {
  if (text.startsWith('numbering of')) return 'peer-numbering';
  if (text.startsWith('reading the ownership')) return 'owned';
  if (text.startsWith('reading in part')) return 'partial';
  return text.split(' ')[0] ?? text;
}

/** A veth whose peer is in a namespace this one's numbering (its `ids`) does not have. */
function unnumberedPeer(root: RawNamespace, ns: RawNamespace): boolean {
  const numbered = new Set(ns.ids.values());
  return ns.interfaces.some(
    (i) =>
      i.peerRef !== null &&
      !i.peerRef.sameNamespace &&
      !pointsBackFromRoot(root, ns, i) &&
      (i.peerRef.nsid === null || !numbered.has(i.peerRef.nsid)),
  );
}

/** A namespace's interfaces by ifindex, made once per read of it (the root has 1,000 at scale). */
const indexes = new WeakMap<RawNamespace, Map<number, ParsedInterface>>();
function byIfindex(raw: RawNamespace): Map<number, ParsedInterface> {
  let index = indexes.get(raw);
  if (!index) {
    index = new Map(raw.interfaces.map((i) => [i.ifindex, i]));
    indexes.set(raw, index);
  }
  return index;
}

/**
 * A namespace's numbering turned around (nsid → name), made once per numbering: the lab's root
 * numbers every namespace, and searching its list for each of its 1,000 ports' peers made every
 * read quadratic (docs/benchmarks.md, "Reading what changed").
 */
const reversed = new WeakMap<ReadonlyMap<string, number>, Map<number, string>>();
function nameOfId(raw: RawNamespace): Map<number, string> {
  let index = reversed.get(raw.ids);
  if (!index) {
    index = new Map();
    // A namespace may number itself too: a peer is always elsewhere.
    for (const [name, id] of raw.ids) if (name !== raw.name) index.set(id, name);
    reversed.set(raw.ids, index);
  }
  return index;
}

/** True when the root has the veth this interface points at, and it points back here. */
function pointsBackFromRoot(root: RawNamespace, ns: RawNamespace, iface: ParsedInterface): boolean {
  const ref = iface.peerRef;
  if (!ref || ref.sameNamespace) return false;
  const rootIdOfNs = root.ids.get(ns.name);
  const back = byIfindex(root).get(ref.ifindex);
  return (
    back?.peerRef !== null &&
    back?.peerRef !== undefined &&
    !back.peerRef.sameNamespace &&
    back.peerRef.nsid === rootIdOfNs &&
    back.peerRef.ifindex === iface.ifindex
  );
}

/**
 * Turns each veth's (nsid, ifindex) into (namespace name, interface name). An nsid is local to the
 * namespace that reports it, so each namespace's own `netns list` is the dictionary. The lab's
 * root has no name in /run/netns; a peer there is recognised by the root's veth pointing back.
 */
export function resolvePeers(
  raws: RawNamespace[],
  owned: ReadonlySet<string>,
  rootIsLabs: boolean,
): ObservedNamespace[] {
  const resolver = new PeerResolver(raws, owned, rootIsLabs);
  return raws.map((ns) => resolver.namespace(ns));
}

/** Each raw interface's observed one, as last made (`PeerResolver.interfaceOf`). */
const builtFrom = new WeakMap<ParsedInterface, ObservedInterface>();

/** The peers of one read's namespaces (`resolvePeers`), one namespace at a time. */
class PeerResolver {
  private readonly byName: Map<string, RawNamespace>;
  private readonly root: RawNamespace | undefined;

  constructor(
    raws: readonly RawNamespace[],
    private readonly owned: ReadonlySet<string>,
    private readonly rootIsLabs: boolean,
  ) {
    this.byName = new Map(raws.map((r) => [r.name, r]));
    this.root = this.byName.get(ROOT);
  }

  managed(ns: RawNamespace): boolean {
    // The root is the lab's own in a sandbox; on the host it is the machine's.
    return ns.name === ROOT ? this.rootIsLabs : this.owned.has(ns.name);
  }

  namespace(ns: RawNamespace): ObservedNamespace {
    return {
      name: ns.name,
      managed: this.managed(ns),
      interfaces: ns.interfaces.map((iface) => this.interfaceOf(ns, iface)),
      fdb: ns.fdb,
      ...(ns.forwarding !== undefined ? { forwarding: ns.forwarding } : {}),
      ...(ns.routes !== undefined ? { routes: ns.routes } : {}),
      ...(ns.firewall !== undefined ? { firewall: ns.firewall } : {}),
    };
  }

  /**
   * The interface as observed: the very object made from this raw interface before when its peer
   * resolves the same and its effects were not read since (the one field a read fills in later).
   * A read of one port of a root with 1,000 keeps the others' raw interfaces; handing back their
   * observed ones too lets the diff skip them (`diffInterfaces`) instead of comparing 1,000.
   */
  private interfaceOf(ns: RawNamespace, iface: ParsedInterface): ObservedInterface {
    const peer = this.peerOf(ns, iface);
    const was = builtFrom.get(iface);
    if (was && was.effects === iface.effects && samePeer(was.peer, peer)) return was;
    const { peerRef: _ref, ...rest } = iface;
    const built: ObservedInterface = withKeys(rest, { peer });
    builtFrom.set(iface, built);
    return built;
  }

  /** Whether `was`, made from this very raw read, still resolves the same: nothing built to ask. */
  resolvesAs(ns: RawNamespace, was: ObservedNamespace): boolean {
    if (was.managed !== this.managed(ns) || was.interfaces.length !== ns.interfaces.length) return false;
    return ns.interfaces.every((iface, k) =>
      samePeer(this.peerOf(ns, iface), was.interfaces[k]?.peer ?? null),
    );
  }

  private peerOf(ns: RawNamespace, iface: ParsedInterface): ObservedPeer | null {
    const ref = iface.peerRef;
    if (ref === null) return null;
    let peerNs: string | null = null;
    if (ref.sameNamespace) peerNs = ns.name;
    else if (this.root && ns.name !== ROOT && pointsBackFromRoot(this.root, ns, iface)) peerNs = ROOT;
    else if (ref.nsid !== null) peerNs = nameOfId(ns).get(ref.nsid) ?? null;
    const peerRaw = peerNs === null ? undefined : this.byName.get(peerNs);
    const peerIface = peerRaw ? byIfindex(peerRaw).get(ref.ifindex) : undefined;
    return { namespace: peerIface ? peerNs : null, ifindex: ref.ifindex, ifname: peerIface?.ifname ?? null };
  }
}

const samePeer = (p: ObservedPeer | null, q: ObservedPeer | null): boolean =>
  p === q ||
  (p !== null &&
    q !== null &&
    p.namespace === q.namespace &&
    p.ifname === q.ifname &&
    p.ifindex === q.ifindex);
