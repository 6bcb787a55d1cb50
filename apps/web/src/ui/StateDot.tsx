import type { LinkState } from '../adapters/status';

const COLOURS: Record<LinkState, string> = {
  up: 'bg-emerald-500',
  down: 'bg-slate-400',
  nocarrier: 'bg-amber-500',
  missing: 'bg-white ring-2 ring-inset ring-amber-500',
};

/** A colour dot; always next to a word, never alone (colour-blind viewers). */
export function StateDot({ state, drift = false }: { state: LinkState; drift?: boolean }) {
  const colour = drift && state === 'up' ? 'bg-amber-500' : COLOURS[state];
  return <span aria-hidden className={`inline-block size-2.5 shrink-0 rounded-full ${colour}`} />;
}
