import { RectIndex, grow, overlap, segmentCrosses, type Point, type Rect } from './rects';

/**
 * Where each edge's label goes: on its own route, never over a card or another label. Candidates
 * are tried in order along the route's longest segments (their middle first, then further along),
 * on the line and then beside it; a spot that also keeps off the other edges' lines wins over one
 * that does not. A label with no free spot is not placed (the edge shows it on hover or selection).
 */
export interface LabelRequest {
  id: string;
  points: readonly Point[];
  width: number;
  height: number;
}

/** Space kept between a label and a card or another label. */
export const LABEL_GAP = 4;
/** Where along a segment a label is tried, as a fraction of it: the middle first. */
const ALONG = [0.5, 0.35, 0.65, 0.2, 0.8, 0.05, 0.95];

type Segment = Rect & { owner: string; a: Point; b: Point };

const boxAt = (c: Point, w: number, h: number): Rect => ({
  x: c.x - w / 2,
  y: c.y - h / 2,
  width: w,
  height: h,
});

function segmentsOf(id: string, points: readonly Point[]): Segment[] {
  const out: Segment[] = [];
  for (let i = 1; i < points.length; i++) {
    const [a, b] = [points[i - 1]!, points[i]!];
    const x = Math.min(a.x, b.x);
    const y = Math.min(a.y, b.y);
    out.push({ x, y, width: Math.abs(a.x - b.x), height: Math.abs(a.y - b.y), owner: id, a, b });
  }
  return out;
}

/** Label centres to try for one route, best first. */
export function candidates(req: LabelRequest): Point[] {
  const segments = segmentsOf(req.id, req.points)
    .map((s) => ({ s, length: s.width + s.height }))
    .filter(({ length }) => length >= 1)
    .sort((p, q) => q.length - p.length);
  const out: Point[] = [];
  for (const { s } of segments) {
    const vertical = s.a.x === s.b.x;
    const off = vertical ? { x: req.width / 2 + LABEL_GAP, y: 0 } : { x: 0, y: req.height / 2 + LABEL_GAP };
    for (const t of ALONG) {
      const p = { x: s.a.x + (s.b.x - s.a.x) * t, y: s.a.y + (s.b.y - s.a.y) * t };
      out.push(p, { x: p.x + off.x, y: p.y + off.y }, { x: p.x - off.x, y: p.y - off.y });
    }
  }
  return out;
}

/**
 * Places labels in the order given (the caller puts those that say more first). `cards` holds
 * every node's outline near the routes.
 */
export function placeLabels(requests: readonly LabelRequest[], cards: RectIndex): Map<string, Point | null> {
  const lines = new RectIndex<Segment>(requests.flatMap((r) => segmentsOf(r.id, r.points)));
  const placed = new RectIndex();
  const out = new Map<string, Point | null>();
  for (const req of requests) {
    const free = (c: Point): boolean => {
      const area = grow(boxAt(c, req.width, req.height), LABEL_GAP);
      return (
        !cards.near(area).some((r) => overlap(r, area)) && !placed.near(area).some((r) => overlap(r, area))
      );
    };
    const clearOfLines = (c: Point): boolean => {
      const box = boxAt(c, req.width, req.height);
      return !lines.near(box).some((s) => s.owner !== req.id && segmentCrosses(box, s.a, s.b));
    };
    const spots = candidates(req).filter(free);
    const spot = spots.find(clearOfLines) ?? spots[0] ?? null;
    out.set(req.id, spot);
    if (spot) placed.add(boxAt(spot, req.width, req.height));
  }
  return out;
}
