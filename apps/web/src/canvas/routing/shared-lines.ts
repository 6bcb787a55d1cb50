import { RectIndex, type Point, type Rect } from './rects';

type Stretch = Rect & { a: Point; b: Point };

/**
 * The lines already routed, so the next route pays extra for running on top of one: two veths
 * along one card's border are drawn side by side (the channel's centre, the other border) rather
 * than as one line. Only collinear overlap counts; crossing a line is free.
 */
export class SharedLines {
  private readonly index = new RectIndex<Stretch>();

  add(points: readonly Point[]): void {
    for (let i = 1; i < points.length; i++) {
      const [a, b] = [points[i - 1]!, points[i]!];
      const x = Math.min(a.x, b.x);
      const y = Math.min(a.y, b.y);
      this.index.add({ x, y, width: Math.abs(a.x - b.x), height: Math.abs(a.y - b.y), a, b });
    }
  }

  /** How much of the axis-parallel step a → b runs along lines already routed. */
  along(a: Point, b: Point): number {
    const horizontal = a.y === b.y;
    const [lo, hi] = horizontal
      ? [Math.min(a.x, b.x), Math.max(a.x, b.x)]
      : [Math.min(a.y, b.y), Math.max(a.y, b.y)];
    const area = {
      x: Math.min(a.x, b.x),
      y: Math.min(a.y, b.y),
      width: Math.abs(a.x - b.x),
      height: Math.abs(a.y - b.y),
    };
    let shared = 0;
    for (const s of this.index.near(area)) {
      if (horizontal ? s.height !== 0 || s.y !== a.y : s.width !== 0 || s.x !== a.x) continue;
      const [slo, shi] = horizontal ? [s.x, s.x + s.width] : [s.y, s.y + s.height];
      shared += Math.max(0, Math.min(hi, shi) - Math.max(lo, slo));
    }
    return shared;
  }
}
