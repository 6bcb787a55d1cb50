import type { Graph } from '../adapters/types';
import { downloadBlob } from './export-file';
import { liveFigures } from './export-picture-figures';
import { pictureSvg, type Picture } from './export-picture-svg';

/**
 * "Export picture": the whole lab as an SVG drawing or a PNG image, with or without live figures.
 * Both come from one vector drawing (export-picture-svg.ts); the PNG is that drawing rasterised by
 * the browser, so the two files always show the same picture.
 */
export type PictureFormat = 'png' | 'svg';

/** PNG pixels per canvas unit: sharp on a projector and in print at slide size. */
export const PNG_SCALE = 2;
/** Chromium refuses canvases past 16,384 px a side or about 268 M pixels; far below both, memory stays sane. */
const MAX_SIDE = 16_384;
const MAX_PIXELS = 40_000_000;

/** "netcanvas-LAB-2026-12-01.png" (the local date: what the person exporting sees on their calendar). */
export function pictureFileName(lab: string, format: PictureFormat, at: Date): string {
  const day = [at.getFullYear(), at.getMonth() + 1, at.getDate()]
    .map((n) => String(n).padStart(2, '0'))
    .join('-');
  return `netcanvas-${lab.replace(/[^A-Za-z0-9._-]/g, '_')}-${day}.${format}`;
}

/** How many pixels a canvas unit becomes: PNG_SCALE, less for a lab too large for that. */
export function pngScale(width: number, height: number): number {
  return Math.min(PNG_SCALE, MAX_SIDE / Math.max(width, height), Math.sqrt(MAX_PIXELS / (width * height)));
}

/** UTF-8 text as base64: a third longer, where percent-encoding markup would make it two or three times. */
function base64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/**
 * The drawing rasterised: loaded as an image from a data: URL (the agent's CSP allows images from
 * data:, not blob:), drawn on a canvas, encoded as PNG. The drawing has no foreignObject and no
 * outside resource, so the canvas stays readable.
 */
async function rasterise(picture: Picture): Promise<Blob> {
  const image = new Image();
  image.src = `data:image/svg+xml;base64,${base64(picture.svg)}`;
  await image.decode();
  const scale = pngScale(picture.width, picture.height);
  const canvas = Object.assign(document.createElement('canvas'), {
    width: Math.round(picture.width * scale),
    height: Math.round(picture.height * scale),
  });
  const context = canvas.getContext('2d');
  if (!context) throw new Error('the browser gave no 2D canvas to draw the PNG on');
  context.drawImage(image, 0, 0, canvas.width, canvas.height);
  return new Promise((resolve, reject) =>
    canvas.toBlob(
      (blob) => (blob ? resolve(blob) : reject(new Error('the browser could not encode the PNG'))),
      'image/png',
    ),
  );
}

/** Draws the lab and downloads it; resolves to the file's name. */
export async function exportPicture(
  graph: Graph,
  lab: string,
  format: PictureFormat,
  withFigures: boolean,
): Promise<string> {
  const figures = withFigures ? liveFigures() : null;
  const title = `netcanvas lab ${lab}${withFigures ? ', with live figures' : ''}`;
  const picture = pictureSvg(graph, { figures, title });
  const name = pictureFileName(lab, format, new Date());
  const blob =
    format === 'svg' ? new Blob([picture.svg], { type: 'image/svg+xml' }) : await rasterise(picture);
  downloadBlob(blob, name);
  return name;
}
