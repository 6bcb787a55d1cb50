import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ClientMessage, LatestWins, PRESENTER_ID_MAX, PresenterFrame, ServerMessage } from '../src';
import { fakeClock } from './fake-clock';

const frame = (): PresenterFrame => ({
  viewport: { x: 64, y: 48, zoom: 1 },
  visible: { x: -64, y: -48, width: 1200, height: 700 },
  selection: { kind: 'interface', nodeId: 'ns0', ifname: 'veth0' },
  section: 'Kernel facts',
  netfilter: null,
  pointer: { x: 10.5, y: -3 },
});

/** The first issue's path when `ClientMessage` refuses a frame message built from `change`. */
function refusedAt(change: (f: PresenterFrame) => unknown): string | null {
  const f = frame();
  const changed = change(f) ?? f;
  const result = ClientMessage.safeParse({ type: 'presenterFrame', frame: changed });
  return result.success ? null : result.error.issues.map((i) => i.path.join('.')).join(' ');
}

describe('presenter messages', () => {
  it('reads a frame whole, on both sides of the wire', () => {
    expect(ClientMessage.parse({ type: 'presenterFrame', frame: frame() })).toEqual({
      type: 'presenterFrame',
      frame: frame(),
    });
    const relayed = { type: 'presenter', lead: 'c-1', you: false, frame: frame() };
    expect(ServerMessage.parse(relayed)).toEqual(relayed);
    expect(ClientMessage.parse({ type: 'presenting', on: true })).toEqual({ type: 'presenting', on: true });
  });

  it('refuses NaN, Infinity and coordinates past the limit, naming the field', () => {
    expect(refusedAt((f) => void (f.viewport.x = Number.NaN))).toBe('frame.viewport.x');
    expect(refusedAt((f) => void (f.visible.width = Number.POSITIVE_INFINITY))).toBe('frame.visible.width');
    expect(refusedAt((f) => void (f.pointer = { x: 1, y: -Infinity }))).toBe('frame.pointer.y');
    expect(refusedAt((f) => void (f.viewport.zoom = 0))).toBe('frame.viewport.zoom');
    expect(refusedAt((f) => void (f.visible.height = -5))).toBe('frame.visible.height');
    expect(refusedAt((f) => void (f.pointer = { x: 2e6, y: 0 }))).toBe('frame.pointer.x');
  });

  it('refuses ids past the bound, empty ids and unknown fields', () => {
    const long = 'n'.repeat(PRESENTER_ID_MAX + 1);
    expect(refusedAt((f) => void (f.selection = { kind: 'node', id: long }))).toBe('frame.selection.id');
    expect(refusedAt((f) => void (f.section = long))).toBe('frame.section');
    expect(refusedAt((f) => void (f.netfilter = ''))).toBe('frame.netfilter');
    expect(refusedAt((f) => ({ ...f, script: 'x' }))).toBe('frame');
    expect(
      refusedAt((f) => void (f.selection = { kind: 'node', id: 'n'.repeat(PRESENTER_ID_MAX) })),
    ).toBeNull();
  });

  it('refuses any non-finite number anywhere in a frame (property)', () => {
    const bad = fc.constantFrom(Number.NaN, Infinity, -Infinity, 1e300, -1e300);
    const paths = fc.constantFrom(
      ['viewport', 'x'],
      ['viewport', 'y'],
      ['viewport', 'zoom'],
      ['visible', 'x'],
      ['visible', 'width'],
      ['visible', 'height'],
      ['pointer', 'x'],
    );
    fc.assert(
      fc.property(bad, paths, (value, [outer, inner]) => {
        const f = frame() as unknown as Record<string, Record<string, number>>;
        f[outer!]![inner!] = value;
        return !ClientMessage.safeParse({ type: 'presenterFrame', frame: f }).success;
      }),
    );
  });
});

describe('LatestWins', () => {
  it('hands on the first value at once and the newest one at the gap’s end, nothing in between', () => {
    const clock = fakeClock();
    const out: [number, number][] = [];
    const pace = new LatestWins<number>(60, (v) => out.push([clock.now(), v]), clock);
    for (let i = 1; i <= 10; i++) {
      pace.offer(i);
      clock.advance(5);
    }
    clock.advance(100);
    expect(out).toEqual([
      [0, 1],
      [60, 10],
    ]);
  });

  it('for any offers: at most one value per gap, in order, and the last one always comes within a gap', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 200 }), { minLength: 1, maxLength: 60 }), (gaps) => {
        const clock = fakeClock();
        const out: { at: number; value: number }[] = [];
        const pace = new LatestWins<number>(50, (value) => out.push({ at: clock.now(), value }), clock);
        let lastOfferAt = 0;
        gaps.forEach((gap, value) => {
          clock.advance(gap);
          lastOfferAt = clock.now();
          pace.offer(value);
        });
        clock.advance(1000);
        const spaced = out.every((o, i) => i === 0 || o.at - out[i - 1]!.at >= 50);
        const ordered = out.every((o, i) => i === 0 || o.value > out[i - 1]!.value);
        const last = out.at(-1)!;
        return spaced && ordered && last.value === gaps.length - 1 && last.at - lastOfferAt <= 50;
      }),
    );
  });

  it('forgets what waits when cancelled', () => {
    const clock = fakeClock();
    const out: number[] = [];
    const pace = new LatestWins<number>(60, (v) => out.push(v), clock);
    pace.offer(1);
    pace.offer(2);
    expect(pace.pending).toBe(true);
    pace.cancel();
    clock.advance(200);
    expect(out).toEqual([1]);
  });
});
