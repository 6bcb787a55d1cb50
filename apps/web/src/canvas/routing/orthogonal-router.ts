import { MinHeap } from './heap';
import { RectIndex, grow, strictlyInside, type Point, type Rect } from './rects';
import type { SharedLines } from './shared-lines';

/**
 * An orthogonal connector router (after Wybrow, Marriott and Stuckey, "Orthogonal connector
 * routing", GD 2009): the candidate lines are the padded obstacles' borders, the channels' centres
 * between them and the two ends; A* over (grid point, heading) finds the shortest route with the
 * fewest bends that never enters a padded obstacle. Pure, so it is unit- and property-tested.
 */
export type Side = 'L' | 'R' | 'T' | 'B';

export const OUTWARD: Record<Side, Point> = {
  L: { x: -1, y: 0 },
  R: { x: 1, y: 0 },
  T: { x: 0, y: -1 },
  B: { x: 0, y: 1 },
};

export interface RouteEnd {
  /** Where the line touches its node (a handle's centre, on the node's border). */
  at: Point;
  /** The node's side it leaves from: its first segment goes straight out. */
  side: Side;
}

export interface RouteOptions {
  /** Free space kept around every obstacle. */
  pad: number;
  /** How far a line goes straight out of its node before it may turn (at least `pad`). */
  stub: number;
  /** A bend costs as much as this much length (fewer bends read better than a slightly shorter line). */
  bend: number;
  /** Room around everything in play, for routes that go around the outside. */
  margin: number;
}

export const DEFAULT_ROUTE: RouteOptions = { pad: 12, stub: 16, bend: 40, margin: 48 };

export interface Route {
  points: Point[];
  /** False when no route avoids every obstacle (nodes overlap, or the search gave up): a plain line. */
  clear: boolean;
}

const DIRS: readonly Point[] = [OUTWARD.R, OUTWARD.B, OUTWARD.L, OUTWARD.T];
const dirIndex = (d: Point): number => DIRS.findIndex((x) => x.x === d.x && x.y === d.y);
/** The search gives up beyond this many expanded states (then the line is drawn plainly). */
const MAX_EXPANSIONS = 60_000;

const outFrom = (end: RouteEnd, by: number): Point => ({
  x: end.at.x + OUTWARD[end.side].x * by,
  y: end.at.y + OUTWARD[end.side].y * by,
});

/**
 * The padded obstacles, except where an end's stub point would be inside one (a node closer to
 * the handle than two pads): that one keeps only its own outline, or is dropped when even that
 * holds the point (overlapping nodes: no clear route exists).
 */
function paddedObstacles(obstacles: readonly Rect[], pad: number, ends: Point[]): Rect[] {
  const out: Rect[] = [];
  for (const o of obstacles) {
    const padded = grow(o, pad);
    if (!ends.some((p) => strictlyInside(padded, p))) out.push(padded);
    else if (!ends.some((p) => strictlyInside(o, p))) out.push(o);
  }
  return out;
}

/** Sorted distinct values, with the midpoint of each gap between neighbours (a channel's centre). */
function axis(values: number[], lo: number, hi: number): number[] {
  const sorted = [...new Set([...values, lo, hi])].sort((a, b) => a - b);
  const withMids: number[] = [];
  sorted.forEach((v, i) => {
    const next = sorted[i + 1];
    withMids.push(v);
    if (next !== undefined && next - v > 2) withMids.push((v + next) / 2);
  });
  return withMids;
}

function gridOf(rects: Rect[], s: Point, t: Point, margin: number) {
  const xsRaw = [s.x, t.x, ...rects.flatMap((r) => [r.x, r.x + r.width])];
  const ysRaw = [s.y, t.y, ...rects.flatMap((r) => [r.y, r.y + r.height])];
  const xs = axis(xsRaw, Math.min(...xsRaw) - margin, Math.max(...xsRaw) + margin);
  const ys = axis(ysRaw, Math.min(...ysRaw) - margin, Math.max(...ysRaw) + margin);
  return { xs, ys };
}

/** Collinear and repeated points out: one point per corner. */
export function simplify(points: readonly Point[]): Point[] {
  const out: Point[] = [];
  for (const p of points) {
    const last = out[out.length - 1];
    if (last && last.x === p.x && last.y === p.y) continue;
    const before = out[out.length - 2];
    if (
      before &&
      last &&
      ((before.x === last.x && last.x === p.x) || (before.y === last.y && last.y === p.y))
    )
      out[out.length - 1] = p;
    else out.push(p);
  }
  return out;
}

/** The route between two ends around `obstacles` (every node near them, their own included). */
export function routeOrthogonal(
  from: RouteEnd,
  to: RouteEnd,
  obstacles: readonly Rect[],
  options: Partial<RouteOptions> = {},
  shared: SharedLines | null = null,
): Route {
  const opts = { ...DEFAULT_ROUTE, ...options };
  const s = outFrom(from, Math.max(opts.stub, opts.pad));
  const t = outFrom(to, Math.max(opts.stub, opts.pad));
  const rects = paddedObstacles(obstacles, opts.pad, [s, t]);
  const found = search({ s, t, fromSide: from.side, toSide: to.side, rects, opts, shared });
  if (!found) return { points: simplify([from.at, s, { x: s.x, y: t.y }, t, to.at]), clear: false };
  return { points: simplify([from.at, ...found, to.at]), clear: true };
}

interface Grid {
  xs: number[];
  ys: number[];
  blocked: RectIndex;
}

interface Search {
  /** The two stubs' outer points: the search runs between them. */
  s: Point;
  t: Point;
  fromSide: Side;
  toSide: Side;
  rects: Rect[];
  opts: RouteOptions;
  shared: SharedLines | null;
}

/**
 * The fewest bends still needed from heading `d` at (x, y) to reach `t` (a lower bound): none
 * when already heading straight at it, one when it lies to one side, two when behind.
 */
function bendsLeft(x: number, y: number, d: number, t: Point): number {
  const [gx, gy] = [Math.sign(t.x - x), Math.sign(t.y - y)];
  const { x: hx, y: hy } = DIRS[d]!;
  if (gx === 0 && gy === 0) return 0;
  if (gx !== 0 && gy !== 0) return (hx !== 0 && hx === gx) || (hy !== 0 && hy === gy) ? 1 : 2;
  if (gx !== 0) return hx === gx ? 0 : hx === -gx ? 2 : 1;
  return hy === gy ? 0 : hy === -gy ? 2 : 1;
}

function search({ s, t, fromSide, toSide, rects, opts, shared }: Search) {
  const { xs, ys } = gridOf(rects, s, t, opts.margin);
  const grid: Grid = { xs, ys, blocked: new RectIndex(rects) };
  const [sx, sy, tx, ty] = [xs.indexOf(s.x), ys.indexOf(s.y), xs.indexOf(t.x), ys.indexOf(t.y)];
  const inward = dirIndex({ x: -OUTWARD[toSide].x, y: -OUTWARD[toSide].y });
  // Length still to go plus the bends still needed: never more than the rest costs (A* stays exact).
  const h = (ix: number, iy: number, d: number) =>
    Math.abs(xs[ix]! - t.x) + Math.abs(ys[iy]! - t.y) + opts.bend * bendsLeft(xs[ix]!, ys[iy]!, d, t);
  const key = (ix: number, iy: number, d: number) => (ix * ys.length + iy) * 4 + d;
  const best = new Map<number, number>();
  const cameFrom = new Map<number, number>();
  const open = new MinHeap<number>();
  // Among equally cheap states the one farther along goes first: on the plateaus of a grid of
  // cards (many equally short staircases) that finds the goal without exploring them all.
  const push = (g: number, hk: number, k: number) => open.push(g + hk - g * 1e-9, k);
  const start = key(sx, sy, dirIndex(OUTWARD[fromSide]));
  best.set(start, 0);
  push(0, h(sx, sy, dirIndex(OUTWARD[fromSide])), start);
  for (let expanded = 0; open.size > 0 && expanded < MAX_EXPANSIONS; expanded++) {
    const k = open.pop()!;
    // A finished route (encoded below zero): the cheapest, since its cost included the last turn.
    if (k < 0) return pathTo(-1 - k, cameFrom, grid);
    const d = k % 4;
    const cell = (k - d) / 4;
    const [ix, iy] = [Math.floor(cell / ys.length), cell % ys.length];
    const g = best.get(k)!;
    if (ix === tx && iy === ty) {
      // Arrived: the last segment turns into the node unless it already heads that way (never
      // straight back: that would be a spike out of the node and in again).
      if (d !== (inward + 2) % 4) push(g + (d === inward ? 0 : opts.bend), 0, -1 - k);
      continue;
    }
    for (const nd of [d, (d + 1) % 4, (d + 3) % 4]) {
      const [nx, ny] = [ix + DIRS[nd]!.x, iy + DIRS[nd]!.y];
      if (!free(grid, ix, iy, nx, ny)) continue;
      const here = { x: xs[ix]!, y: ys[iy]! };
      const there = { x: xs[nx]!, y: ys[ny]! };
      const step = Math.abs(there.x - here.x) + Math.abs(there.y - here.y);
      // Running on top of a line already drawn costs double: the next channel over reads better.
      const cost = g + step + (shared?.along(here, there) ?? 0) + (nd === d ? 0 : opts.bend);
      const nk = key(nx, ny, nd);
      if (cost >= (best.get(nk) ?? Infinity)) continue;
      best.set(nk, cost);
      cameFrom.set(nk, k);
      push(cost, h(nx, ny, nd), nk);
    }
  }
  return null;
}

/** A step to a neighbouring grid point stays in free space (inside the grid, out of every obstacle). */
function free(grid: Grid, ix: number, iy: number, nx: number, ny: number): boolean {
  const { xs, ys, blocked } = grid;
  if (nx < 0 || ny < 0 || nx >= xs.length || ny >= ys.length) return false;
  const there = { x: xs[nx]!, y: ys[ny]! };
  // Every obstacle border is a grid line, so a step is inside an obstacle iff its middle is.
  const middle = { x: (xs[ix]! + there.x) / 2, y: (ys[iy]! + there.y) / 2 };
  return !blocked.hit(there) && !blocked.hit(middle);
}

function pathTo(k: number, cameFrom: Map<number, number>, grid: Grid): Point[] {
  const points: Point[] = [];
  for (let at: number | undefined = k; at !== undefined; at = cameFrom.get(at)) {
    const cell = (at - (at % 4)) / 4;
    points.push({ x: grid.xs[Math.floor(cell / grid.ys.length)]!, y: grid.ys[cell % grid.ys.length]! });
  }
  return points.reverse();
}
