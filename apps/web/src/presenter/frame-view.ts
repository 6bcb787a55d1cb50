import type { PresenterFrame } from '@netcanvas/model';

/** React Flow's transform: translate x, y (screen pixels) and zoom. */
export type Transform = readonly [number, number, number];
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The part of the canvas a pane of `width` × `height` pixels shows, in flow coordinates. */
export function visibleRect([tx, ty, zoom]: Transform, width: number, height: number): Rect {
  return { x: -tx / zoom, y: -ty / zoom, width: width / zoom, height: height / zoom };
}

/**
 * The viewport that shows `visible` whole in a pane of `width` × `height`, centred: a follower
 * with another window size sees the same area as the lead (more of it along one side when the
 * shapes differ), within the canvas's zoom range.
 */
export function viewportShowing(
  visible: Rect,
  width: number,
  height: number,
  zoomRange: { min: number; max: number },
): { x: number; y: number; zoom: number } {
  const fit = Math.min(width / visible.width, height / visible.height);
  const zoom = Math.min(zoomRange.max, Math.max(zoomRange.min, fit));
  const cx = visible.x + visible.width / 2;
  const cy = visible.y + visible.height / 2;
  return { x: width / 2 - cx * zoom, y: height / 2 - cy * zoom, zoom };
}

/** Flow coordinates to the pane's pixels. */
export const toScreen = ([tx, ty, zoom]: Transform, p: { x: number; y: number }) => ({
  x: p.x * zoom + tx,
  y: p.y * zoom + ty,
});

/** Frames are small plain data: two that print the same are the same (nothing to send). */
export const frameKey = (frame: PresenterFrame): string => JSON.stringify(frame);

/** Rounds what the lead's page measured so a sub-pixel jitter is not a new frame. */
export const rounded = (n: number, places = 2): number => Math.round(n * 10 ** places) / 10 ** places;
