import {
  findNamespace,
  firewallWithoutCounters,
  observedRouteIdentity,
  patchedNamespace,
  routeFamily,
  sameJson,
  type ObservedInterface,
  type ObservedPatch,
  type ObservedRoute,
  type ObservedState,
  type PathProtocol,
  type PathResult,
  type ServerMessage,
} from '@netcanvas/model';
import { create } from 'zustand';
import { segmentChangedIn } from './path-segment';

/** The packet path the page asked for last, and its answer (one at a time, as the agent allows). */
export interface PathRun {
  requestId: string;
  from: string;
  to: string;
  protocol: PathProtocol;
  port: number | null;
  result: PathResult | null;
  /** The agent's refusal (the field named), or the connection closing first. */
  error: string | null;
  errorField: string | null;
  /**
   * Set when the observed state of a namespace on the path changed after the answer (its rules,
   * routes, addresses, links): the verdict may no longer hold, and the page says so rather than
   * show it as the lab's truth. The namespace named.
   */
  changedIn?: string;
}

interface PathState {
  run: PathRun | null;
  /** Whether the hops are drawn on the canvas (the panel can hide them without forgetting them). */
  shown: boolean;
}

export const usePath = create<PathState>(() => ({ run: null, shown: true }));

export const pathActions = {
  start(run: PathRun): void {
    usePath.setState({ run, shown: true });
  },
  fail(requestId: string, error: string, field: string | null): void {
    const run = usePath.getState().run;
    if (run?.requestId === requestId) usePath.setState({ run: { ...run, error, errorField: field } });
  },
  clear(): void {
    usePath.setState({ run: null });
  },
  /**
   * Observed patches that arrived (`before` and `after` them): the answer is out of date when one
   * changes a namespace the packet was in (or crossed a bridge in), or, for an answer that ended
   * with no ARP answer, the addresses of a namespace on that last link (path-segment.ts). Learned
   * MACs are not counted (they age, and the probe itself teaches them), nor a list's order.
   */
  observedChanged(
    patches: readonly ObservedPatch[],
    before: ObservedState | null,
    after: ObservedState | null,
  ): void {
    const run = usePath.getState().run;
    if (!run?.result || run.changedIn !== undefined) return;
    const onPath = namespacesOnPath(run.result);
    const changed = patches.find(
      (p) => !IGNORED.has(p.op) && onPath.has(patchedNamespace(p)) && changesAPath(p, before),
    );
    const changedIn = changed
      ? patchedNamespace(changed)
      : segmentChangedIn(run.result, patches, before, after);
    if (changedIn !== undefined) usePath.setState({ run: { ...run, changedIn } });
  },
  setShown(shown: boolean): void {
    usePath.setState({ shown });
  },
};

/** The agent's answer. */
export function applyPathResult(m: Extract<ServerMessage, { type: 'pathResult' }>): void {
  const run = usePath.getState().run;
  if (run?.requestId === m.requestId) usePath.setState({ run: { ...run, result: m.result } });
}

/** A refusal of the path asked for (true: it was this one's). */
export function pathRejected(m: Extract<ServerMessage, { type: 'rejected' }>): boolean {
  if (usePath.getState().run?.requestId !== m.requestId) return false;
  pathActions.fail(m.requestId, m.message, m.path);
  return true;
}

/** Patches that never make an answer out of date. */
const IGNORED = new Set<ObservedPatch['op']>(['fdb', 'namespaceOrder', 'interfaceOrder']);

/** An interface's fields a path's walk reads (routing, bridging, neighbours): others leave it as it was. */
const WALKED_FIELDS = new Set(['up', 'operstate', 'master', 'peer', 'kind', 'mac', 'mtu']);

/**
 * The addresses a packet of the path can be routed by: IPv4 ones (the path follows IPv4 only:
 * model `PathRequest`). An IPv6 address added or the kernel's late fe80 one changes no verdict.
 */
const routable = (addresses: readonly string[]) => addresses.filter((a) => routeFamily(a) === 4).join(' ');

/**
 * Whether a patch can change a path's verdict, against the state the page had before it. A patch
 * that says again what the page had, or what it had not read yet (a namespace's routes read for
 * the first time), changes nothing the probe saw: the agent's walk read the kernel itself. An
 * interface's changed fields count when the walk reads them; its addresses when more than its
 * fe80 address changed (the kernel gives a bridge's port that one seconds after it came up, and
 * the agent sees it late). Each of these marked a fresh answer "root changed" in CI (ci-62, ci-63).
 */
function changesAPath(p: ObservedPatch, before: ObservedState | null): boolean {
  const ns = before ? findNamespace(before, patchedNamespace(p)) : undefined;
  switch (p.op) {
    case 'link': {
      if (Object.keys(p.set).some((field) => WALKED_FIELDS.has(field))) return true;
      if (p.set.addresses === undefined) return false;
      const was = ns?.interfaces.find((i) => i.ifname === p.ifname);
      return !was || routable(was.addresses) !== routable(p.set.addresses);
    }
    case 'interface': {
      const was = ns?.interfaces.find((i) => i.ifname === p.interface.ifname);
      return !was || walked(was) !== walked(p.interface);
    }
    case 'routes':
      return ns?.routes !== undefined && p.routes !== null && !sameRouteSet(ns.routes, p.routes);
    case 'firewall':
      return (
        ns?.firewall !== undefined &&
        p.firewall !== null &&
        !sameJson(firewallWithoutCounters(ns.firewall), firewallWithoutCounters(p.firewall))
      );
    case 'namespaceFlags':
      return ns?.forwarding !== undefined && p.forwarding !== null && ns.forwarding !== p.forwarding;
    default:
      return true;
  }
}

/**
 * The same IPv4 routes, in any order (two kinds of read list them in two orders: kernel
 * route-order.ts). IPv6 routes route no packet of the path (IPv4 only).
 */
const sameRouteSet = (a: readonly ObservedRoute[], b: readonly ObservedRoute[]): boolean =>
  sameJson(ipv4Texts(a), ipv4Texts(b));
const ipv4Texts = (routes: readonly ObservedRoute[]) =>
  routes.filter(isIpv4Route).map(observedRouteIdentity).sort();
/** `::/0`, a CIDR with a colon, or `default` via an IPv6 gateway (kernel README, "Routes") are IPv6. */
const isIpv4Route = (r: ObservedRoute): boolean =>
  routeFamily(r.to) === 4 && (r.via === null || routeFamily(r.via) === 4);

/** What of an interface the walk reads, as one text to compare. */
const walked = (i: ObservedInterface): string =>
  JSON.stringify([...WALKED_FIELDS].map((field) => i[field as keyof ObservedInterface])) +
  routable(i.addresses);

/** Where the packet was: its hops, the bridges it crossed, where it ended. */
function namespacesOnPath(result: PathResult): Set<string> {
  const names = new Set([result.request.from, result.end.namespace]);
  for (const hop of result.hops) {
    names.add(hop.namespace);
    for (const crossing of hop.bridges) names.add(crossing.namespace);
  }
  return names;
}

/** "The lab changed since (ns1): trace again.": what the panel and the tool say of an old answer. */
export const changedSinceText = (run: PathRun): string | null =>
  run.changedIn === undefined ? null : `Out of date: ${run.changedIn} changed since this trace; trace again.`;
