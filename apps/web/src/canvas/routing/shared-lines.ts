import type { Point } from './rects';

type Spans = Map<number, [number, number][]>;

/**
 * The lines already routed, so the next route pays extra for running on top of one: two veths
 * along one card's border are drawn side by side (the channel's centre, the other border) rather
 * than as one line. Only collinear overlap counts; crossing a line is free. Kept by the exact line
 * each segment lies on (the router asks for every step of its search: a lookup, not a scan).
 */
export class SharedLines {
  /** Horizontal segments by their y, vertical ones by their x: each as its span along the line. */
  private readonly rows: Spans = new Map();
  private readonly columns: Spans = new Map();

  add(points: readonly Point[]): void {
    for (let i = 1; i < points.length; i++) {
      const [a, b] = [points[i - 1]!, points[i]!];
      if (a.y === b.y && a.x !== b.x) push(this.rows, a.y, a.x, b.x);
      else if (a.x === b.x && a.y !== b.y) push(this.columns, a.x, a.y, b.y);
    }
  }

  /** How much of the axis-parallel step a → b runs along lines already routed. */
  along(a: Point, b: Point): number {
    const [spans, lo, hi] =
      a.y === b.y
        ? [this.rows.get(a.y), Math.min(a.x, b.x), Math.max(a.x, b.x)]
        : [this.columns.get(a.x), Math.min(a.y, b.y), Math.max(a.y, b.y)];
    let shared = 0;
    for (const [slo, shi] of spans ?? []) shared += Math.max(0, Math.min(hi, shi) - Math.max(lo, slo));
    return shared;
  }
}

function push(spans: Spans, line: number, from: number, to: number): void {
  const span: [number, number] = [Math.min(from, to), Math.max(from, to)];
  const list = spans.get(line);
  if (list) list.push(span);
  else spans.set(line, [span]);
}
