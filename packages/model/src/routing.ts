import { z } from 'zod';
import { addressRange, inSubnet, parseCidr, parseCidrSyntax, parseIpAddress } from './address';
import { InterfaceName } from './names';
import type { ObservedRoute } from './observed';

/**
 * Static routes of one namespace (the main table). A route the lab makes carries its own routing
 * protocol number (`proto 203`), so hand-made routes are told apart and never removed.
 */
export const ROUTE_PROTOCOL = 203;

/**
 * The default route of each family, as the document writes it: "default" for IPv4 (what `ip route`
 * prints and the tutorial types), "::/0" for IPv6, where a bare "default" would not say its family
 * when the route has no gateway. `0.0.0.0/0` and "default" with an IPv6 gateway are read as these.
 */
export const DEFAULT_ROUTE = { 4: 'default', 6: '::/0' } as const;

/** The family a route's destination (as the document or the observer writes it) belongs to. */
export const routeFamily = (to: string): 4 | 6 => (to.includes(':') ? 6 : 4);

/**
 * Networks no route points at, and the prefix from which a network lies wholly inside them
 * (`0.0.0.0/1` is half the internet, `0.0.0.0/8` is "this network").
 */
const SPECIAL_RANGES: Record<string, { prefix: { 4: number; 6: number }; why: string }> = {
  unspecified: { prefix: { 4: 8, 6: 128 }, why: 'is "this network" (0.0.0.0/8), which no route reaches' },
  loopback: {
    prefix: { 4: 8, 6: 128 },
    why: 'is the loopback range; the kernel routes it through lo by itself',
  },
  multicast: { prefix: { 4: 4, 6: 8 }, why: 'is a multicast range; netcanvas routes unicast traffic' },
  broadcast: { prefix: { 4: 32, 6: 129 }, why: 'is the broadcast address, which no route reaches' },
};

/** `to`: "default", or a network in CIDR form with no host bits set (`10.0.2.0/24`, not `10.0.2.5/24`). */
export const RouteDestination = z.string().transform((value, ctx) => {
  const fail = (message: string) => {
    ctx.addIssue({ code: 'custom', message, input: value });
    return z.NEVER;
  };
  if (value === 'default') return value;
  if (!value.includes('/'))
    return fail(
      `"${value}" has no prefix length; write a network (10.0.2.0/24), a host (10.0.2.5/32) or "default"`,
    );
  const parsed = parseCidrSyntax(value);
  if (!parsed.ok) return fail(parsed.error);
  const { ip, prefix, family } = parsed.value;
  const network = networkOf(ip, prefix, family);
  if (network !== ip) {
    const hint = prefix === 0 ? ` (the default route: write "${DEFAULT_ROUTE[family]}")` : '';
    return fail(`"${value}" has host bits set; the network is ${network}/${prefix}${hint}`);
  }
  if (prefix === 0) return DEFAULT_ROUTE[family];
  const special = SPECIAL_RANGES[addressRange(ip)];
  if (special && prefix >= special.prefix[family]) return fail(`"${value}" ${special.why}`);
  return parsed.value.text;
});

/** An address to send to (SNAT's --to-source, ...): strict, canonical. */
export const IpAddressText = z.string().transform((value, ctx) => {
  const parsed = parseIpAddress(value);
  if (!parsed.ok) {
    ctx.addIssue({ code: 'custom', message: parsed.error, input: value });
    return z.NEVER;
  }
  return parsed.ip;
});

/** A gateway (`via`): a unicast address a neighbour can have. */
export const GatewayAddress = IpAddressText.superRefine((ip, ctx) => {
  const range = addressRange(ip);
  if (['unspecified', 'loopback', 'multicast', 'broadcast'].includes(range))
    ctx.addIssue({ code: 'custom', message: `${ip} is a ${range} address, not a gateway`, input: ip });
});

/** fe80::/10: valid on every link at once, so the kernel needs to be told which (`dev`). */
export const isLinkLocalGateway = (ip: string): boolean =>
  ip.includes(':') && addressRange(ip) === 'linkLocal';

/**
 * The kinds of route a document holds besides unicast (absent `type`): each ends the lookup with no
 * next hop. blackhole drops the packet silently; unreachable drops it and answers ICMP host
 * unreachable (the sender's own socket gets "No route to host"); prohibit answers ICMP
 * administratively prohibited ("Permission denied"). They take a destination and maybe a metric,
 * never a gateway or a device: `ip route add blackhole 10.9.0.0/16`.
 *
 * `ip` prints other kinds too (local, broadcast, multicast, anycast, throw, nat). The kernel makes
 * the first four in its local table, which netcanvas does not read; throw only means something with
 * policy rules, and nat is long gone from the kernel. The observer leaves them all out
 * (parseRoutes), so none is ever shown as, or adopted as, a plain route.
 */
export const ROUTE_TYPES = ['blackhole', 'unreachable', 'prohibit'] as const;
export const RouteType = z.enum(ROUTE_TYPES);
export type RouteType = z.infer<typeof RouteType>;

export const RouteSpec = z
  .object({
    /** blackhole, unreachable or prohibit; absent for a unicast route (through a gateway or a device). */
    type: RouteType.optional(),
    to: RouteDestination,
    /** The gateway: an address inside a subnet the namespace is connected to (or IPv6 link-local, with dev). */
    via: GatewayAddress.optional(),
    /** The interface to send through (in the same namespace). */
    dev: InterfaceName.optional(),
    /** Part of the kernel's key with the destination: two routes to one network differ by metric. */
    metric: z.number().int().min(0).max(4294967295).optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.type !== undefined) {
      // The kernel takes `blackhole X via G`, yet never uses the gateway: refused so the document
      // says what the kernel does.
      for (const field of ['via', 'dev'] as const)
        if (r[field] !== undefined)
          ctx.addIssue({
            code: 'custom',
            message: `a ${r.type} route has no ${field === 'via' ? 'gateway (via)' : 'interface (dev)'}: it sends nothing anywhere`,
            path: [field],
          });
      return;
    }
    if (r.via === undefined && r.dev === undefined)
      ctx.addIssue({
        code: 'custom',
        message: 'a route needs a gateway (via) or an interface (dev)',
        path: ['via'],
      });
    if (r.via === undefined) return;
    const viaFamily = routeFamily(r.via);
    if (r.to !== 'default' && routeFamily(r.to) !== viaFamily)
      ctx.addIssue({
        code: 'custom',
        message: `the gateway ${r.via} is IPv${viaFamily} but ${r.to} is IPv${routeFamily(r.to)}`,
        path: ['via'],
      });
    if (isLinkLocalGateway(r.via) && r.dev === undefined)
      ctx.addIssue({
        code: 'custom',
        message: `${r.via} is link-local: name the interface it is on (dev)`,
        path: ['dev'],
      });
  })
  // `ip -6 route add default via 2001:db8::1` as typed: the gateway says the family.
  .transform((r) =>
    r.to === 'default' && r.via !== undefined && routeFamily(r.via) === 6
      ? { ...r, to: DEFAULT_ROUTE[6] }
      : r,
  );
export type RouteSpec = z.infer<typeof RouteSpec>;

/** A route as the document or the observer has it (the observer says null where the document omits). */
export interface RouteLike {
  /** Absent (or null) for unicast. */
  type?: RouteType | null | undefined;
  to: string;
  via?: string | null | undefined;
  dev?: string | null | undefined;
  metric?: number | null | undefined;
}

/** The metric the kernel gives a route: IPv6 turns none (and 0) into 1024; IPv4 keeps 0. */
export const effectiveMetric = (route: RouteLike): number => {
  const metric = route.metric ?? 0;
  return routeFamily(route.to) === 6 && metric === 0 ? 1024 : metric;
};

/**
 * What the kernel keys a route by (in the main table): its destination and metric. A second route
 * with the same key is refused ("File exists"); `ip route replace` changes the one with that key.
 * The type is not part of it: `blackhole X` next to `X via G` at one metric is "File exists" too,
 * and `ip route replace blackhole X` turns `X via G` into the blackhole in place.
 */
export const routeKey = (route: RouteLike): string => `${route.to} metric ${effectiveMetric(route)}`;

/**
 * Everything an observed route says, as one text, field by field (not `JSON.stringify`: a route
 * read in part gets its `dev` last, a dump's has it in place). Two reads of the same table list
 * the same routes in different orders: compared as sorted lists of these (kernel route-order.ts,
 * the page's packet path).
 */
export const observedRouteIdentity = (r: ObservedRoute): string =>
  [r.type ?? '', r.to, r.via ?? '', r.dev ?? '', r.protocol, r.metric ?? '', r.managed].join('\0');

/** The type as one value: undefined for unicast, however the route writes it. */
export const routeTypeOf = (route: RouteLike): RouteType | undefined => route.type ?? undefined;

/**
 * Whether the observed route is the wanted one: the lab's, with the same content (routeSameAs).
 */
export function routeMatches(want: RouteLike, have: ObservedRoute): boolean {
  return have.managed && routeSameAs(want, have);
}

/**
 * Whether the observed route says what the wanted one says, whoever made it: same key, type and
 * gateway, same device if named. A route made by hand that passes is the wanted route taken over
 * by hand (`ip route replace` typed with the same words leaves it proto boot): the lab takes it
 * back in place, where an add would fail with "File exists".
 */
export function routeSameAs(want: RouteLike, have: ObservedRoute): boolean {
  return (
    routeKey(have) === routeKey(want) &&
    routeTypeOf(have) === routeTypeOf(want) &&
    (have.via ?? null) === (want.via ?? null) &&
    (want.dev === undefined || want.dev === null || have.dev === want.dev)
  );
}

/** `10.0.2.0/24 via 10.0.1.1 dev eth0 metric 5`, `blackhole 10.9.0.0/16`, as `ip route` prints it. */
export function routeText(route: RouteLike): string {
  return [...routeTypeWords(route), route.to, ...routeHowText(route)].join(' ');
}

/** The word before the destination: `blackhole` (none for unicast). */
export const routeTypeWords = (route: RouteLike): string[] => (route.type ? [route.type] : []);

/** The words after the destination: `via 10.0.1.1 dev eth0 metric 5` (none for none). */
export function routeHowText(route: RouteLike): string[] {
  return [
    ...(route.via ? ['via', route.via] : []),
    ...(route.dev ? ['dev', route.dev] : []),
    ...(route.metric !== undefined && route.metric !== null ? ['metric', String(route.metric)] : []),
  ];
}

/**
 * The route of `routes` the kernel's lookup picks for `destination` (an address): the longest
 * prefix of its family, then the lowest metric; undefined when none covers it. For explaining a
 * refusal (`ip route get` says only "Invalid argument"), not for routing: rules and tos are not read.
 */
export function longestMatch<R extends RouteLike>(routes: readonly R[], destination: string): R | undefined {
  const family = routeFamily(destination);
  let best: { route: R; prefix: number; metric: number } | undefined;
  for (const route of routes) {
    if (routeFamily(route.to) !== family) continue;
    const net = route.to === DEFAULT_ROUTE[4] ? null : parseCidrSyntax(route.to);
    if (net && (!net.ok || !inSubnet(destination, net.value))) continue;
    const prefix = net?.ok ? net.value.prefix : 0;
    const metric = effectiveMetric(route);
    if (!best || prefix > best.prefix || (prefix === best.prefix && metric < best.metric))
      best = { route, prefix, metric };
  }
  return best?.route;
}

/** The network address of ip/prefix, canonical. */
export function networkOf(ip: string, prefix: number, family: 4 | 6): string {
  if (family === 4) {
    const n = ip.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
    const masked = prefix === 0 ? 0n : (n >> BigInt(32 - prefix)) << BigInt(32 - prefix);
    return [24n, 16n, 8n, 0n].map((s) => String((masked >> s) & 255n)).join('.');
  }
  const parsed = parseCidr(`${ip}/128`);
  if (!parsed.ok) return ip;
  const full = expandIpv6(parsed.value.ip);
  const n = full.reduce((acc, part) => (acc << 16n) | BigInt(part), 0n);
  const masked = prefix === 0 ? 0n : (n >> BigInt(128 - prefix)) << BigInt(128 - prefix);
  const groups = Array.from({ length: 8 }, (_, i) =>
    ((masked >> BigInt(112 - 16 * i)) & 0xffffn).toString(16),
  );
  const canonical = parseCidr(`${groups.join(':')}/128`);
  return canonical.ok ? canonical.value.ip : ip;
}

function expandIpv6(ip: string): number[] {
  const [head, tail] = ip.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const missing = 8 - h.length - t.length;
  return [...h, ...Array.from({ length: tail === undefined ? 0 : missing }, () => '0'), ...t].map((g) =>
    parseInt(g || '0', 16),
  );
}

/**
 * `change route 10.0.2.0/24 via 10.0.1.254 → via 10.0.1.1`: one route, changed in place;
 * `change route 10.9.0.0/16 via 10.0.1.1 → blackhole` when its type changes.
 */
export const routeChangeText = (from: RouteLike, to: RouteLike): string =>
  `change route ${to.to} ${routeChangeWords(from).join(' ')} → ${routeChangeWords(to).join(' ')}`;

/** What one side of a change is: its type (unicast: none), gateway, device and metric. */
const routeChangeWords = (route: RouteLike): string[] => [...routeTypeWords(route), ...routeHowText(route)];

/**
 * What a new list of routes changes, in words (for the log of edits): routes with the same key
 * (destination and metric) are changed in place, as the planner does; the others added or removed.
 */
export function describeRouteChanges(before: readonly RouteLike[], after: readonly RouteLike[]): string[] {
  const old = new Map(before.map((r) => [routeKey(r), r]));
  const phrases: string[] = [];
  for (const r of after) {
    const was = old.get(routeKey(r));
    old.delete(routeKey(r));
    if (!was) phrases.push(`add route ${routeText(r)}`);
    else if (routeText(was) !== routeText(r)) phrases.push(routeChangeText(was, r));
  }
  for (const r of old.values()) phrases.push(`remove route ${routeText(r)}`);
  return phrases;
}
