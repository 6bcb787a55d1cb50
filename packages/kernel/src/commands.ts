import type { Step } from '@netcanvas/model';
import { DEFAULT_ROUTE, ROOT_CONTEXT, ROUTE_PROTOCOL, routeHowText, type RouteLike } from '@netcanvas/model';

/**
 * Command builders: each returns a Step whose argv is exactly what a person would type. Names are
 * always passed in iproute2's explicit forms (`name X`, `dev X`) so no name can be read as a keyword.
 */

/** Every interface netcanvas creates gets this link group, set atomically at creation (see README). */
export const OWNED_GROUP = 28259;

const ip = (context: string, args: string[]): string[] =>
  context === ROOT_CONTEXT ? ['ip', ...args] : ['ip', '-n', context, ...args];

const step = (context: string, args: string[], reason: string): Step => ({
  context,
  argv: ip(context, args),
  reason,
});

/** ip netns add NAME */
export const netnsAdd = (name: string, reason = 'missing'): Step =>
  step(ROOT_CONTEXT, ['netns', 'add', name], reason);

/** ip netns set NAME auto — gives the namespace an id now, so one `ip monitor all-nsid` sees it. */
export const netnsSetAuto = (name: string): Step =>
  step(ROOT_CONTEXT, ['netns', 'set', name, 'auto'], 'give it an id so live monitoring sees it');

/** ip netns del NAME */
export const netnsDel = (name: string, reason = 'owned, not in the topology'): Step =>
  step(ROOT_CONTEXT, ['netns', 'del', name], reason);

/** ip [-n NS] link set dev DEV up|down */
export const linkSetUp = (context: string, dev: string, up: boolean, reason: string): Step =>
  step(context, ['link', 'set', 'dev', dev, up ? 'up' : 'down'], reason);

/** ip [-n NS] link set dev DEV mtu N */
export const linkSetMtu = (context: string, dev: string, mtu: number, reason: string): Step =>
  step(context, ['link', 'set', 'dev', dev, 'mtu', String(mtu)], reason);

/** ip [-n NS] link set dev DEV address MAC */
export const linkSetAddress = (context: string, dev: string, mac: string, reason: string): Step =>
  step(context, ['link', 'set', 'dev', dev, 'address', mac], reason);

/** ip [-n NS] link set dev DEV master BRIDGE (brctl addif BRIDGE DEV) */
export const linkSetMaster = (context: string, dev: string, bridge: string, reason: string): Step =>
  step(context, ['link', 'set', 'dev', dev, 'master', bridge], reason);

/** ip [-n NS] link set dev DEV nomaster (brctl delif) */
export const linkSetNomaster = (context: string, dev: string, reason: string): Step =>
  step(context, ['link', 'set', 'dev', dev, 'nomaster'], reason);

/** ip [-n NS] link del dev DEV — for a veth, its peer goes with it. */
export const linkDel = (context: string, dev: string, reason: string): Step =>
  step(context, ['link', 'del', 'dev', dev], reason);

/** ip [-n NS] link add name BR group G [mtu N] type bridge stp_state 0|1 (brctl addbr BR) */
export const bridgeAdd = (context: string, name: string, opts: { stp: boolean }): Step =>
  step(
    context,
    [
      'link',
      'add',
      'name',
      name,
      'group',
      String(OWNED_GROUP),
      'type',
      'bridge',
      'stp_state',
      opts.stp ? '1' : '0',
    ],
    'missing',
  );

/** ip [-n NS] link set dev BR type bridge stp_state 0|1 (brctl stp BR on|off) */
export const bridgeSetStp = (context: string, name: string, stp: boolean): Step =>
  step(context, ['link', 'set', 'dev', name, 'type', 'bridge', 'stp_state', stp ? '1' : '0'], 'STP drift');

export interface VethEndOptions {
  context: string;
  ifname: string;
  mtu?: number | undefined;
  mac?: string | undefined;
}

/**
 * ip link add name A [netns NSA] group G [mtu] [address] type veth peer name B [netns NSB] group G [mtu] [address]
 *
 * Both ends are created directly in their namespaces (no create-then-move), with the ownership
 * group set in the same netlink request, so a crash can never leave an unmarked half.
 */
export function vethAdd(a: VethEndOptions, b: VethEndOptions): Step {
  const sameContext = a.context === b.context;
  const context = sameContext ? a.context : ROOT_CONTEXT;
  const endArgs = (end: VethEndOptions) => [
    'name',
    end.ifname,
    ...(!sameContext && end.context !== ROOT_CONTEXT ? ['netns', end.context] : []),
    'group',
    String(OWNED_GROUP),
    ...(end.mtu !== undefined ? ['mtu', String(end.mtu)] : []),
    ...(end.mac !== undefined ? ['address', end.mac] : []),
  ];
  return step(context, ['link', 'add', ...endArgs(a), 'type', 'veth', 'peer', ...endArgs(b)], 'missing');
}

/** ip [-n NS] addr add CIDR dev DEV [nodad] — IPv6 skips duplicate address detection: a lab has no duplicates to find, and DAD would leave the address unusable for a second. */
export const addrAdd = (context: string, dev: string, cidr: string, reason = 'address missing'): Step =>
  step(context, ['addr', 'add', cidr, 'dev', dev, ...(cidr.includes(':') ? ['nodad'] : [])], reason);

/** ip [-n NS] addr del CIDR dev DEV */
export const addrDel = (
  context: string,
  dev: string,
  cidr: string,
  reason = 'address not in the topology',
): Step => step(context, ['addr', 'del', cidr, 'dev', dev], reason);

/** ip [-n NS] link set dev DEV group 28259 — adopting: the interface becomes the lab's. */
export const linkSetGroup = (context: string, dev: string): Step =>
  step(context, ['link', 'set', 'dev', dev, 'group', String(OWNED_GROUP)], "adopted: mark it as the lab's");

/** ip [-n NS] link set dev DEV group default — releasing: the interface is no longer the lab's. */
export const linkReleaseGroup = (context: string, dev: string): Step =>
  step(
    context,
    ['link', 'set', 'dev', dev, 'group', 'default'],
    "released: no longer the lab's, kept as it is",
  );

/** ip netns exec NS sysctl -q -w net.ipv4.ip_forward=0|1 (quiet: a session's output is JSON only) */
export const setForwarding = (namespace: string, on: boolean): Step => ({
  context: ROOT_CONTEXT,
  argv: ['ip', 'netns', 'exec', namespace, 'sysctl', '-q', '-w', `net.ipv4.ip_forward=${on ? 1 : 0}`],
  reason: on ? 'forwarding wanted' : 'forwarding not wanted',
});

/**
 * TO [via GW] [dev DEV] [metric M] proto 203. The default routes are written as people type them:
 * `default` (IPv4, or IPv6 with a gateway that says the family); `::/0` for an IPv6 default
 * without a gateway, where `default` alone would mean IPv4.
 */
const routeArgs = (route: RouteLike) => [
  route.to === DEFAULT_ROUTE[6] && route.via ? 'default' : route.to,
  ...routeHowText(route),
  'proto',
  String(ROUTE_PROTOCOL),
];

/** ip -n NS route add TO [via GW] [dev DEV] [metric M] proto 203 */
export const routeAdd = (namespace: string, route: RouteLike): Step =>
  step(namespace, ['route', 'add', ...routeArgs(route)], 'route missing');

/** ip -n NS route replace TO ... proto 203: changes the route with that destination and metric in place. */
export const routeReplace = (namespace: string, route: RouteLike, reason: string): Step =>
  step(namespace, ['route', 'replace', ...routeArgs(route)], reason);

/** ip -n NS route del TO [via GW] [dev DEV] [metric M] proto 203 */
export const routeDel = (namespace: string, route: RouteLike): Step =>
  step(namespace, ['route', 'del', ...routeArgs(route)], 'route not in the topology');

/**
 * ip netns exec NS iptables [-t TABLE] ARGS… — the command a student types, run in the lab's root
 * batch; in the lab's root itself, plain `iptables [-t TABLE] ARGS…` (run on its own: not an ip
 * command, so not in a batch; see apply.ts).
 */
export const iptables = (namespace: string, table: string, args: string[], reason: string): Step => ({
  context: ROOT_CONTEXT,
  argv: [
    ...(namespace === ROOT_CONTEXT ? [] : ['ip', 'netns', 'exec', namespace]),
    'iptables',
    ...(table === 'filter' ? [] : ['-t', table]),
    ...args,
  ],
  reason,
});
