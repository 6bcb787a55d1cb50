import { z } from 'zod';
import {
  DEFAULT_ROUTE,
  ROUTE_PROTOCOL,
  RULE_COMMENT,
  RouteType,
  type ObservedFirewall,
  type ObservedRoute,
} from '@netcanvas/model';

/**
 * `ip -j route show table all` → the main table's routes, both families (`route show` alone is
 * IPv4 only, and an ip -batch line cannot say -6); the lab's carry protocol 203.
 */
export const RawRoute = z.looseObject({
  /** blackhole, unreachable, prohibit, throw, local...; absent (or "unicast") for a unicast route. */
  type: z.string().optional(),
  dst: z.string(),
  table: z.string().optional(),
  gateway: z.string().optional(),
  dev: z.string().optional(),
  protocol: z.union([z.string(), z.number()]).optional(),
  metric: z.number().optional(),
  /** Printed for every IPv6 route and no IPv4 one: the family of a "default" without a gateway. */
  pref: z.string().optional(),
});

export type RawRoute = z.infer<typeof RawRoute>;

export function parseRoutes(json: unknown): ObservedRoute[] {
  return z
    .array(RawRoute)
    .parse(json)
    .filter((r) => r.table === undefined || r.table === 'main')
    .flatMap((r) => {
      const type = routeType(r.type);
      if (type === null) return [];
      const protocol = String(r.protocol ?? 'boot');
      const v6 = r.dst.includes(':') || (r.gateway ?? '').includes(':') || r.pref !== undefined;
      return {
        ...(type ? { type } : {}),
        to: routeDestination(r.dst, v6 ? 6 : 4),
        via: r.gateway ?? null,
        // The kernel hangs an IPv6 blackhole (or unreachable, prohibit) on lo and prints "dev lo":
        // its own doing, not the route's; the route was typed without a device.
        dev: type ? null : (r.dev ?? null),
        protocol,
        metric: r.metric ?? null,
        managed: protocol === String(ROUTE_PROTOCOL),
      };
    });
}

/**
 * undefined for unicast, the type for blackhole, unreachable and prohibit, and null for any other
 * kind (throw, nat, or local, broadcast, multicast and anycast put in the main table by hand): the
 * model has no words for those (RouteType says why), so they are left out rather than read as
 * unicast routes that adopt would turn into something else. The cost: such a route made by hand
 * at the key of a wanted one is not a conflict before the apply; the add fails ("File exists")
 * and the apply stops there, saying so.
 */
function routeType(type: string | undefined): RouteType | undefined | null {
  if (type === undefined || type === 'unicast') return undefined;
  const known = RouteType.safeParse(type);
  return known.success ? known.data : null;
}

/**
 * The destination as the document writes it: "default" or "::/0" by family, and a host route
 * (printed without its prefix, "10.2.0.5") as "10.2.0.5/32".
 */
function routeDestination(dst: string, family: 4 | 6): string {
  if (dst === 'default') return DEFAULT_ROUTE[family];
  return dst.includes('/') ? dst : `${dst}/${family === 6 ? 128 : 32}`;
}

/** `ip -j netconf show` → whether IPv4 forwarding is on ("all"). */
export function parseForwarding(json: unknown): boolean | undefined {
  const entries = z
    .array(z.looseObject({ family: z.string(), interface: z.string(), forwarding: z.boolean().optional() }))
    .parse(json);
  return entries.find((e) => e.family === 'inet' && e.interface === 'all')?.forwarding;
}

/** Splits an iptables-save line into words, honouring the double quotes it puts around words with spaces. */
export function splitSaveLine(line: string): string[] {
  const words: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (const m of line.matchAll(re))
    words.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] as string));
  return words;
}

/** `iptables-save -c` → chains (with policies and their counters) and rules (with theirs), in order. */
export function parseIptablesSave(text: string): ObservedFirewall {
  const firewall: ObservedFirewall = { chains: [], rules: [] };
  let table = '';
  for (const line of text.split('\n')) {
    if (line.startsWith('*')) table = line.slice(1).trim();
    else if (line.startsWith(':')) {
      const m = /^:(\S+) (\S+) \[(\d+):(\d+)\]/.exec(line);
      if (m)
        firewall.chains.push({
          table,
          name: m[1] as string,
          policy: m[2] === '-' ? null : (m[2] as string),
          packets: Number(m[3]),
          bytes: Number(m[4]),
        });
    } else if (line.startsWith('[')) {
      const m = /^\[(\d+):(\d+)\] -A (\S+) ?(.*)$/.exec(line);
      if (!m) continue;
      const args = splitSaveLine(m[4] as string);
      firewall.rules.push({
        table,
        chain: m[3] as string,
        args,
        managed: args.some(
          (a, i) => a === '--comment' && args[i + 1] === RULE_COMMENT && args[i - 1] === 'comment',
        ),
        packets: Number(m[1]),
        bytes: Number(m[2]),
      });
    }
  }
  return firewall;
}
