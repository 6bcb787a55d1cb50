import type { LinkState } from '../adapters/status';
import type { EdgeState } from '../adapters/types';
import { EDGE_STROKE } from '../canvas/edge-look';

/**
 * The exported picture's colours: the canvas's (Tailwind's palette), on white for print, and no
 * text lighter than slate-500 (4.8:1 on white: still legible once projected or photocopied).
 */
export const INK = {
  text: '#0f172a',
  body: '#334155',
  muted: '#475569',
  faint: '#64748b',
  line: '#cbd5e1',
  frameRoot: '#f1f5f9',
  tag: '#f1f5f9',
  amber: '#fbbf24',
  amberBack: '#fffbeb',
  amberTag: '#fef3c7',
  amberText: '#92400e',
  indigoBack: '#eef2ff',
  indigoLine: '#a5b4fc',
  indigoPort: '#c7d2fe',
  indigoTag: '#e0e7ff',
  indigoText: '#3730a3',
  indigoName: '#1e1b4b',
  skyTag: '#f0f9ff',
  skyLine: '#bae6fd',
  skyText: '#075985',
  traffic: '#065f46',
  warning: '#b91c1c',
} as const;

/** A state dot, as the canvas's StateDot colours it (a word beside it always says the state). */
export function dotLook(state: LinkState, drift: boolean): { fill: string; stroke?: string } {
  if (drift && state === 'up') return { fill: '#f59e0b' };
  if (state === 'up') return { fill: '#10b981' };
  if (state === 'nocarrier') return { fill: '#f59e0b' };
  if (state === 'missing') return { fill: '#ffffff', stroke: '#f59e0b' };
  return { fill: '#94a3b8' };
}

/**
 * A veth's line. With live figures, coloured by its state as on the canvas; without, one quiet
 * colour (a diagram of the topology says nothing about up or down), except that a veth made by
 * hand stays dotted: that it is outside the document is part of the picture.
 */
export function lineLook(state: EdgeState, figures: boolean): { stroke: string; dash?: string } {
  const look = figures
    ? EDGE_STROKE[state]
    : state === 'unmanaged'
      ? EDGE_STROKE.unmanaged
      : { stroke: '#475569' };
  return { stroke: look.stroke, ...(look.dash && { dash: look.dash.join(' ') }) };
}
