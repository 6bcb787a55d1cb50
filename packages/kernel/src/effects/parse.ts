import { z } from 'zod';
import { HelperEffects, type ObservedQdisc } from '@netcanvas/model';
import { OWNED_QDISC_HANDLE, type FxDirection } from './commands';

/** `tc -j qdisc show root` → each interface's root qdisc, by interface name (noqueue prints nothing). */
const RawQdisc = z.looseObject({
  kind: z.string(),
  handle: z.string(),
  dev: z.string().optional(),
  root: z.boolean().optional(),
  options: z.looseObject({ rate: z.number().optional() }).optional(),
});

export function parseQdiscs(json: unknown): Map<string, ObservedQdisc> {
  const out = new Map<string, ObservedQdisc>();
  for (const q of z.array(RawQdisc).parse(json)) {
    if (!q.dev || q.root === false || q.kind === 'noqueue') continue;
    const rate = q.kind === 'tbf' ? q.options?.rate : undefined;
    out.set(q.dev, {
      kind: q.kind,
      handle: q.handle,
      managed: q.handle === OWNED_QDISC_HANDLE,
      // tc prints a rate in bytes per second.
      ...(rate !== undefined ? { rateKbit: Math.round((rate * 8) / 1000) } : {}),
    });
  }
  return out;
}

/** The state file netcanvas-fx writes (/run/netcanvas-fx/NETNS-INODE-DIR-DEV.json). */
const HelperState = HelperEffects.extend({
  pid: z.number().int(),
  queue: z.number().int(),
  dev: z.string(),
  dir: z.enum(['out', 'in']),
});

export interface HelperFile {
  pid: number;
  dev: string;
  dir: FxDirection;
  effects: HelperEffects;
}

/** One state file's text → what it says; null when it is not one (a half-written file, another tool's). */
export function parseHelperState(text: string): HelperFile | null {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = HelperState.safeParse(json);
  if (!parsed.success) return null;
  const { pid, queue: _queue, dev, dir, ...effects } = parsed.data;
  return { pid, dev, dir, effects };
}

/** The namespace inode a state file's name begins with ("4026532-out-eth0.json" → "4026532"). */
export const helperFileInode = (name: string): string | null =>
  /^(\d+)-(?:out|in)-.+\.json$/.exec(name)?.[1] ?? null;
