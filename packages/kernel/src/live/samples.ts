import {
  ROOT,
  diffObserved,
  type FdbAgeTuple,
  type ObservedNamespace,
  type ObservedState,
  type RateTuple,
} from '@netcanvas/model';

/**
 * Pure helpers that turn successive observed states into what clients need besides patches
 * (those, and the rule counters, are the model's wire algebra: `diffObserved`,
 * `changedRuleCounters`): which contexts to read, compact rates from the counters, and learned
 * MACs' ages when traffic refreshed them.
 */

/**
 * `diffObserved`, leaving out the namespaces a read kept as they were (the same object: the
 * observer hands back what it did not read, or read to the same, unchanged): at 1,000 namespaces a
 * read of two compares two. The whole diff when the list of namespaces changed.
 */
export function diffChanged(
  previous: ObservedState | null,
  next: ObservedState,
): ReturnType<typeof diffObserved> {
  const before = previous?.namespaces ?? [];
  const after = next.namespaces;
  if (!previous || before.length !== after.length || before.some((ns, i) => ns.name !== after[i]?.name))
    return diffObserved(previous, next);
  const changed = after.flatMap((ns, i) => (ns === before[i] ? [] : [i]));
  return diffObserved(
    { ...previous, namespaces: changed.map((i) => before[i] as ObservedNamespace) },
    { ...next, namespaces: changed.map((i) => after[i] as ObservedNamespace) },
  );
}

/**
 * Namespaces whose firewall is worth sampling: rules, or a policy that drops. On the host the
 * root is the machine's, whose rules (a container runtime's, thousands maybe) are not read every
 * second unless the lab has rules of its own there; the whole read every tenth second still does.
 */
export function firewallContexts(state: ObservedState): Set<string> {
  const machines = (ns: ObservedNamespace) => state.target.kind === 'host' && ns.name === ROOT;
  return new Set(
    state.namespaces
      .filter((ns) =>
        machines(ns)
          ? (ns.firewall?.rules ?? []).some((r) => r.managed)
          : (ns.firewall?.rules.length ?? 0) > 0 || ns.firewall?.chains.some((c) => c.policy === 'DROP'),
      )
      .map((ns) => ns.name),
  );
}

export interface CounterSample {
  at: number;
  /** "namespace\0ifname" → [rxBytes, txBytes, rxPackets, txPackets] */
  counters: Map<string, [number, number, number, number]>;
}

/**
 * Counters of every interface. A veth end whose peer is in the lab's root takes its peer's
 * counters, crossed (what one end sends the other receives): the once-a-second sample then needs
 * to read only the root for such links, however many namespaces hang off it.
 */
export function sampleCounters(state: ObservedState, at: number): CounterSample {
  const counters = new Map<string, [number, number, number, number]>();
  const root = state.namespaces.find((ns) => ns.name === ROOT);
  const rootByName = new Map((root?.interfaces ?? []).map((i) => [i.ifname, i]));
  for (const ns of state.namespaces)
    for (const i of ns.interfaces) {
      const key = `${ns.name}\0${i.ifname}`;
      const mirrored = ns.name !== ROOT && i.peer?.namespace === ROOT && i.peer.ifname;
      const peer = mirrored ? rootByName.get(i.peer?.ifname ?? '') : undefined;
      if (peer?.stats)
        counters.set(key, [
          peer.stats.txBytes,
          peer.stats.rxBytes,
          peer.stats.txPackets,
          peer.stats.rxPackets,
        ]);
      else if (i.stats)
        counters.set(key, [i.stats.rxBytes, i.stats.txBytes, i.stats.rxPackets, i.stats.txPackets]);
    }
  return { at, counters };
}

/**
 * What the once-a-second sample must read: the root, namespaces the monitor cannot see into (no
 * nsid in the root: made by hand), and namespaces with interfaces whose counters are not mirrored
 * in the root. Everything else is kept current by events.
 */
export function sampleContexts(state: ObservedState, hasNsid: (name: string) => boolean): Set<string> {
  const out = new Set<string>([ROOT]);
  for (const ns of state.namespaces) {
    if (ns.name === ROOT) continue;
    const unmirrored = ns.interfaces.some((i) => i.ifname !== 'lo' && i.peer?.namespace !== ROOT);
    if (!hasNsid(ns.name) || unmirrored) out.add(ns.name);
  }
  return out;
}

/**
 * Per-interface rates between two samples; only those that moved from what was last sent (`sent`
 * is updated), so a quiet lab sends nothing and a busy one sends a few bytes per interface. A
 * steady rate is not sent again for the jitter of the sample's own timing: a rate moves when one
 * of its four figures moved by more than `RATE_TOLERANCE` of itself, or to or from zero. With 200
 * namespaces pinging, every interface's figures moved by a unit or two each second, and each
 * `rates` message resent them all (24 KiB/s to a client; docs/benchmarks.md, session 19).
 */
export const RATE_TOLERANCE = 0.05;

const moved = (was: readonly number[], now: readonly number[]): boolean =>
  now.some((v, k) => {
    const w = was[k] as number;
    return w === 0 || v === 0 ? v !== w : Math.abs(v - w) > RATE_TOLERANCE * Math.max(v, w);
  });

export function changedRates(
  previous: CounterSample,
  next: CounterSample,
  sent: Map<string, readonly number[]>,
): RateTuple[] {
  const seconds = (next.at - previous.at) / 1000;
  if (seconds <= 0) return [];
  const out: RateTuple[] = [];
  for (const [key, now] of next.counters) {
    const before = previous.counters.get(key);
    if (!before) continue;
    // A counter that went backwards belongs to a new interface of the same name: no rate yet.
    const rate = now.map((v, k) => Math.max(0, Math.round((v - (before[k] as number)) / seconds))) as [
      number,
      number,
      number,
      number,
    ];
    const was = sent.get(key);
    if (was ? !moved(was, rate) : rate.every((v) => v === 0)) continue;
    sent.set(key, rate);
    const [ns, ifname] = key.split('\0') as [string, string];
    out.push([ns, ifname, ...rate]);
  }
  // An interface gone (deleted, renamed, its namespace deleted by hand) moves nothing any more:
  // a last rate of zero, or clients keep drawing the one sent before it went.
  for (const [key, was] of [...sent]) {
    if (next.counters.has(key)) continue;
    sent.delete(key);
    if (was.every((v) => v === 0)) continue;
    const [ns, ifname] = key.split('\0') as [string, string];
    out.push([ns, ifname, 0, 0, 0, 0]);
  }
  return out;
}

/**
 * The kernel gives a learned MAC's age in whole seconds, so the moment it was last refreshed,
 * worked out from two reads of an untouched entry, differs by up to a second (and a read's own
 * duration): only a move beyond this is traffic refreshing it.
 */
const REFRESH_SLACK_MS = 1500;

const fdbKey = (ns: string, e: { bridge: string; port: string; mac: string; vlan: number | null }) =>
  `${ns}\0${e.bridge}\0${e.port}\0${e.mac}\0${e.vlan ?? ''}`;

/**
 * Learned MACs whose age moved other than by the passing of time: new ones, and those traffic
 * refreshed since the age last sent (`sent`: key → when the entry was last refreshed, ms; kept up
 * to date here). A client counts an age up by itself between two of these, so a quiet bridge
 * sends nothing and a busy one a few bytes per MAC, never whole namespaces.
 *
 * A table this read did not read again (the observer keeps the last one, the same array, when its
 * read is not due or the namespace was not read) holds ages as of its own read, not as of
 * `state.takenAt`: taken as of takenAt it looked refreshed by however long ago it was read, and
 * sent the old age as new (a page's MAC age dropped back, to 0 if the table was read just after a
 * frame: bridge.spec @timed under load). Such a table is skipped (`previous`: the state before).
 */
export function changedFdbAges(
  state: ObservedState,
  sent: Map<string, number>,
  previous: ObservedState | null = null,
): FdbAgeTuple[] {
  const at = Date.parse(state.takenAt);
  const out: FdbAgeTuple[] = [];
  const seen = new Set<string>();
  const kept = new Map(previous?.namespaces.map((ns) => [ns.name, ns.fdb]));
  for (const ns of state.namespaces)
    for (const e of ns.fdb) {
      if (!e.learned || e.ageSeconds === null) continue;
      const key = fdbKey(ns.name, e);
      seen.add(key);
      if (kept.get(ns.name) === ns.fdb && sent.has(key)) continue;
      const refreshed = at - e.ageSeconds * 1000;
      const before = sent.get(key);
      if (before !== undefined && Math.abs(refreshed - before) <= REFRESH_SLACK_MS) continue;
      sent.set(key, refreshed);
      out.push([ns.name, e.bridge, e.port, e.mac, e.vlan, e.ageSeconds]);
    }
  for (const key of [...sent.keys()]) if (!seen.has(key)) sent.delete(key);
  return out;
}
