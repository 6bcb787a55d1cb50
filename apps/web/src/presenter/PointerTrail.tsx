import { useStore } from '@xyflow/react';
import { useEffect } from 'react';
import { toScreen } from './frame-view';
import { presenterActions, TRAIL_MS, usePresenter } from './presenter-store';

/**
 * The laser pointer: a red dot where the lead points (flow coordinates, so it sits on the same
 * card at any zoom) and a short trail of where it just was, over the canvas, never catching a
 * click.
 */
export function PointerTrail({ at }: { at: { x: number; y: number } | null }) {
  const transform = useStore((s) => s.transform);
  const trail = usePresenter((s) => s.trail);
  // The trail goes when the pointer rests.
  useEffect(() => {
    if (trail.length < 2) return;
    const timer = setTimeout(() => presenterActions.rested(), TRAIL_MS);
    return () => clearTimeout(timer);
  }, [trail]);
  if (at === null) return null;
  const points = trail.map((o) => toScreen(transform, o));
  const dot = toScreen(transform, at);
  return (
    <svg aria-hidden className="pointer-events-none absolute inset-0 z-10 h-full w-full overflow-visible">
      {points.length > 1 && (
        <polyline
          points={points.map((p) => `${p.x},${p.y}`).join(' ')}
          fill="none"
          stroke="rgb(220 38 38)"
          strokeOpacity={0.35}
          strokeWidth={6}
          strokeLinecap="round"
          strokeLinejoin="round"
        />
      )}
      <circle
        data-testid="laser pointer"
        cx={dot.x}
        cy={dot.y}
        r={9}
        fill="rgb(220 38 38)"
        fillOpacity={0.85}
        stroke="white"
        strokeWidth={2}
      />
    </svg>
  );
}
