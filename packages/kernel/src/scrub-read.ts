import { z } from 'zod';
import { run } from './process';
import { inNamespace, type Target } from './target';
import { RawRoute } from './parse-netfilter';

export type { RawRoute };

/**
 * What a reset's scrub (scrub.ts) reads beyond the observed state, which holds only what the model
 * has words for: every table's routes of both families and every kind (the observer keeps the
 * main table's unicast, blackhole, unreachable and prohibit ones), the policy rules of both
 * families (`ip rule`; the lab makes none) and nft's tables (ip6tables and nft's own live there).
 */
export interface ScrubExtras {
  routes: RawRoute[];
  rules: RawRule[];
  nftTables: { family: string; name: string }[];
}

// The same fields as the main table's routes (parse-netfilter.ts), of every table here.

const RawRule = z.looseObject({
  priority: z.number(),
  src: z.string().optional(),
  srclen: z.number().optional(),
  dst: z.string().optional(),
  dstlen: z.number().optional(),
  fwmark: z.string().optional(),
  fwmask: z.string().optional(),
  iif: z.string().optional(),
  oif: z.string().optional(),
  table: z.string().optional(),
  /** prohibit, unreachable, blackhole, goto, nop: a rule that looks nothing up. */
  action: z.string().optional(),
});
/** A policy rule as `ip -j rule show` prints it, with the family it was read in. */
export type RawRule = z.infer<typeof RawRule> & { family: 4 | 6 };

const NftList = z.object({
  nftables: z.array(z.looseObject({ table: z.object({ family: z.string(), name: z.string() }).optional() })),
});

/** One context's extras: four reads at once, each a process in that namespace. */
export async function readScrubExtras(target: Target, context: string): Promise<ScrubExtras> {
  const read = async (argv: string[]) => {
    const result = await run(inNamespace(target, context, argv), { timeoutMs: 10_000 });
    if (result.exitCode !== 0)
      throw new Error(`could not read ${context}: ${argv.join(' ')}: ${result.stderr.trim()}`);
    return JSON.parse(result.stdout || '[]') as unknown;
  };
  const [routes, rules4, rules6, nft] = await Promise.all([
    read(['ip', '-j', 'route', 'show', 'table', 'all']),
    read(['ip', '-j', 'rule', 'show']),
    read(['ip', '-j', '-6', 'rule', 'show']),
    // Without nft (an iptables-legacy machine) nothing of nft's can be there to remove.
    read(['nft', '-j', 'list', 'tables']).catch(() => ({ nftables: [] })),
  ]);
  const rules = (family: 4 | 6, json: unknown) =>
    z
      .array(RawRule)
      .parse(json)
      .map((r) => ({ ...r, family }));
  return {
    routes: z.array(RawRoute).parse(routes),
    rules: [...rules(4, rules4), ...rules(6, rules6)],
    nftTables: NftList.parse(nft).nftables.flatMap((entry) => (entry.table ? [entry.table] : [])),
  };
}
