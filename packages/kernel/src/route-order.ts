import { observedRouteIdentity, type ObservedRoute } from '@netcanvas/model';

/**
 * The routes as last kept when only their order differs: `previous` itself, else `next`.
 *
 * Two reads of the same table disagree on order. A whole read prints the kernel's (`route show
 * table all`: IPv4 first, then IPv6), a read in part puts back the routes of one device together
 * where its first one was (observe-partial.ts `replaceDevRoutes`). Kept as read, the next whole
 * read sent every client a `routes` patch of the same routes in another order, and a page took it
 * for a change: a packet path's fresh answer was marked "Out of date: root changed" (CI, session
 * 19's submission; e2e packet-path.spec). A route added or removed still comes in the order read.
 */
export function keepRouteOrder(
  previous: readonly ObservedRoute[] | undefined,
  next: ObservedRoute[],
): ObservedRoute[] {
  if (previous === undefined || previous.length !== next.length) return next;
  const before = previous.map(observedRouteIdentity).sort();
  const after = next.map(observedRouteIdentity).sort();
  return before.every((k, i) => k === after[i]) ? (previous as ObservedRoute[]) : next;
}
