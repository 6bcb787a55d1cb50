import { z } from 'zod';
import { ObservedLinkEffects } from './link-effects';
import { RouteType } from './routing';

/**
 * What the kernel has, as netcanvas reports it (`netcanvas observe --json`, and the agent's state
 * stream). Built by packages/kernel from `ip -j` / `bridge -j` / `ethtool -S`; never from hopes.
 * Namespaces are named as in the topology: a namespace name, or "root" for the lab's root.
 */

export const ObservedStats = z.object({
  rxBytes: z.number(),
  rxPackets: z.number(),
  rxErrors: z.number(),
  rxDropped: z.number(),
  txBytes: z.number(),
  txPackets: z.number(),
  txErrors: z.number(),
  txDropped: z.number(),
});
export type ObservedStats = z.infer<typeof ObservedStats>;

export const ObservedPeer = z.object({
  /** The namespace the peer lives in ("root" for the lab's root); null when it is not one the lab can name. */
  namespace: z.string().nullable(),
  ifindex: z.number(),
  /** The peer's name, when its namespace is known. */
  ifname: z.string().nullable(),
});
export type ObservedPeer = z.infer<typeof ObservedPeer>;

/**
 * A bridge as `ip -d link show type bridge` (linkinfo.info_data) and `brctl showstp` tell it.
 * Times are in seconds (the kernel prints hundredths).
 */
export const ObservedBridgeInfo = z.object({
  /** priority.MAC, e.g. "8000.26:18:41:05:dc:88" (each MAC byte in two digits, unlike ip's output). */
  bridgeId: z.string(),
  /** The id of the root bridge: this bridge's own while it is the root (always, with STP off). */
  rootId: z.string(),
  /** The port number towards the root; 0 when this bridge is the root. */
  rootPort: z.number(),
  rootPathCost: z.number(),
  /** The bridge priority (the part of the id before the dot, in decimal). */
  priority: z.number(),
  /** 0: STP off; 1: the kernel's STP; 2: a user-space STP daemon. */
  stpState: z.number(),
  forwardDelay: z.number(),
  helloTime: z.number(),
  maxAge: z.number(),
  /** How long a learned MAC is kept without traffic from it. */
  ageingTime: z.number(),
  vlanFiltering: z.boolean(),
  topologyChange: z.boolean(),
});
export type ObservedBridgeInfo = z.infer<typeof ObservedBridgeInfo>;

/** A bridge port as `bridge link` / `ip -d link` (linkinfo.info_slave_data) tell it. */
export const ObservedPortInfo = z.object({
  /** The port's STP state: disabled, listening, learning, forwarding or blocking. */
  state: z.string(),
  /** STP path cost (`bridge link set dev X cost N`). */
  cost: z.number(),
  /** STP port priority (`bridge link set dev X priority N`). */
  priority: z.number(),
  /** The port number within its bridge (what a bridge's `rootPort` names). */
  portNo: z.number().nullable(),
  /** Whether the bridge learns source MACs on this port. */
  learning: z.boolean(),
  /** Whether unknown unicast is flooded out of this port. */
  flood: z.boolean(),
});
export type ObservedPortInfo = z.infer<typeof ObservedPortInfo>;

export const ObservedInterface = z.object({
  ifindex: z.number(),
  ifname: z.string(),
  /** `linkinfo.info_kind`: veth, bridge, ...; "loopback" for lo; "device" when the kernel names no kind. */
  kind: z.string(),
  /** Administratively up (the UP flag): what `ip link set ... up` changes. */
  up: z.boolean(),
  /** The kernel's operational state: UP, DOWN, LOWERLAYERDOWN, UNKNOWN, ... */
  operstate: z.string(),
  flags: z.array(z.string()),
  mtu: z.number(),
  mac: z.string().nullable(),
  /** The bridge this interface is a port of. */
  master: z.string().nullable(),
  /** Made by netcanvas (it carries the ownership mark); only these are ever changed or deleted. */
  managed: z.boolean(),
  group: z.string(),
  alias: z.string().nullable(),
  addresses: z.array(z.string()),
  /**
   * Those of `addresses` the kernel made itself: the IPv6 link-local address it gives an interface
   * that comes up. Never drift, never removed, never adopted; any other fe80 address (one the canvas
   * added, or one typed by hand) is like any other address. How the reader tells them apart:
   * packages/kernel/src/parse.ts (`kernelLinkLocal`).
   *
   * A list beside `addresses`, not a richer `addresses` (objects with flags), so that every state
   * written before it still parses and reads the same (`kernelLinkLocalOf`), and the patch algebra
   * carries it as the optional field it is, with no case of its own (docs/architecture.md).
   */
  kernelLinkLocal: z.array(z.string()).optional(),
  peer: ObservedPeer.nullable(),
  /** For a bridge: whether STP is on. */
  stp: z.boolean().nullable(),
  stats: ObservedStats.nullable(),
  /**
   * `link-netnsid`: the id this interface's namespace gives the namespace of its peer (`ip link`
   * prints `veth1@if5 ... link-netnsid 0`); null for a peer in the same namespace.
   */
  linkNetnsid: z.number().nullable().optional(),
  /** For a bridge: its id, root and STP timers. */
  bridgeInfo: ObservedBridgeInfo.nullable().optional(),
  /** For a bridge port: its STP state, cost and priority. */
  portInfo: ObservedPortInfo.nullable().optional(),
  /** Link effects in force (a qdisc, the netcanvas-fx helper): null when none (docs/link-effects.md). */
  effects: ObservedLinkEffects.nullable().optional(),
});
export type ObservedInterface = z.infer<typeof ObservedInterface>;

export const ObservedFdbEntry = z.object({
  bridge: z.string(),
  mac: z.string(),
  /** The port the MAC was learned on (or the bridge itself, for its own addresses). */
  port: z.string(),
  vlan: z.number().nullable(),
  /** Learned from traffic (false for the bridge's and ports' own "permanent" entries). */
  learned: z.boolean(),
  /**
   * Seconds since traffic from this MAC last refreshed the entry (`bridge -s fdb`'s "updated");
   * null for entries that never age (local and static ones).
   */
  ageSeconds: z.number().nullable(),
  /** learned from traffic; local: the bridge's or a port's own MAC (permanent); static: added by hand. */
  origin: z.enum(['learned', 'local', 'static']).optional(),
});
export type ObservedFdbEntry = z.infer<typeof ObservedFdbEntry>;

export const ObservedRoute = z.object({
  /**
   * blackhole, unreachable or prohibit; absent for unicast. Optional so a wire form from before it
   * still parses (as unicast); the observer leaves the main table's other kinds out (RouteType).
   */
  type: RouteType.optional(),
  /** "default" or a CIDR. */
  to: z.string(),
  via: z.string().nullable(),
  dev: z.string().nullable(),
  /** The routing protocol: "kernel" for connected subnets, "203" for routes the lab made, "boot"/"static" by hand. */
  protocol: z.string(),
  metric: z.number().nullable(),
  /** Made by the lab (protocol 203); only these are ever removed. */
  managed: z.boolean(),
});
export type ObservedRoute = z.infer<typeof ObservedRoute>;

export const ObservedRule = z.object({
  table: z.string(),
  chain: z.string(),
  /** The rule's arguments after `-A CHAIN`, as `iptables -S` prints them. */
  args: z.array(z.string()),
  /** Carries the lab's comment; only these are ever removed. */
  managed: z.boolean(),
  packets: z.number(),
  bytes: z.number(),
});
export type ObservedRule = z.infer<typeof ObservedRule>;

export const ObservedChain = z.object({
  table: z.string(),
  name: z.string(),
  /** ACCEPT/DROP for a built-in chain; null for a user chain. */
  policy: z.string().nullable(),
  packets: z.number(),
  bytes: z.number(),
});
export type ObservedChain = z.infer<typeof ObservedChain>;

export const ObservedFirewall = z.object({ chains: z.array(ObservedChain), rules: z.array(ObservedRule) });
export type ObservedFirewall = z.infer<typeof ObservedFirewall>;

export const ObservedNamespace = z.object({
  name: z.string(),
  /** IPv4 forwarding (net.ipv4.conf.all.forwarding), when read. */
  forwarding: z.boolean().optional(),
  /** The main routing table, when read. */
  routes: z.array(ObservedRoute).optional(),
  /** iptables (IPv4) tables, chains and rules with their counters, when read. */
  firewall: ObservedFirewall.optional(),
  /** Created by this lab (listed in its ownership record); "root" is the lab's own and never deleted. */
  managed: z.boolean(),
  interfaces: z.array(ObservedInterface),
  fdb: z.array(ObservedFdbEntry),
});
export type ObservedNamespace = z.infer<typeof ObservedNamespace>;

export const ObservedTarget = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('sandbox'), lab: z.string(), pid: z.number() }),
  z.object({ kind: z.literal('host'), lab: z.string() }),
]);
export type ObservedTarget = z.infer<typeof ObservedTarget>;

export const ObservedState = z.object({
  target: ObservedTarget,
  takenAt: z.string(),
  /** The lab's root namespace first, then every named namespace the lab can see. */
  namespaces: z.array(ObservedNamespace),
});
export type ObservedState = z.infer<typeof ObservedState>;

/**
 * The addresses of `i` the kernel made itself (see `kernelLinkLocal`). A state that does not say
 * (written before the field was) is read as every state was then: every fe80 address is the kernel's.
 */
export const kernelLinkLocalOf = (i: ObservedInterface): readonly string[] =>
  i.kernelLinkLocal ?? i.addresses.filter((a) => /^fe80:/i.test(a));

/** lo's own addresses, which the kernel gives it with the namespace. */
const isLoopbackOwn = (cidr: string) => cidr.startsWith('127.') || cidr === '::1/128';

/** An address of `i` the kernel gave it by itself: its IPv6 link-local one, or loopback's. */
export const isKernelOwnAddress = (i: ObservedInterface, cidr: string): boolean =>
  isLoopbackOwn(cidr) || kernelLinkLocalOf(i).includes(cidr);

/** The addresses of `i` the lab or a person gave it: all but those the kernel gave it by itself. */
export const givenAddresses = (i: ObservedInterface): string[] => {
  const kernels = kernelLinkLocalOf(i);
  return i.addresses.filter((a) => !isLoopbackOwn(a) && !kernels.includes(a));
};

export const findNamespace = (state: ObservedState, name: string): ObservedNamespace | undefined =>
  state.namespaces.find((ns) => ns.name === name);

export const findInterface = (
  state: ObservedState,
  namespace: string,
  ifname: string,
): ObservedInterface | undefined =>
  findNamespace(state, namespace)?.interfaces.find((i) => i.ifname === ifname);
