import type { EdgeState } from '../adapters/types';

/** A veth's line by its state, in the DOM's edges and in the overview alike (colour never alone: drift and unmanaged are dashed too). */
export const EDGE_STROKE: Record<EdgeState, { stroke: string; dash?: [number, number] }> = {
  up: { stroke: '#059669' },
  down: { stroke: '#94a3b8' },
  drift: { stroke: '#d97706', dash: [8, 6] },
  unmanaged: { stroke: '#64748b', dash: [2, 5] },
};

/** The selected element's colour (Tailwind's sky-700 / sky-600). */
export const SELECTED_STROKE = '#0369a1';
export const SELECTED_OUTLINE = '#0284c7';
