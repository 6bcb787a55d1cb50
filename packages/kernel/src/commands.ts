import type { BridgeAction, IpOperation, Step, StepEffect } from '@netcanvas/model';
import {
  DEFAULT_ROUTE,
  ROOT,
  ROUTE_PROTOCOL,
  makeStep,
  routeHowText,
  routeTypeWords,
  type RouteLike,
} from '@netcanvas/model';

/**
 * Step builders: each returns a typed Step (operation, arguments, effect) whose rendered argv is
 * exactly what a person would type. Names are always passed in iproute2's explicit forms
 * (`name X`, `dev X`) so no name can be read as a keyword. The effect is said here, where the
 * operation is chosen, so no one downstream has to read it back from the command's words.
 */

/** Every interface netcanvas creates gets this link group, set atomically at creation (see README). */
export const OWNED_GROUP = 28259;

/** An effect that changes these contexts, destroying nothing unless said. */
const changes = (touches: string[], more: Partial<StepEffect> = {}): StepEffect => ({
  destroys: false,
  ...more,
  touches: [...new Set(touches)],
});

/** `ip [-n CONTEXT] ARGS…`, changing only its own context unless an effect is given. */
const ipStep = (
  context: string,
  op: IpOperation,
  args: string[],
  reason: string,
  effect: StepEffect = changes([context]),
  bridge?: BridgeAction,
): Step => makeStep({ context, op, args, reason, effect, ...(bridge ? { bridge } : {}) });

/** These interfaces of one context, and nothing else there (see StepEffect.interfaces). */
const only = (context: string, ...ifnames: string[]) => ifnames.map((ifname) => ({ context, ifname }));

/** `ip [-n CONTEXT] link set dev DEV …`: DEV changes, and nothing else unless `more` says. */
const linkSet = (
  context: string,
  dev: string,
  what: string[],
  reason: string,
  more?: Partial<StepEffect>,
  bridge?: BridgeAction,
) =>
  ipStep(
    context,
    'linkSet',
    ['link', 'set', 'dev', dev, ...what],
    reason,
    changes([context], { interfaces: only(context, dev), ...more }),
    bridge,
  );

/** ip netns add NAME */
export const netnsAdd = (name: string, reason = 'missing'): Step =>
  ipStep(ROOT, 'netnsAdd', ['netns', 'add', name], reason, changes([name], { createsNamespace: name }));

/** ip netns set NAME auto — gives the namespace an id now, so one `ip monitor all-nsid` sees it. */
export const netnsSetAuto = (name: string): Step =>
  // No interface of the root changes: only its numbering of namespaces (read with the list).
  ipStep(
    ROOT,
    'netnsSetAuto',
    ['netns', 'set', name, 'auto'],
    'give it an id so live monitoring sees it',
    changes([ROOT], { interfaces: [], numbersNamespace: name }),
  );

/** ip netns del NAME */
export const netnsDel = (name: string, reason = 'owned, not in the topology'): Step =>
  ipStep(
    ROOT,
    'netnsDel',
    ['netns', 'del', name],
    reason,
    changes([name], { deletesNamespace: name, destroys: true }),
  );

/** ip [-n NS] link set dev DEV up|down */
export const linkSetUp = (context: string, dev: string, up: boolean, reason: string): Step =>
  linkSet(context, dev, [up ? 'up' : 'down'], reason);

/** ip [-n NS] link set dev DEV mtu N */
export const linkSetMtu = (context: string, dev: string, mtu: number, reason: string): Step =>
  linkSet(context, dev, ['mtu', String(mtu)], reason);

/** ip [-n NS] link set dev DEV address MAC */
export const linkSetAddress = (context: string, dev: string, mac: string, reason: string): Step =>
  linkSet(context, dev, ['address', mac], reason);

/** ip [-n NS] link set dev DEV master BRIDGE (brctl addif BRIDGE DEV) */
export const linkSetMaster = (context: string, dev: string, bridge: string, reason: string): Step =>
  linkSet(
    context,
    dev,
    ['master', bridge],
    reason,
    {
      joinsBridge: bridge,
      // The bridge's carrier and MTU follow its ports.
      interfaces: only(context, dev, bridge),
    },
    { action: 'addif', bridge, port: dev },
  );

/** ip [-n NS] link set dev DEV nomaster (brctl delif BRIDGE DEV: brctl names the bridge it leaves) */
export const linkSetNomaster = (context: string, dev: string, bridge: string, reason: string): Step =>
  // Read the context whole: the bridge's carrier and MTU follow the ports it has left.
  linkSet(
    context,
    dev,
    ['nomaster'],
    reason,
    { interfaces: undefined },
    { action: 'delif', bridge, port: dev },
  );

/**
 * ip [-n NS] link del dev DEV — for a veth, its peer goes with it. `isBridge` (the planner knows
 * the kind it read) gives the step its brctl form, brctl delbr DEV.
 */
export const linkDel = (context: string, dev: string, reason: string, isBridge = false): Step =>
  ipStep(
    context,
    'linkDel',
    ['link', 'del', 'dev', dev],
    reason,
    changes([context], { deletesLinks: [dev], destroys: true, interfaces: only(context, dev) }),
    isBridge ? { action: 'delbr', bridge: dev } : undefined,
  );

/** ip [-n NS] link add name BR group G [mtu N] type bridge stp_state 0|1 (brctl addbr BR) */
export const bridgeAdd = (context: string, name: string, opts: { stp: boolean }): Step =>
  ipStep(
    context,
    'linkAdd',
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
    changes([context], { interfaces: only(context, name) }),
    { action: 'addbr', bridge: name, stp: opts.stp },
  );

/** ip [-n NS] link set dev BR type bridge stp_state 0|1 (brctl stp BR on|off) */
export const bridgeSetStp = (context: string, name: string, stp: boolean): Step =>
  // Every port's STP state follows: read the context whole.
  linkSet(
    context,
    name,
    ['type', 'bridge', 'stp_state', stp ? '1' : '0'],
    'STP drift',
    { interfaces: undefined },
    { action: 'stp', bridge: name, on: stp },
  );

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
  const context = sameContext ? a.context : ROOT;
  const endArgs = (end: VethEndOptions) => [
    'name',
    end.ifname,
    ...(!sameContext && end.context !== ROOT ? ['netns', end.context] : []),
    'group',
    String(OWNED_GROUP),
    ...(end.mtu !== undefined ? ['mtu', String(end.mtu)] : []),
    ...(end.mac !== undefined ? ['address', end.mac] : []),
  ];
  const args = ['link', 'add', ...endArgs(a), 'type', 'veth', 'peer', ...endArgs(b)];
  return ipStep(
    context,
    'linkAdd',
    args,
    'missing',
    changes([a.context, b.context], {
      interfaces: [...only(a.context, a.ifname), ...only(b.context, b.ifname)],
    }),
  );
}

/** ip [-n NS] addr add CIDR dev DEV [nodad] — IPv6 skips duplicate address detection: a lab has no duplicates to find, and DAD would leave the address unusable for a second. */
export const addrAdd = (context: string, dev: string, cidr: string, reason = 'address missing'): Step =>
  ipStep(
    context,
    'addrAdd',
    ['addr', 'add', cidr, 'dev', dev, ...(cidr.includes(':') ? ['nodad'] : [])],
    reason,
    changes([context], { interfaces: only(context, dev) }),
  );

/**
 * ip [-n NS] addr del CIDR dev DEV. `readd`: deleted only to be added back by the same plan (a
 * secondary address whose primary goes: StepEffect.readd).
 */
export const addrDel = (
  context: string,
  dev: string,
  cidr: string,
  reason = 'address not in the topology',
  { readd = false } = {},
): Step =>
  ipStep(
    context,
    'addrDel',
    ['addr', 'del', cidr, 'dev', dev],
    reason,
    changes([context], { destroys: true, interfaces: only(context, dev), ...(readd ? { readd } : {}) }),
  );

/** ip [-n NS] link set dev DEV group 28259 — adopting: the interface becomes the lab's. */
export const linkSetGroup = (context: string, dev: string): Step =>
  linkSet(context, dev, ['group', String(OWNED_GROUP)], "adopted: mark it as the lab's");

/** ip [-n NS] link set dev DEV group default — releasing: the interface is no longer the lab's. */
export const linkReleaseGroup = (context: string, dev: string): Step =>
  linkSet(context, dev, ['group', 'default'], "released: no longer the lab's, kept as it is");

/** ip netns exec NS sysctl -q -w net.ipv4.ip_forward=0|1 (quiet: a session's output is JSON only) */
export const setForwarding = (namespace: string, on: boolean): Step =>
  makeStep({
    context: ROOT,
    op: 'sysctl',
    namespace,
    args: ['-q', '-w', `net.ipv4.ip_forward=${on ? 1 : 0}`],
    reason: on ? 'forwarding wanted' : 'forwarding not wanted',
    effect: changes([namespace]),
  });

/**
 * [TYPE] TO [via GW] [dev DEV] [metric M] proto 203. The type (blackhole, unreachable, prohibit)
 * comes before the destination, as ip wants it; a unicast route has none. The default routes are
 * written as people type them: `default` (IPv4, or IPv6 with a gateway that says the family);
 * `::/0` for an IPv6 default without a gateway, where `default` alone would mean IPv4.
 */
const routeArgs = (route: RouteLike) => [
  ...routeTypeWords(route),
  route.to === DEFAULT_ROUTE[6] && route.via ? 'default' : route.to,
  ...routeHowText(route),
  'proto',
  String(ROUTE_PROTOCOL),
];

/** ip -n NS route add [TYPE] TO [via GW] [dev DEV] [metric M] proto 203 */
export const routeAdd = (namespace: string, route: RouteLike): Step =>
  ipStep(namespace, 'routeAdd', ['route', 'add', ...routeArgs(route)], 'route missing');

/**
 * ip -n NS route replace [TYPE] TO ... proto 203: changes the route with that destination and metric
 * in place, its type included (`X via G` becomes `blackhole X`).
 */
export const routeReplace = (namespace: string, route: RouteLike, reason: string): Step =>
  ipStep(namespace, 'routeReplace', ['route', 'replace', ...routeArgs(route)], reason);

/** ip -n NS route del [TYPE] TO [via GW] [dev DEV] [metric M] proto 203 (the type must match too) */
export const routeDel = (namespace: string, route: RouteLike): Step =>
  ipStep(
    namespace,
    'routeDel',
    ['route', 'del', ...routeArgs(route)],
    'route not in the topology',
    changes([namespace], { destroys: true }),
  );

/** iptables commands that remove: a rule (`-D`), a chain's rules (`-F`), a chain (`-X`). */
const IPTABLES_REMOVING = new Set(['-D', '-F', '-X']);

/**
 * ip netns exec NS iptables [-t TABLE] ARGS… — the command a student types, run in the lab's root
 * batch; in the lab's root itself, plain `iptables [-t TABLE] ARGS…` (run on its own: not an ip
 * command, so not in a batch; see apply.ts). `args` begin with the iptables command (`-A`, `-D`, …),
 * which says whether the step destroys.
 */
export const iptables = (namespace: string, table: string, args: string[], reason: string): Step =>
  makeStep({
    context: ROOT,
    op: 'iptables',
    namespace,
    args: [...(table === 'filter' ? [] : ['-t', table]), ...args],
    reason,
    effect: changes([namespace], { destroys: IPTABLES_REMOVING.has(args[0] ?? '') }),
  });

/**
 * ip [-n NS] route del WORDS — a route the lab did not make, in whatever table and of whatever
 * kind, said with the words read from `ip -j route show table all` (scrub.ts).
 */
export const routeDelWords = (context: string, words: string[], reason: string): Step =>
  ipStep(context, 'routeDel', ['route', 'del', ...words], reason, changes([context], { destroys: true }));

/**
 * ip [-n NS] rule del pref N [from …] [to …] [lookup T] — a policy rule (the lab makes none). An
 * IPv6 one is `ip netns exec NS ip -6 rule del …` (plain `ip -6 …` in the lab's root): its family
 * is an option, which an `ip -batch` line cannot give, and `from ::/0` does not say it either.
 */
export const ruleDel = (context: string, words: string[], reason: string, family: 4 | 6 = 4): Step =>
  family === 4
    ? ipStep(context, 'ruleDel', ['rule', 'del', ...words], reason, changes([context], { destroys: true }))
    : makeStep({
        context: ROOT,
        op: 'ip',
        namespace: context,
        args: ['-6', 'rule', 'del', ...words],
        reason,
        effect: changes([context], { destroys: true }),
      });

/** ip netns exec NS nft delete table FAMILY NAME (plain `nft …` in the lab's root). */
export const nftDeleteTable = (namespace: string, family: string, name: string, reason: string): Step =>
  makeStep({
    context: ROOT,
    op: 'nft',
    namespace,
    args: ['delete', 'table', family, name],
    reason,
    effect: changes([namespace], { destroys: true }),
  });
