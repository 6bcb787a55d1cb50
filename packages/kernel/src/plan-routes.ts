import {
  routeChangeText,
  routeKey,
  routeMatches,
  routeSameAs,
  routeText,
  type ObservedRoute,
  type PlanConflict,
  type RouteSpec,
  type Step,
} from '@netcanvas/model';
import * as cmd from './commands';
import type { PlanOptions } from './plan';

/**
 * The routes part of a plan for one namespace (its own batch, after its interfaces are addressed
 * and up, so gateways are reachable). The kernel keys a route by destination and metric:
 *
 * - a wanted route whose key the lab already has with another gateway or device is changed in
 *   place (`ip route replace`): no moment without the route, and a failed replace leaves the old
 *   one, where a delete and an add would leave none;
 * - a new key is added before the lab's routes that go are deleted, so a route moving to another
 *   metric never leaves a gap either;
 * - a route made by hand that says what a wanted one says (the lab's route after someone typed
 *   `ip route replace` with the same words: proto boot now) is taken back in place, `ip route
 *   replace ... proto 203`: it forwards as before, and an add would fail with "File exists";
 * - otherwise only the lab's routes (proto 203) are replaced or deleted. A route made by hand with
 *   the key of a wanted one and other words is a conflict (the add would fail with "File exists"
 *   half-way through an apply, and replacing it would undo someone's work unasked), unless the
 *   plan is a converge a person asked for (`takeBack`: "Make the kernel match"), which puts the
 *   topology's route back in its place.
 *
 * `observed` undefined: a namespace about to be made, with no routes yet.
 */
export function planRoutes(
  namespace: string,
  wanted: readonly RouteSpec[],
  observed: readonly ObservedRoute[] | undefined,
  at: string,
  options: PlanOptions = {},
): { steps: Step[]; conflicts: PlanConflict[] } {
  const have = observed ?? [];
  const kept = new Set<ObservedRoute>();
  const missing: { want: RouteSpec; index: number }[] = [];
  wanted.forEach((want, index) => {
    const found = have.find((h) => !kept.has(h) && routeMatches(want, h));
    if (found) kept.add(found);
    else missing.push({ want, index });
  });

  const replaces: Step[] = [];
  const adds: Step[] = [];
  const conflicts: PlanConflict[] = [];
  for (const { want, index } of missing) {
    const sameKey = have.find((h) => !kept.has(h) && routeKey(h) === routeKey(want));
    if (sameKey?.managed) {
      kept.add(sameKey);
      replaces.push(cmd.routeReplace(namespace, want, routeChangeText(sameKey, want)));
    } else if (sameKey && sameKey.protocol !== 'kernel' && routeSameAs(want, sameKey)) {
      kept.add(sameKey);
      const reason = `take back route ${routeText(want)}, made by hand (proto ${sameKey.protocol})`;
      replaces.push(cmd.routeReplace(namespace, want, reason));
    } else if (sameKey && sameKey.protocol !== 'kernel' && options.takeBack === true) {
      kept.add(sameKey);
      const reason = `put back route ${routeText(want)}, changed by hand to ${routeText(sameKey)} (proto ${sameKey.protocol})`;
      replaces.push(cmd.routeReplace(namespace, want, reason));
    } else if (sameKey)
      conflicts.push({
        path: `${at}[${index}]`,
        message:
          `the kernel has a route "${routeText(sameKey)}" (proto ${sameKey.protocol}) that netcanvas did not make, ` +
          'with the same destination and metric; remove it (ip route del ...), adopt it, or give yours another metric',
      });
    else adds.push(cmd.routeAdd(namespace, want));
  }
  const deletes = have.filter((h) => h.managed && !kept.has(h)).map((h) => cmd.routeDel(namespace, h));
  return { steps: [...replaces, ...adds, ...deletes], conflicts };
}
