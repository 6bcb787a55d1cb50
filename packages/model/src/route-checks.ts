import { inSubnet, parseCidr, type Cidr } from './address';
import {
  effectiveMetric,
  isLinkLocalGateway,
  networkOf,
  routeKey,
  routeText,
  type RouteSpec,
} from './routing';

/** An interface of the namespace, as the document places it. */
interface Here {
  ifname: string;
  addresses: readonly string[];
}

/**
 * What the kernel would refuse in a namespace's routes, found before anything runs: a device the
 * namespace does not have, a gateway no interface can reach (`Nexthop has invalid gateway`), and
 * two routes with one key (`File exists`: the kernel keeps one route per destination and metric).
 */
export function routeIssues(
  namespace: string,
  routes: readonly RouteSpec[],
  here: readonly Here[],
  at: string,
  add: (path: string, message: string) => void,
): void {
  // Most namespaces have no route of their own: nothing to check, nothing to build.
  if (routes.length === 0) return;
  const subnetsOf = (list: readonly Here[]): Cidr[] =>
    list.flatMap((x) =>
      x.addresses.flatMap((a) => {
        const p = parseCidr(a);
        return p.ok ? [p.value] : [];
      }),
    );
  const keys = new Map<string, number>();
  // The kernel's own route to each connected subnet (metric 0; IPv6: 256) holds that key already.
  const connected = new Map<string, string>();
  for (const x of here)
    for (const net of subnetsOf([x])) {
      const to = `${networkOf(net.ip, net.prefix, net.family)}/${net.prefix}`;
      connected.set(routeKey({ to, metric: net.family === 6 ? 256 : 0 }), x.ifname);
    }
  routes.forEach((route, j) => {
    const path = `${at}[${j}]`;
    const dev = route.dev === undefined ? undefined : here.find((x) => x.ifname === route.dev);
    if (route.dev !== undefined && !dev)
      add(
        `${path}.dev`,
        `route "${routeText(route)}": namespace "${namespace}" has no interface "${route.dev}" in this topology`,
      );
    // A link-local gateway is on every link; the schema has made sure it names its device.
    const via = route.via;
    const own = via === undefined ? undefined : ownerOf(here, via);
    if (own !== undefined)
      add(
        `${path}.via`,
        `${via} is the address of "${own}" in "${namespace}" itself; a gateway is a neighbour`,
      );
    else if (via !== undefined && !isLinkLocalGateway(via)) {
      const reachable = subnetsOf(dev ? [dev] : here).some((net) => inSubnet(via, net));
      if (!reachable && dev)
        add(
          `${path}.via`,
          `route "${routeText(route)}": ${via} is not inside a subnet of "${dev.ifname}" in "${namespace}"; give it an address there, or leave dev out`,
        );
      else if (!reachable)
        add(
          `${path}.via`,
          `route "${routeText(route)}": ${via} is not inside a subnet "${namespace}" is connected to; give one of its interfaces an address there`,
        );
    }
    const key = routeKey(route);
    const through = connected.get(key);
    if (through !== undefined)
      add(
        `${path}.to`,
        `${route.to} is connected through "${through}": the kernel has its own route there with metric ` +
          `${effectiveMetric(route)}; give this one another metric`,
      );
    const first = keys.get(key);
    if (first === undefined) keys.set(key, j);
    else
      add(
        `${path}.to`,
        `routes[${first}] already goes to ${route.to} with metric ${effectiveMetric(route)}; ` +
          'the kernel keeps one route per destination and metric (give this one another metric)',
      );
  });
}

/** The interface of `here` that has the address `ip` (without prefix), if any. */
function ownerOf(here: readonly Here[], ip: string): string | undefined {
  return here.find((x) => x.addresses.some((a) => parseCidr(a).ok && a.slice(0, a.indexOf('/')) === ip))
    ?.ifname;
}
