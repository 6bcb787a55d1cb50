import type { RateTuple } from '@netcanvas/model';
import { create } from 'zustand';

/**
 * Live rates, apart from the document and the observed state (so a rate never re-renders the graph): the
 * agent sends only the rates that changed, about once a second, and each edge or inspector reads
 * its own entry with a selector, so an update re-renders what changed and nothing else.
 */
export interface Rate {
  rxBps: number;
  txBps: number;
  rxPps: number;
  txPps: number;
}

interface RatesState {
  rates: ReadonlyMap<string, Rate>;
  at: string | null;
}

export const rateKey = (context: string, ifname: string): string => `${context}\u0000${ifname}`;

export const useRates = create<RatesState>(() => ({ rates: new Map(), at: null }));

export const ratesActions = {
  apply(tuples: readonly RateTuple[], at: string): void {
    const rates = new Map(useRates.getState().rates);
    for (const [ns, ifname, rxBps, txBps, rxPps, txPps] of tuples)
      rates.set(rateKey(ns, ifname), { rxBps, txBps, rxPps, txPps });
    useRates.setState({ rates, at });
  },
  clear(): void {
    useRates.setState({ rates: new Map(), at: null });
  },
};

/** One interface's rate; re-renders the caller only when that entry changes. */
export const useRate = (context: string | null, ifname: string): Rate | undefined =>
  useRates((s) => (context === null ? undefined : s.rates.get(rateKey(context, ifname))));
