import type { ReactFlowState } from '@xyflow/react';

/**
 * Below this zoom nodes are drawn as plain boxes of the same size and edges lose their labels
 * (measured: fit-all panning at 1,000 nodes went from 4.5 to 56 fps; docs/benchmarks.md has the
 * canvas's figures). A boolean selector, so
 * a node re-renders only when the zoom crosses it.
 */
export const SIMPLE_BELOW_ZOOM = 0.45;
export const zoomedOut = (s: ReactFlowState): boolean => s.transform[2] < SIMPLE_BELOW_ZOOM;
