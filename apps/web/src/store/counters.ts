import {
  firewallCounters,
  POLICY_INDEX,
  ruleCounterKey,
  ruleCounterNamespace,
  type ObservedState,
  type RuleCounterTuple,
} from '@netcanvas/model';
import { create } from 'zustand';

/**
 * Live firewall counters (packets and bytes per rule and per chain policy), apart from the document
 * and the observed state, like the rates (so a counter never re-renders the graph): the agent sends only the
 * ones that moved, about once a second; each rule row and each card badge reads its own entry with
 * a selector. A counter that rose "lights up" for FLASH_MS (the picture and the card say so in words).
 *
 * Keys are the model's `ruleCounterKey` (the agent's too): namespace, table, chain, and the rule's
 * index among its chain's rules in the kernel (managed or not); -1 is the chain's policy.
 */
export const FLASH_MS = 3000;

export interface RuleCounter {
  packets: number;
  bytes: number;
  /** How much `packets` rose the last time it moved. */
  delta: number;
  /** Rose within the last FLASH_MS. */
  lit: boolean;
  /** The rule's arguments when this was counted: a counter that now belongs to another rule (rules shifted) does not light up. */
  sig: string;
}

interface CountersState {
  counters: ReadonlyMap<string, RuleCounter>;
  /** Namespaces where a rule's counter rose within the last FLASH_MS. */
  hot: ReadonlySet<string>;
  at: string | null;
}

export const useCounters = create<CountersState>(() => ({ counters: new Map(), hot: new Set(), at: null }));

type Ns = ObservedState['namespaces'][number];

/** The arguments of rule `index` of a chain, as a signature (or "policy"). */
const signature = (ns: Ns | undefined, table: string, chain: string, index: number): string =>
  index === POLICY_INDEX
    ? 'policy'
    : (firewallCounters(ns?.firewall ?? { chains: [], rules: [] }).find(
        (c) => c.table === table && c.chain === chain && c.index === index,
      )?.signature ?? '');

const unlight = new Map<string, ReturnType<typeof setTimeout>>();
const cool = new Map<string, ReturnType<typeof setTimeout>>();

export const countersActions = {
  /** The full counters, as the welcome's observed state has them: nothing lights up. */
  seed(observed: ObservedState): void {
    const counters = new Map<string, RuleCounter>();
    for (const ns of observed.namespaces)
      for (const c of ns.firewall ? firewallCounters(ns.firewall) : [])
        counters.set(ruleCounterKey(ns.name, c.table, c.chain, c.index), {
          packets: c.packets,
          bytes: c.bytes,
          delta: 0,
          lit: false,
          sig: c.signature,
        });
    useCounters.setState({ counters, hot: new Set() });
  },

  /** Counters that moved (the `ruleCounters` message), read against the observed state of now. */
  apply(tuples: readonly RuleCounterTuple[], at: string, observed: ObservedState | null): void {
    const counters = new Map(useCounters.getState().counters);
    const hot = new Set(useCounters.getState().hot);
    const byName = new Map((observed?.namespaces ?? []).map((n) => [n.name, n]));
    for (const [ns, table, chain, index, packets, bytes] of tuples) {
      const key = ruleCounterKey(ns, table, chain, index);
      const before = counters.get(key);
      const sig = signature(byName.get(ns), table, chain, index);
      // The agent sends a rule it had not counted before only once packets hit it: that lights up
      // too. A counter that now belongs to another rule (the chain's rules shifted) does not.
      const rose =
        before === undefined ? index >= 0 && packets > 0 : before.sig === sig && packets > before.packets;
      const lit = rose;
      counters.set(key, { packets, bytes, delta: rose ? packets - (before?.packets ?? 0) : 0, lit, sig });
      if (lit) {
        const old = unlight.get(key);
        if (old) clearTimeout(old);
        unlight.set(
          key,
          setTimeout(() => {
            unlight.delete(key);
            const entry = useCounters.getState().counters.get(key);
            if (!entry?.lit) return;
            const next = new Map(useCounters.getState().counters);
            next.set(key, { ...entry, lit: false });
            useCounters.setState({ counters: next });
          }, FLASH_MS),
        );
        if (index >= 0) {
          hot.add(ns);
          const was = cool.get(ns);
          if (was) clearTimeout(was);
          cool.set(
            ns,
            setTimeout(() => {
              cool.delete(ns);
              const next = new Set(useCounters.getState().hot);
              next.delete(ns);
              useCounters.setState({ hot: next });
            }, FLASH_MS),
          );
        }
      }
    }
    useCounters.setState({ counters, hot, at });
  },

  /**
   * A namespace's structure changed: forget counters of rules that are gone (the agent sends no
   * counter for a new rule still at zero, so a stale one at the same index must not stay).
   */
  prune(observed: ObservedState, names: readonly string[]): void {
    const current = useCounters.getState().counters;
    const wanted = new Set(names);
    const alive = new Set<string>();
    for (const ns of observed.namespaces)
      if (wanted.has(ns.name) && ns.firewall)
        for (const c of firewallCounters(ns.firewall))
          alive.add(ruleCounterKey(ns.name, c.table, c.chain, c.index));
    let changed = false;
    const next = new Map(current);
    for (const key of current.keys()) {
      if (wanted.has(ruleCounterNamespace(key)) && !alive.has(key)) {
        next.delete(key);
        changed = true;
      }
    }
    if (changed) useCounters.setState({ counters: next });
  },

  clear(): void {
    useCounters.setState({ counters: new Map(), hot: new Set(), at: null });
  },
};

/** One rule's (or policy's) counter; re-renders the caller only when that entry changes. */
export const useRuleCounter = (
  ns: string,
  table: string,
  chain: string,
  index: number,
): RuleCounter | undefined => useCounters((s) => s.counters.get(ruleCounterKey(ns, table, chain, index)));

/** Whether a rule's counter rose in this namespace within the last seconds (the card's badge). */
export const useFirewallHot = (ns: string): boolean => useCounters((s) => s.hot.has(ns));
