import type { Point } from './rects';

/** Corners of a route are rounded by this much (less where a segment is too short for it). */
const RADIUS = 8;

const towards = (from: Point, to: Point, by: number): Point => {
  const length = Math.hypot(to.x - from.x, to.y - from.y) || 1;
  return { x: from.x + ((to.x - from.x) * by) / length, y: from.y + ((to.y - from.y) * by) / length };
};

/** An SVG path through a route's points, its corners rounded (a quadratic curve inside each corner). */
export function roundedPath(points: readonly Point[], radius = RADIUS): string {
  const [first] = points;
  if (!first) return '';
  const parts = [`M ${first.x},${first.y}`];
  for (let i = 1; i < points.length - 1; i++) {
    const [prev, corner, next] = [points[i - 1]!, points[i]!, points[i + 1]!];
    const r = Math.min(
      radius,
      Math.hypot(corner.x - prev.x, corner.y - prev.y) / 2,
      Math.hypot(next.x - corner.x, next.y - corner.y) / 2,
    );
    const a = towards(corner, prev, r);
    const b = towards(corner, next, r);
    parts.push(`L ${a.x},${a.y}`, `Q ${corner.x},${corner.y} ${b.x},${b.y}`);
  }
  const last = points[points.length - 1]!;
  if (points.length > 1) parts.push(`L ${last.x},${last.y}`);
  return parts.join(' ');
}

/** The point halfway along a route (by length). */
export function halfway(points: readonly Point[]): Point {
  let total = 0;
  for (let i = 1; i < points.length; i++)
    total += Math.hypot(points[i]!.x - points[i - 1]!.x, points[i]!.y - points[i - 1]!.y);
  let left = total / 2;
  for (let i = 1; i < points.length; i++) {
    const [a, b] = [points[i - 1]!, points[i]!];
    const length = Math.hypot(b.x - a.x, b.y - a.y);
    if (length >= left && length > 0) return towards(a, b, left);
    left -= length;
  }
  return points[0] ?? { x: 0, y: 0 };
}
