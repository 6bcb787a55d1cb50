import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CaptureInfo, CapturedLine } from '@netcanvas/model';
import {
  LINES_KEPT,
  applyCaptureMessage,
  captureActions,
  captureRejected,
  useCaptures,
} from '../src/capture/capture-store';

const info = (more: Partial<CaptureInfo> = {}): CaptureInfo => ({
  id: 'cap-1',
  namespace: 'ns0',
  ifname: 'veth0',
  filter: 'icmp',
  by: 'c-1',
  startedAt: '2026-12-01T00:00:00.000Z',
  argv: ['tcpdump'],
  limits: { packets: 10_000, bytes: 1_000_000, seconds: 60 },
  packets: 0,
  bytes: 0,
  ended: null,
  ...more,
});
const line = (n: number): CapturedLine => [n, 1, 98, '10.0.1.2', '10.0.1.1', 'ICMP', 'echo request'];
const isMoving = () =>
  useCaptures
    .getState()
    .order.some(
      (id) => useCaptures.getState().captures[id]?.moving && !useCaptures.getState().captures[id]?.info.ended,
    );

afterEach(() => {
  useCaptures.setState({ captures: {}, order: [], shown: null, refusals: {}, starting: [] });
  vi.useRealTimers();
});

describe('the page’s captures', () => {
  it('opens the panel on a capture this page started, not on another editor’s', () => {
    captureActions.sent('w1');
    applyCaptureMessage({ type: 'captureStarted', requestId: 'other', capture: info({ id: 'cap-9' }) });
    expect(useCaptures.getState().shown).toBeNull();
    applyCaptureMessage({ type: 'captureStarted', requestId: 'w1', capture: info() });
    expect(useCaptures.getState().shown).toBe('cap-1');
    expect(useCaptures.getState().order).toEqual(['cap-1', 'cap-9']);
  });

  it('holds at most LINES_KEPT lines, counting those it let go and those the agent skipped', () => {
    applyCaptureMessage({ type: 'captureStarted', requestId: null, capture: info() });
    for (let batch = 0; batch < 25; batch++) {
      const lines = Array.from({ length: 100 }, (_, i) => line(batch * 100 + i + 1));
      applyCaptureMessage({
        type: 'capturePackets',
        captureId: 'cap-1',
        lines,
        skipped: 10,
        packets: 0,
        bytes: 0,
      });
    }
    const view = useCaptures.getState().captures['cap-1']!;
    expect(view.lines.length).toBe(LINES_KEPT);
    expect(view.lines.at(-1)?.[0]).toBe(2500);
    expect(view.notShown).toBe(25 * 10 + (2500 - LINES_KEPT));
  });

  it('moves packets on the edge while batches come, and stops a moment after', () => {
    vi.useFakeTimers();
    applyCaptureMessage({ type: 'captureStarted', requestId: null, capture: info() });
    expect(isMoving()).toBe(false);
    applyCaptureMessage({
      type: 'capturePackets',
      captureId: 'cap-1',
      lines: [line(1)],
      skipped: 0,
      packets: 1,
      bytes: 114,
    });
    expect(isMoving()).toBe(true);
    vi.advanceTimersByTime(2000);
    expect(isMoving()).toBe(false);
  });

  it('keeps a refusal of its own start request for its form, and leaves others’ to others', () => {
    captureActions.sent('w2');
    const rejected = {
      type: 'rejected' as const,
      code: 'ERR_INVALID' as const,
      message: 'filter: ";" is not part of tcpdump\'s filter language',
      path: 'filter',
      currentVersion: -1,
    };
    expect(captureRejected({ ...rejected, requestId: 'not-mine' })).toBe(false);
    expect(captureRejected({ ...rejected, requestId: 'w2' })).toBe(true);
    expect(useCaptures.getState().refusals.w2?.path).toBe('filter');
    expect(useCaptures.getState().starting).toEqual([]);
  });
});
