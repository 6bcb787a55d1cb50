import type { FdbAgeTuple, ObservedState } from '@netcanvas/model';
import { create } from 'zustand';

/**
 * When each learned MAC was last refreshed by traffic, on this page's clock (ms since epoch), apart
 * from the observed state like the rates: patches carry no ages (they would change every second);
 * the welcome's observed state has them all, and `fdbAges` only those traffic refreshed since. An
 * age on screen is "now" minus this, so it counts up by itself between two messages.
 *
 * The page's clock, not the agent's: a viewer on another machine may be minutes off. An age is
 * taken as of the moment its message arrived (a message is milliseconds old, a read at most one).
 */
export const fdbKey = (ns: string, bridge: string, port: string, mac: string, vlan: number | null): string =>
  `${ns}\u0000${bridge}\u0000${port}\u0000${mac}\u0000${vlan ?? ''}`;

interface FdbAgesState {
  refreshedAt: ReadonlyMap<string, number>;
}

export const useFdbAges = create<FdbAgesState>(() => ({ refreshedAt: new Map() }));

export const fdbAgesActions = {
  /** Every learned MAC of a welcome's state (it replaces whatever an older connection said). */
  seed(observed: ObservedState, now = Date.now()): void {
    const refreshedAt = new Map<string, number>();
    for (const ns of observed.namespaces)
      for (const e of ns.fdb)
        if (e.learned && e.ageSeconds !== null)
          refreshedAt.set(fdbKey(ns.name, e.bridge, e.port, e.mac, e.vlan), now - e.ageSeconds * 1000);
    useFdbAges.setState({ refreshedAt });
  },
  apply(ages: readonly FdbAgeTuple[], now = Date.now()): void {
    const refreshedAt = new Map(useFdbAges.getState().refreshedAt);
    for (const [ns, bridge, port, mac, vlan, age] of ages)
      refreshedAt.set(fdbKey(ns, bridge, port, mac, vlan), now - age * 1000);
    useFdbAges.setState({ refreshedAt });
  },
  /** Drops entries the observed state no longer has (a MAC aged out, a bridge gone). */
  prune(observed: ObservedState): void {
    const current = useFdbAges.getState().refreshedAt;
    const kept = new Set(
      observed.namespaces.flatMap((ns) =>
        ns.fdb.map((e) => fdbKey(ns.name, e.bridge, e.port, e.mac, e.vlan)),
      ),
    );
    if ([...current.keys()].every((k) => kept.has(k))) return;
    useFdbAges.setState({ refreshedAt: new Map([...current].filter(([k]) => kept.has(k))) });
  },
};

/** Whole seconds since `refreshedAt`, never below zero (the page's clock may tick a little behind). */
export const ageSeconds = (refreshedAt: number, now: number): number =>
  Math.max(0, Math.floor((now - refreshedAt) / 1000));
