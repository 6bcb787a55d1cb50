import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { viewportShowing, visibleRect, type Transform } from '../src/presenter/frame-view';

const ZOOMS = { min: 0.05, max: 2 };

describe('a follower sees the lead’s area', () => {
  it('in the same window: the same viewport', () => {
    const t: Transform = [120, -40, 0.8];
    expect(viewportShowing(visibleRect(t, 1440, 900), 1440, 900, ZOOMS)).toEqual({
      x: 120,
      y: -40,
      zoom: 0.8,
    });
  });

  it('in any other window: the same centre, and the whole area in view (property)', () => {
    const size = fc.integer({ min: 300, max: 3000 });
    fc.assert(
      fc.property(
        fc.tuple(fc.integer({ min: -3000, max: 3000 }), fc.integer({ min: -3000, max: 3000 })),
        fc.double({ min: 0.1, max: 1.5, noNaN: true }),
        size,
        size,
        size,
        size,
        ([tx, ty], zoom, w1, h1, w2, h2) => {
          const lead = visibleRect([tx, ty, zoom], w1, h1);
          const v = viewportShowing(lead, w2, h2, ZOOMS);
          const seen = visibleRect([v.x, v.y, v.zoom], w2, h2);
          const close = (a: number, b: number) => Math.abs(a - b) < 1e-6 * Math.max(1, Math.abs(a));
          const centred =
            close(seen.x + seen.width / 2, lead.x + lead.width / 2) &&
            close(seen.y + seen.height / 2, lead.y + lead.height / 2);
          const clamped = v.zoom === ZOOMS.min || v.zoom === ZOOMS.max;
          const whole = seen.width >= lead.width - 1e-6 && seen.height >= lead.height - 1e-6;
          return centred && (whole || clamped);
        },
      ),
    );
  });
});
