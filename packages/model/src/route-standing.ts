import type { ObservedRoute } from './observed';
import {
  DEFAULT_ROUTE,
  routeHowText,
  routeKey,
  routeMatches,
  routeSameAs,
  routeText,
  routeTypeOf,
  routeTypeWords,
  type RouteLike,
} from './routing';

/**
 * Where a route of the document stands in its namespace's table. The kernel keys a route by
 * destination and metric, and `ip route replace` typed by hand on the lab's route keeps the key
 * but leaves the route proto boot: it is then neither the lab's route nor missing, and saying
 * "missing" (then planning an add that fails with "File exists") was wrong.
 *
 * - `held`: the lab's route, as wanted;
 * - `byHand`: the wanted route, with the same words, made by hand (the lab takes it back in place);
 * - `changedByHand`: the wanted key holds a route made by hand that says something else (another
 *   gateway, device or type): one change, not a route missing plus another made by hand;
 * - `missing`: nothing made by hand at its key (the lab's own route there with other words is
 *   changed in place, and said as the lab's route the topology does not have).
 */
export type RouteStanding =
  { kind: 'held' } | { kind: 'missing' } | { kind: 'byHand' | 'changedByHand'; have: ObservedRoute };

export function routeStanding(want: RouteLike, routes: readonly ObservedRoute[]): RouteStanding {
  if (routes.some((have) => routeMatches(want, have))) return { kind: 'held' };
  // The kernel's own (connected subnets) are no one's hand: the document may not take their key.
  const have = routes.find((h) => !h.managed && h.protocol !== 'kernel' && routeKey(h) === routeKey(want));
  if (!have) return { kind: 'missing' };
  return { kind: routeSameAs(want, have) ? 'byHand' : 'changedByHand', have };
}

/** "the default route", "the route to 10.0.2.0/24 (metric 5)": a route by its key. */
const routeSubject = (route: RouteLike): string => {
  const to = route.to === DEFAULT_ROUTE[4] || route.to === DEFAULT_ROUTE[6] ? 'the default route' : null;
  const metric = route.metric ? ` (metric ${route.metric})` : '';
  return `${to ?? `the route to ${route.to}`}${metric}`;
};

/** Only the gateway differs: both unicast through a gateway, on the device the document names. */
const onlyGatewayDiffers = (want: RouteLike, have: ObservedRoute): boolean =>
  routeTypeOf(want) === undefined &&
  routeTypeOf(have) === undefined &&
  Boolean(want.via) &&
  Boolean(have.via) &&
  (!want.dev || want.dev === have.dev);

/**
 * A route of the document the kernel has at its key made by hand, in words:
 * - "route default via 10.1.0.1 made by hand (proto boot)": the same route;
 * - "the default route's gateway changed by hand (proto boot): 10.1.0.1 → 10.1.0.254";
 * - "the route to 10.9.0.0/16 changed by hand (proto boot): via 10.0.1.1 → blackhole": anything else.
 */
export function routeByHandText(want: RouteLike, standing: RouteStanding): string {
  if (standing.kind !== 'byHand' && standing.kind !== 'changedByHand') return `route ${routeText(want)}`;
  const { have } = standing;
  const by = `by hand (proto ${have.protocol})`;
  if (standing.kind === 'byHand') return `route ${routeText(want)} made ${by}`;
  if (onlyGatewayDiffers(want, have))
    return `${routeSubject(want)}'s gateway changed ${by}: ${want.via} → ${have.via}`;
  const words = (r: RouteLike) => [...routeTypeWords(r), ...routeHowText({ ...r, metric: null })].join(' ');
  return `${routeSubject(want)} changed ${by}: ${words(want)} → ${words(have)}`;
}
