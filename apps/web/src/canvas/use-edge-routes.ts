import { useStore, type ReactFlowState } from '@xyflow/react';
import { useMemo, useState } from 'react';
import type { CanvasNode, VethEdge } from '../adapters/types';
import { rateKey, useRates } from '../store/rates';
import { routeEdges, type EdgeRoute } from './routing/edge-routes';
import type { Rect } from './routing/rects';
import { zoomedOut } from './zoom';

/** The view is tracked in squares this big (flow units): panning within one routes nothing again. */
const CHUNK = 512;

/** The squares in view, one more all round, as a key that changes only when a square enters or leaves. */
const regionKey = (s: ReactFlowState): string => {
  const [tx, ty, zoom] = s.transform;
  if (s.width === 0 || s.height === 0) return '';
  const cell = (v: number) => Math.floor(v / zoom / CHUNK);
  return [cell(-tx) - 1, cell(-ty) - 1, cell(s.width - tx) + 2, cell(s.height - ty) + 2].join(',');
};

function regionOf(key: string): Rect | null {
  if (key === '') return null;
  const [x0 = 0, y0 = 0, x1 = 0, y1 = 0] = key.split(',').map(Number);
  return { x: x0 * CHUNK, y: y0 * CHUNK, width: (x1 - x0) * CHUNK, height: (y1 - y0) * CHUNK };
}

/** Which interfaces carry traffic now, as one string (it changes only when one starts or stops). */
const flowingKey = (s: { rates: ReadonlyMap<string, { rxPps: number; txPps: number }> }): string => {
  const keys: string[] = [];
  for (const [key, r] of s.rates) if (r.rxPps + r.txPps > 0) keys.push(key);
  return keys.sort().join('\u0001');
};

const sameRoute = (a: EdgeRoute | undefined, b: EdgeRoute | undefined): boolean =>
  a === b ||
  (a !== undefined &&
    b !== undefined &&
    a.clear === b.clear &&
    a.label?.x === b.label?.x &&
    a.label?.y === b.label?.y &&
    a.points.length === b.points.length &&
    a.points.every((p, i) => p.x === b.points[i]?.x && p.y === b.points[i]?.y));

/**
 * Edges keep their object from one routing to the next while their input and route are the same,
 * so React Flow re-renders only the edges a drag or a new picture actually moved.
 */
class RoutedCache {
  private last = new Map<string, { input: VethEdge; route: EdgeRoute | undefined; output: VethEdge }>();

  apply(edges: readonly VethEdge[], routes: Map<string, EdgeRoute>): VethEdge[] {
    const next = new Map<string, { input: VethEdge; route: EdgeRoute | undefined; output: VethEdge }>();
    const out = edges.map((e) => {
      const route = routes.get(e.id);
      const before = this.last.get(e.id);
      const output =
        before && before.input === e && sameRoute(before.route, route)
          ? before.output
          : route && e.data
            ? { ...e, data: { ...e.data, route } }
            : e;
      next.set(e.id, {
        input: e,
        route: before && sameRoute(before.route, route) ? before.route : route,
        output,
      });
      return output;
    });
    this.last = next;
    return out;
  }
}

/**
 * The edges with their routes around the cards and their labels' places (./routing), for what the
 * DOM draws: the edges that may show in the view, recomputed when a node moves, the view moves a
 * square on, or traffic starts or stops on a link. Zoomed out, the overview draws edges itself and
 * nothing is routed.
 */
export function useRoutedEdges(nodes: readonly CanvasNode[], edges: VethEdge[]): VethEdge[] {
  const simple = useStore(zoomedOut);
  const region = useStore(regionKey);
  const flowing = useRates(flowingKey);
  const [cache] = useState(() => new RoutedCache());
  return useMemo(() => {
    if (simple || region === '') return edges;
    const busy = new Set(flowing.split('\u0001'));
    const routes = routeEdges(nodes, edges, {
      region: regionOf(region),
      flowing: (e) => e.data !== undefined && busy.has(rateKey(e.data.a.context, e.data.a.ifname)),
    });
    return cache.apply(edges, routes);
  }, [simple, region, flowing, nodes, edges, cache]);
}
