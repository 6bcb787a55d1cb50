import {
  afterNat,
  droppedBy,
  findInterface,
  findNamespace,
  hookPass,
  longestMatch,
  type Hook,
  type HookPass,
  type ObservedFirewall,
  type ObservedState,
  type PathEnd,
  type PathHop,
  type ProbePacket,
  type RouteType,
} from '@netcanvas/model';
import { fdbShowArgv, neighShowArgv, resolveArgv, routeGetArgv } from './path-commands';
import { neighbourAnswered, parseFdbShow, parseNeigh, parseRouteGet, type RouteChoice } from './path-read';
import type { PathRunner } from './path-run';

/**
 * The walk, hop by hop, after the probe went: in each namespace the kernel's route for the
 * packet, the hooks it passes (which rule the probe's counters say decided), the neighbour entry
 * for the next hop, and across the veth (and any bridge, by its forwarding table) to the next
 * namespace. docs/packet-path.md tells the method.
 */

export interface Walk {
  runner: PathRunner;
  observed: ObservedState;
  before: ReadonlyMap<string, ObservedFirewall>;
  after: ReadonlyMap<string, ObservedFirewall>;
  /** Whether the probe got its answer (an echo reply, a TCP accept or reset). */
  answered: boolean;
}

export type HopOutcome = { end: PathEnd } | { next: { namespace: string; iif: string; packet: ProbePacket } };

/** How many bridges and veths one hop may cross before the walk calls it a loop. */
const MAX_LINKS_PER_HOP = 8;

/** One namespace: what its kernel did with the packet, and where it went next. */
export async function walkHop(w: Walk, hop: PathHop, arriving: ProbePacket): Promise<HopOutcome> {
  const ns = hop.namespace;
  let packet = arriving;
  if (hop.inInterface !== null) {
    const pre = passHook(w, hop, 'PREROUTING', packet);
    if (pre.end) return { end: pre.end };
    packet = afterNat(packet, pre.pass, null);
  }
  const route = await routeOf(w, hop, packet);
  if (route.kind === 'typed')
    return {
      end: {
        kind: 'typedRoute',
        namespace: ns,
        type: route.type,
        to: route.to,
        forwarded: hop.inInterface !== null,
      },
    };
  if (route.kind === 'refused') return { end: { kind: 'noRoute', namespace: ns, message: route.message } };
  hop.route = route.text;
  if (hop.inInterface === null && route.kind === 'out' && route.prefsrc)
    packet = { ...packet, source: route.prefsrc };
  hop.source = packet.source;
  hop.destination = packet.destination;
  if (route.kind === 'local') {
    for (const hook of hop.inInterface === null ? (['OUTPUT', 'INPUT'] as const) : (['INPUT'] as const)) {
      const { end } = passHook(w, hop, hook, packet);
      if (end) return { end };
    }
    return { end: { kind: 'delivered', namespace: ns, answered: w.answered } };
  }
  packet = { ...packet, outInterface: route.dev };
  const first = passHook(w, hop, hop.inInterface === null ? 'OUTPUT' : 'FORWARD', packet);
  if (first.end) return { end: first.end };
  const post = passHook(w, hop, 'POSTROUTING', packet);
  if (post.end) return { end: post.end };
  const natted = afterNat(packet, post.pass, primaryAddress(w.observed, ns, route.dev));
  hop.outInterface = route.dev;
  const neighbour = await neighbourOf(w, hop, route.gateway ?? packet.destination, route.dev);
  hop.neighbour = neighbour;
  if (!neighbourAnswered(neighbour))
    return { end: { kind: 'noArp', namespace: ns, address: neighbour.address, dev: route.dev } };
  return crossLinks(w, hop, natted, neighbour.mac);
}

/** Runs one hook's verdicts into the hop; `end` when it dropped the packet. */
function passHook(
  w: Walk,
  hop: PathHop,
  hook: Hook,
  packet: ProbePacket,
): { pass: HookPass; end: PathEnd | null } {
  const pass = hookPass(hook, w.before.get(hop.namespace), w.after.get(hop.namespace), packet);
  hop.hooks.push(pass);
  const verdict = droppedBy(pass);
  return { pass, end: verdict ? { kind: 'dropped', namespace: hop.namespace, verdict } : null };
}

/** The kernel's route, or the typed route (blackhole, unreachable, prohibit) that made it refuse. */
async function routeOf(
  w: Walk,
  hop: PathHop,
  packet: ProbePacket,
): Promise<RouteChoice | { kind: 'typed'; type: RouteType; to: string }> {
  const arriving = hop.inInterface === null ? null : { from: packet.source, iif: hop.inInterface };
  const result = await w.runner.run(hop.commands, hop.namespace, routeGetArgv(packet.destination, arriving));
  const route = parseRouteGet(result.stdout, result.stderr, result.exitCode);
  // The kernel says "No route to host" for a packet it would have to forward with forwarding
  // off: say what it means (a packet for an address this namespace no longer has lands here).
  if (route.kind === 'refused' && arriving && findNamespace(w.observed, hop.namespace)?.forwarding === false)
    return {
      kind: 'refused',
      message: `${packet.destination} is not an address of ${hop.namespace}, and ${hop.namespace} does not forward (net.ipv4.ip_forward = 0)`,
    };
  // `ip route get` says only "Invalid argument" (blackhole), "No route to host" (unreachable) or
  // "Permission denied" (prohibit), not which route: the namespace's table, as read, says it.
  const matched =
    route.kind === 'refused'
      ? longestMatch(findNamespace(w.observed, hop.namespace)?.routes ?? [], packet.destination)
      : undefined;
  if (matched?.type) return { kind: 'typed', type: matched.type, to: matched.to };
  return route;
}

/** The neighbour entry; one with no entry at all is resolved by a ping of its own first. */
async function neighbourOf(w: Walk, hop: PathHop, address: string, dev: string) {
  const read = async () => {
    const shown = await w.runner.run(hop.commands, hop.namespace, neighShowArgv(address, dev));
    return parseNeigh(shown.stdout, address, dev);
  };
  const first = await read();
  if (first.state !== 'none') return first;
  await w.runner.run(hop.commands, hop.namespace, resolveArgv(address));
  return read();
}

/** Across the veth from the hop's way out, and through each bridge, to the next namespace. */
async function crossLinks(
  w: Walk,
  hop: PathHop,
  packet: ProbePacket,
  mac: string | null,
): Promise<HopOutcome> {
  let at = { ns: hop.namespace, ifname: hop.outInterface as string };
  const leaves = (): HopOutcome => ({ end: { kind: 'leaves', namespace: at.ns, dev: at.ifname } });
  for (let i = 0; i < MAX_LINKS_PER_HOP; i++) {
    const here = findInterface(w.observed, at.ns, at.ifname);
    if (here?.kind === 'bridge') {
      const port = await bridgePort(w, hop, at.ns, here.ifname, here.ifname, mac);
      if (port === null || port === here.ifname) return leaves();
      at = { ns: at.ns, ifname: port };
      continue;
    }
    const peer = here?.kind === 'veth' ? here.peer : null;
    if (!peer?.namespace || !peer.ifname) return leaves();
    const far = findInterface(w.observed, peer.namespace, peer.ifname);
    if (!far?.master) return { next: { namespace: peer.namespace, iif: peer.ifname, packet } };
    const port = await bridgePort(w, hop, peer.namespace, far.master, peer.ifname, mac);
    // The bridge's own MAC: the packet is for the namespace the bridge is in, by the bridge.
    if (port === far.master) return { next: { namespace: peer.namespace, iif: far.master, packet } };
    if (port === null) return { end: { kind: 'leaves', namespace: peer.namespace, dev: far.master } };
    at = { ns: peer.namespace, ifname: port };
  }
  return { end: { kind: 'tooManyHops', namespace: at.ns } };
}

/**
 * The port a bridge sends `mac` out of: its forwarding table's (`bridge fdb`); when the MAC is
 * not there the frame is flooded, and the walk follows the port whose far end has that MAC.
 */
async function bridgePort(
  w: Walk,
  hop: PathHop,
  ns: string,
  bridge: string,
  inPort: string,
  mac: string | null,
): Promise<string | null> {
  const shown = await w.runner.run(hop.commands, ns, fdbShowArgv(bridge));
  const entry = parseFdbShow(shown.stdout).find((e) => e.mac === mac && e.bridge === bridge);
  const local = entry?.origin === 'local' && findInterface(w.observed, ns, bridge)?.mac === mac;
  const outPort = local ? bridge : (entry?.port ?? null);
  hop.bridges.push({ namespace: ns, bridge, inPort, outPort, mac });
  return outPort ?? portTowards(w.observed, ns, bridge, mac);
}

function portTowards(observed: ObservedState, ns: string, bridge: string, mac: string | null): string | null {
  if (mac === null) return null;
  const ports = findNamespace(observed, ns)?.interfaces.filter((i) => i.master === bridge) ?? [];
  const port = ports.find((p) => {
    const far =
      p.peer?.namespace && p.peer.ifname ? findInterface(observed, p.peer.namespace, p.peer.ifname) : null;
    return far?.mac?.toLowerCase() === mac;
  });
  return port?.ifname ?? null;
}

/** An interface's first IPv4 address (what MASQUERADE gives a packet leaving by it). */
function primaryAddress(observed: ObservedState, ns: string, dev: string): string | null {
  const cidr = findInterface(observed, ns, dev)?.addresses.find((a) => !a.includes(':'));
  return cidr?.split('/')[0] ?? null;
}
