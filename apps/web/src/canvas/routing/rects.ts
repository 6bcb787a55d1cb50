/** Plain geometry in the canvas's (flow) coordinates, shared by the router and the label placer. */
export interface Point {
  x: number;
  y: number;
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const grow = (r: Rect, by: number): Rect => ({
  x: r.x - by,
  y: r.y - by,
  width: r.width + 2 * by,
  height: r.height + 2 * by,
});

/** Two rectangles meet: they share area or touch (React Flow's own visibility test counts touching). */
export const meets = (a: Rect, b: Rect): boolean =>
  a.x <= b.x + b.width && b.x <= a.x + a.width && a.y <= b.y + b.height && b.y <= a.y + a.height;

/** The smallest rectangle holding both. */
export const union = (a: Rect, b: Rect): Rect => {
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return {
    x,
    y,
    width: Math.max(a.x + a.width, b.x + b.width) - x,
    height: Math.max(a.y + a.height, b.y + b.height) - y,
  };
};

/** A node's box as React Flow places it: its own size, else what React Flow measured, else none. */
export const nodeRect = (n: {
  position: Point;
  width?: number;
  height?: number;
  measured?: { width?: number; height?: number };
}): Rect => ({
  x: n.position.x,
  y: n.position.y,
  width: n.width ?? n.measured?.width ?? 0,
  height: n.height ?? n.measured?.height ?? 0,
});

/** Strictly inside: a point on the border is outside (a route may run along a padded border). */
export const strictlyInside = (r: Rect, p: Point): boolean =>
  p.x > r.x && p.x < r.x + r.width && p.y > r.y && p.y < r.y + r.height;

/** Two rectangles share some area (touching borders do not count). */
export const overlap = (a: Rect, b: Rect): boolean =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** An axis-parallel segment passes through the inside of a rectangle (running along its border does not). */
export function segmentCrosses(r: Rect, a: Point, b: Point): boolean {
  const [x0, x1] = a.x < b.x ? [a.x, b.x] : [b.x, a.x];
  const [y0, y1] = a.y < b.y ? [a.y, b.y] : [b.y, a.y];
  if (x0 === x1) return x0 > r.x && x0 < r.x + r.width && y0 < r.y + r.height && y1 > r.y;
  if (y0 === y1) return y0 > r.y && y0 < r.y + r.height && x0 < r.x + r.width && x1 > r.x;
  return overlap(r, { x: x0, y: y0, width: x1 - x0, height: y1 - y0 });
}

const CELL = 256;

/**
 * Rectangles bucketed on a coarse grid: "what is near here" without scanning every card of a
 * 2,000-namespace lab. Rectangles are added once; a query returns each candidate once.
 */
export class RectIndex<T extends Rect = Rect> {
  private readonly cells = new Map<number, T[]>();
  readonly all: T[] = [];

  constructor(rects: Iterable<T> = []) {
    for (const r of rects) this.add(r);
  }

  add(r: T): void {
    this.all.push(r);
    for (const key of cellsOf(r)) {
      const list = this.cells.get(key);
      if (list) list.push(r);
      else this.cells.set(key, [r]);
    }
  }

  /** Rectangles whose cells meet `area`'s (a superset of those that overlap it). */
  near(area: Rect): T[] {
    const seen = new Set<T>();
    for (const key of cellsOf(area)) for (const r of this.cells.get(key) ?? []) seen.add(r);
    return [...seen];
  }

  /** Any rectangle that contains `p` strictly. */
  hit(p: Point): boolean {
    const list = this.cells.get(cellKey(Math.floor(p.x / CELL), Math.floor(p.y / CELL)));
    return list !== undefined && list.some((r) => strictlyInside(r, p));
  }
}

/** A cell's number (a number, not a string: the router asks ~100,000 times a drag frame). */
const cellKey = (cx: number, cy: number): number => (cx + 2 ** 20) * 2 ** 21 + (cy + 2 ** 20);

function* cellsOf(r: Rect): Generator<number> {
  const [cx0, cx1] = [Math.floor(r.x / CELL), Math.floor((r.x + r.width) / CELL)];
  const [cy0, cy1] = [Math.floor(r.y / CELL), Math.floor((r.y + r.height) / CELL)];
  for (let cx = cx0; cx <= cx1; cx++) for (let cy = cy0; cy <= cy1; cy++) yield cellKey(cx, cy);
}
