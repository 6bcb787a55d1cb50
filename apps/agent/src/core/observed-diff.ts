import {
  ROOT_CONTEXT,
  type FdbAgeTuple,
  type ObservedNamespace,
  type ObservedPatch,
  type ObservedState,
  type RateTuple,
  type RuleCounterTuple,
} from '@netcanvas/model';

/**
 * Pure helpers that turn successive observed states into what clients need: patches when
 * structure changes (links, addresses, flags, peers, STP states, learned MACs), and compact rates
 * from the counters. Counters and fdb ages move every second; they are kept out of patches (a
 * learned MAC's age travels apart, in `fdbAges`, only when traffic refreshed it).
 */

/** A namespace as patches carry it: no counters, no fdb ages. */
export function withoutCounters(ns: ObservedNamespace): ObservedNamespace {
  return {
    ...ns,
    interfaces: ns.interfaces.map((i) => ({ ...i, stats: null })),
    fdb: ns.fdb.map((e) => ({ ...e, ageSeconds: null })),
    ...(ns.firewall
      ? {
          firewall: {
            chains: ns.firewall.chains.map((c) => ({ ...c, packets: 0, bytes: 0 })),
            rules: ns.firewall.rules.map((r) => ({ ...r, packets: 0, bytes: 0 })),
          },
        }
      : {}),
  };
}

/** The firewall counters of a state, keyed by namespace, table, chain and index (-1: policy). */
function firewallCounters(state: ObservedState): Map<string, [number, number]> {
  const out = new Map<string, [number, number]>();
  for (const ns of state.namespaces) {
    const fw = ns.firewall;
    if (!fw) continue;
    for (const c of fw.chains) out.set(`${ns.name}\0${c.table}\0${c.name}\0-1`, [c.packets, c.bytes]);
    const index = new Map<string, number>();
    for (const r of fw.rules) {
      const k = `${r.table}\0${r.chain}`;
      const i = index.get(k) ?? 0;
      index.set(k, i + 1);
      out.set(`${ns.name}\0${k}\0${i}`, [r.packets, r.bytes]);
    }
  }
  return out;
}

/** Firewall counters that differ from the previous state's (a rule that saw packets "lights up"). */
export function changedRuleCounters(previous: ObservedState | null, next: ObservedState): RuleCounterTuple[] {
  const before = previous ? firewallCounters(previous) : new Map<string, [number, number]>();
  const out: RuleCounterTuple[] = [];
  for (const [key, [packets, bytes]] of firewallCounters(next)) {
    const was = before.get(key);
    if (was && was[0] === packets && was[1] === bytes) continue;
    if (!was && packets === 0) continue;
    const [ns, table, chain, index] = key.split('\0') as [string, string, string, string];
    out.push([ns, table, chain, Number(index), packets, bytes]);
  }
  return out;
}

/**
 * Namespaces whose firewall is worth sampling: rules, or a policy that drops. On the host the
 * root is the machine's, whose rules (a container runtime's, thousands maybe) are not read every
 * second unless the lab has rules of its own there; the whole read every tenth second still does.
 */
export function firewallContexts(state: ObservedState): Set<string> {
  const machines = (ns: ObservedNamespace) => state.target.kind === 'host' && ns.name === ROOT_CONTEXT;
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

export function diffObserved(previous: ObservedState | null, next: ObservedState): ObservedPatch[] {
  const before = new Map(
    (previous?.namespaces ?? []).map((ns) => [ns.name, JSON.stringify(withoutCounters(ns))]),
  );
  const patches: ObservedPatch[] = [];
  for (const ns of next.namespaces) {
    const stripped = withoutCounters(ns);
    if (before.get(ns.name) !== JSON.stringify(stripped))
      patches.push({ op: 'namespace', namespace: stripped });
    before.delete(ns.name);
  }
  for (const name of before.keys()) patches.push({ op: 'removeNamespace', name });
  return patches;
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
  const root = state.namespaces.find((ns) => ns.name === ROOT_CONTEXT);
  const rootByName = new Map((root?.interfaces ?? []).map((i) => [i.ifname, i]));
  for (const ns of state.namespaces)
    for (const i of ns.interfaces) {
      const key = `${ns.name}\0${i.ifname}`;
      const mirrored = ns.name !== ROOT_CONTEXT && i.peer?.namespace === ROOT_CONTEXT && i.peer.ifname;
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
  const out = new Set<string>([ROOT_CONTEXT]);
  for (const ns of state.namespaces) {
    if (ns.name === ROOT_CONTEXT) continue;
    const unmirrored = ns.interfaces.some((i) => i.ifname !== 'lo' && i.peer?.namespace !== ROOT_CONTEXT);
    if (!hasNsid(ns.name) || unmirrored) out.add(ns.name);
  }
  return out;
}

/**
 * Per-interface rates between two samples; only those that differ from what was last sent
 * (`sent` is updated), so a quiet lab sends nothing and a busy one sends a few bytes per interface.
 */
export function changedRates(
  previous: CounterSample,
  next: CounterSample,
  sent: Map<string, string>,
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
    const text = rate.join(',');
    if (sent.get(key) === text || (!sent.has(key) && text === '0,0,0,0')) continue;
    sent.set(key, text);
    const [ns, ifname] = key.split('\0') as [string, string];
    out.push([ns, ifname, ...rate]);
  }
  for (const key of [...sent.keys()]) if (!next.counters.has(key)) sent.delete(key);
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
 */
export function changedFdbAges(state: ObservedState, sent: Map<string, number>): FdbAgeTuple[] {
  const at = Date.parse(state.takenAt);
  const out: FdbAgeTuple[] = [];
  const seen = new Set<string>();
  for (const ns of state.namespaces)
    for (const e of ns.fdb) {
      if (!e.learned || e.ageSeconds === null) continue;
      const key = fdbKey(ns.name, e);
      seen.add(key);
      const refreshed = at - e.ageSeconds * 1000;
      const before = sent.get(key);
      if (before !== undefined && Math.abs(refreshed - before) <= REFRESH_SLACK_MS) continue;
      sent.set(key, refreshed);
      out.push([ns.name, e.bridge, e.port, e.mac, e.vlan, e.ageSeconds]);
    }
  for (const key of [...sent.keys()]) if (!seen.has(key)) sent.delete(key);
  return out;
}
