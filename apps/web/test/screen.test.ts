import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RowModel } from '../src/adapters/types';
import { addressText, compactLineEm } from '../src/canvas/CompactLine';
import {
  DETAILED_MAX_TEXT,
  MIN_TEXT_PX,
  SIMPLE_BELOW_ZOOM,
  compactBelowZoom,
  compactCards,
  textZoom,
} from '../src/canvas/zoom';
import { estimateEm } from '../src/lib/text-em';
import { panelOpen, parseChoices } from '../src/store/panels';

const zoomState = (zoom: number) => ({ transform: [0, 0, zoom] }) as never;

describe('card text zoom', () => {
  it('is a step at or just below the zoom: text sized for it never reads smaller than asked', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.05, max: 2, noNaN: true }), (zoom) => {
        const q = textZoom(zoom);
        expect(q).toBeLessThanOrEqual(zoom);
        expect(q).toBeGreaterThan(zoom / 1.04 - 1e-4);
        // The smallest size on screen: the text's size (min / q) times the real zoom.
        expect((MIN_TEXT_PX.normal / q) * zoom).toBeGreaterThanOrEqual(MIN_TEXT_PX.normal);
      }),
    );
  });

  it('moves in steps (a small zoom change re-lays no text) and never down when the zoom goes up', () => {
    expect(textZoom(1)).toBe(1);
    expect(textZoom(0.5)).toBe(textZoom(0.5005));
    fc.assert(
      fc.property(
        fc.double({ min: 0.05, max: 2, noNaN: true }),
        fc.double({ min: 0.05, max: 2, noNaN: true }),
        (a, b) => {
          const [lo, hi] = a < b ? [a, b] : [b, a];
          expect(textZoom(lo)).toBeLessThanOrEqual(textZoom(hi));
        },
      ),
    );
  });

  it('refuses what is not a zoom with 1', () => {
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) expect(textZoom(bad)).toBe(1);
  });
});

describe('compact cards', () => {
  it('turn compact where the smallest size would need more than a detailed row holds', () => {
    expect(compactBelowZoom(MIN_TEXT_PX.normal)).toBeCloseTo(11 / DETAILED_MAX_TEXT);
    const normal = compactCards(MIN_TEXT_PX.normal);
    expect(normal(zoomState(0.74))).toBe(false);
    expect(normal(zoomState(0.72))).toBe(true);
    // The presenter's larger type turns cards compact sooner: at 100 % already.
    expect(compactCards(MIN_TEXT_PX.presenter)(zoomState(1))).toBe(true);
    // Made once per size: a stable selector.
    expect(compactCards(MIN_TEXT_PX.normal)).toBe(normal);
  });

  it('are readable above the overview: compact starts above the zoom where boxes begin', () => {
    expect(compactBelowZoom(MIN_TEXT_PX.normal)).toBeGreaterThan(SIMPLE_BELOW_ZOOM);
  });

  const row = (addresses: string[], drift: string[] = []): RowModel => ({
    ifname: 'eth0',
    kind: 'veth',
    state: 'up',
    addresses,
    mtu: 1500,
    drift,
    unmanaged: false,
    peer: null,
  });

  it('say the first address and how many more, or why there is none', () => {
    expect(addressText(row(['10.0.0.1/24']), false)).toBe('10.0.0.1/24');
    expect(addressText(row(['10.0.0.1/24', 'fd00::1/64', '10.0.1.1/24']), false)).toBe('10.0.0.1/24 +2');
    expect(addressText(row([]), false)).toBe('no address');
    expect(addressText(row([], ['missing in the kernel']), true)).toBe('missing in the kernel');
  });

  it('measure a line longer as any part of it grows, with the state only when it is shown', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 15 }),
        fc.string({ maxLength: 20 }),
        fc.string({ minLength: 1, maxLength: 5 }),
        (name, address, more) => {
          const base = compactLineEm(name, null, address);
          expect(compactLineEm(name + more, null, address)).toBeGreaterThan(base);
          expect(compactLineEm(name, null, address + more)).toBeGreaterThan(base);
          expect(compactLineEm(name, 'down', address)).toBeGreaterThan(base);
        },
      ),
    );
  });

  it('estimate widths generously: Liberation Sans digits are 0.556 em, bold letters never above 0.89', () => {
    expect(estimateEm('10.77.12.1/30')).toBeGreaterThanOrEqual(9 * 0.556 + 4 * 0.278);
    expect(estimateEm('eth0', 600)).toBeGreaterThan(estimateEm('eth0'));
  });
});

describe('panel choices', () => {
  it('keep only booleans under the panels’ names; anything else is no choice', () => {
    expect(parseChoices('{"palette":false,"inspector":true,"log":false}')).toEqual({
      palette: false,
      inspector: true,
      log: false,
    });
    expect(parseChoices('{"palette":"no","log":1,"other":false}')).toEqual({});
    expect(parseChoices('not json')).toEqual({});
    expect(parseChoices('null')).toEqual({});
    expect(parseChoices('[false]')).toEqual({});
    expect(parseChoices(null)).toEqual({});
  });

  it('are open unless folded by choice; the palette starts folded in a narrow window, the log in a short one', () => {
    const wide = { narrow: false, short: false };
    const small = { narrow: true, short: true };
    expect(panelOpen({}, 'palette', wide)).toBe(true);
    expect(panelOpen({}, 'palette', { narrow: true, short: false })).toBe(false);
    expect(panelOpen({}, 'log', { narrow: false, short: true })).toBe(false);
    expect(panelOpen({}, 'log', { narrow: true, short: false })).toBe(true);
    expect(panelOpen({}, 'inspector', small)).toBe(true);
    expect(panelOpen({ palette: true, log: true }, 'palette', small)).toBe(true);
    expect(panelOpen({ palette: true, log: true }, 'log', small)).toBe(true);
    expect(panelOpen({ log: false }, 'log', wide)).toBe(false);
  });
});
