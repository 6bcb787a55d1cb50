import { z } from 'zod';

/**
 * Link effects on one veth end or bridge port (issue 12 §3): what leaves the interface is delayed,
 * lost, duplicated, corrupted, reordered or held to a rate. In the topology document like any
 * other property of an end; how the kernel does each is in docs/link-effects.md.
 */

/** The most a delay or jitter may be: a minute holds far more than a lab needs. */
export const MAX_DELAY_MS = 60_000;
/** tbf's rate, in kbit/s: 8 kbit/s to 100 Gbit/s. */
export const RATE_KBIT = { min: 8, max: 100_000_000 } as const;

const wholeMs = (what: string) =>
  z
    .number({ error: `${what} is a number of milliseconds, e.g. 100` })
    .int({ error: `${what} is a whole number of milliseconds` })
    .min(0, { error: `${what} cannot be negative` })
    .max(MAX_DELAY_MS, { error: `${what} is at most ${MAX_DELAY_MS} ms (a minute)` });

const percent = (what: string) =>
  z
    .number({ error: `${what} is a percentage, e.g. 2` })
    .min(0, { error: `${what} cannot be negative` })
    .max(100, { error: `${what} is a percentage: at most 100` })
    // A hundredth of a percent is the finest the helper's draw tells apart.
    .refine((n) => Math.abs(Math.round(n * 100) - n * 100) < 1e-6, {
      error: `${what} has at most two decimals`,
    });

export const LinkEffects = z
  .object({
    /** Each packet held this long before it leaves. */
    delayMs: wholeMs('The delay').optional(),
    /** Each packet's delay varies by up to this much either way (so packets may overtake). */
    jitterMs: wholeMs('The jitter').optional(),
    lossPercent: percent('The loss').optional(),
    duplicatePercent: percent('The duplicate rate').optional(),
    corruptPercent: percent('The corrupt rate').optional(),
    /** Packets sent at once, ahead of the delayed ones: needs a delay to overtake. */
    reorderPercent: percent('The reorder rate').optional(),
    /** The rate the interface sends at (tbf), in kbit/s. */
    rateKbit: z
      .number({ error: 'The rate is a number of kbit/s, e.g. 1000' })
      .int({ error: 'The rate is a whole number of kbit/s' })
      .min(RATE_KBIT.min, { error: `The rate is at least ${RATE_KBIT.min} kbit/s` })
      .max(RATE_KBIT.max, { error: `The rate is at most ${RATE_KBIT.max} kbit/s (100 Gbit/s)` })
      .optional(),
  })
  .strict()
  .superRefine((e, ctx) => {
    if ((e.reorderPercent ?? 0) > 0 && (e.delayMs ?? 0) === 0)
      ctx.addIssue({
        code: 'custom',
        path: ['reorderPercent'],
        message: 'Reordering needs a delay: packets sent at once overtake the delayed ones',
      });
    if ((e.jitterMs ?? 0) > 0 && (e.delayMs ?? 0) === 0)
      ctx.addIssue({ code: 'custom', path: ['jitterMs'], message: 'A jitter needs a delay to vary' });
  });
export type LinkEffects = z.infer<typeof LinkEffects>;

/** The effects the helper (netcanvas-fx, on NFQUEUE) does; the rate is tbf's. */
export const HelperEffects = z.object({
  delayMs: z.number(),
  jitterMs: z.number(),
  reorderPercent: z.number(),
  lossPercent: z.number(),
  corruptPercent: z.number(),
  duplicatePercent: z.number(),
});
export type HelperEffects = z.infer<typeof HelperEffects>;

/** The interface's root qdisc when it is not the default (noqueue), as `tc -j qdisc show` tells it. */
export const ObservedQdisc = z.object({
  kind: z.string(),
  handle: z.string(),
  /** Ours: it carries netcanvas's handle (4e43:, "NC"); only these are ever replaced or deleted. */
  managed: z.boolean(),
  /** A tbf's rate, in kbit/s. */
  rateKbit: z.number().optional(),
});
export type ObservedQdisc = z.infer<typeof ObservedQdisc>;

/** What the kernel has on one interface. */
export const ObservedLinkEffects = z.object({
  /** The helper on what leaves this interface (its own effects). */
  out: HelperEffects.nullable(),
  /** The helper on what comes in: a bridge port's effects, done at the port's peer (docs/link-effects.md). */
  in: HelperEffects.nullable(),
  qdisc: ObservedQdisc.nullable(),
});
export type ObservedLinkEffects = z.infer<typeof ObservedLinkEffects>;

/** The helper's part of the effects, every field said; null when it has nothing to do. */
export function helperPart(e: LinkEffects | undefined): HelperEffects | null {
  const part: HelperEffects = {
    delayMs: e?.delayMs ?? 0,
    jitterMs: e?.jitterMs ?? 0,
    reorderPercent: e?.reorderPercent ?? 0,
    lossPercent: e?.lossPercent ?? 0,
    corruptPercent: e?.corruptPercent ?? 0,
    duplicatePercent: e?.duplicatePercent ?? 0,
  };
  return Object.values(part).some((v) => v > 0) ? part : null;
}

export const sameHelperEffects = (a: HelperEffects | null, b: HelperEffects | null): boolean =>
  a === b ||
  (a !== null && b !== null && (Object.keys(a) as (keyof HelperEffects)[]).every((k) => a[k] === b[k]));

/** Effects with their zero fields dropped; undefined when nothing is left (no effects at all). */
export function normalEffects(e: LinkEffects | null | undefined): LinkEffects | undefined {
  if (!e) return undefined;
  const kept = Object.fromEntries(Object.entries(e).filter(([, v]) => v !== undefined && v !== 0));
  return Object.keys(kept).length > 0 ? (kept as LinkEffects) : undefined;
}

/** The effects these readings put in force: a helper's and our tbf's rate. */
export function effectsInForce(
  helper: HelperEffects | null,
  qdisc: ObservedQdisc | null,
): LinkEffects | undefined {
  const rate = qdisc?.managed ? qdisc.rateKbit : undefined;
  return normalEffects({ ...(helper ?? {}), ...(rate !== undefined ? { rateKbit: rate } : {}) });
}

const rateText = (kbit: number) =>
  kbit >= 1_000_000
    ? `${kbit / 1_000_000} Gbit/s`
    : kbit >= 1000
      ? `${kbit / 1000} Mbit/s`
      : `${kbit} kbit/s`;

/** The badge on an edge: "100 ms ± 10 ms · 2% loss · 1 Mbit/s"; empty without effects. */
export function effectsLabel(e: LinkEffects | undefined): string {
  if (!e) return '';
  const parts: string[] = [];
  if (e.delayMs) parts.push(e.jitterMs ? `${e.delayMs} ms ± ${e.jitterMs} ms` : `${e.delayMs} ms`);
  if (e.lossPercent) parts.push(`${e.lossPercent}% loss`);
  if (e.duplicatePercent) parts.push(`${e.duplicatePercent}% dup`);
  if (e.corruptPercent) parts.push(`${e.corruptPercent}% corrupt`);
  if (e.reorderPercent) parts.push(`${e.reorderPercent}% reorder`);
  if (e.rateKbit) parts.push(rateText(e.rateKbit));
  return parts.join(' · ');
}

/** The kernel's effects differ from the document's: a sentence, or null when they agree. */
export function effectsDrift(
  ifname: string,
  wanted: LinkEffects | undefined,
  have: LinkEffects | undefined,
): string | null {
  const w = normalEffects(wanted);
  const h = normalEffects(have);
  if (effectsLabel(w) === effectsLabel(h)) return null;
  const say = (e: LinkEffects | undefined) => (e ? effectsLabel(e) : 'none');
  return `The kernel has ${say(h)} on ${ifname}; the topology wants ${say(w)}.`;
}
