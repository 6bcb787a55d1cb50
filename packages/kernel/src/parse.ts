import { z } from 'zod';
import type {
  ObservedBridgeInfo,
  ObservedFdbEntry,
  ObservedInterface,
  ObservedPortInfo,
  ObservedStats,
} from '@netcanvas/model';
import { parseCidrSyntax } from '@netcanvas/model';
import { OWNED_GROUP } from './commands';

/**
 * Parsers for iproute2's JSON (`ip -j -d -s addr show`, `ip -j netns list`, `bridge -j -s fdb show`),
 * as printed by iproute2 6.1 on this machine (fixtures in test/fixtures). Unknown fields are kept
 * out; missing optional ones become null. Peers are resolved later, across namespaces.
 */

const RawStats = z.looseObject({
  rx: z.looseObject({ bytes: z.number(), packets: z.number(), errors: z.number(), dropped: z.number() }),
  tx: z.looseObject({ bytes: z.number(), packets: z.number(), errors: z.number(), dropped: z.number() }),
});

const RawAddrInfo = z.looseObject({
  family: z.string(),
  local: z.string().optional(),
  prefixlen: z.number().optional(),
  scope: z.string().optional(),
  /** Printed (as true) for an address added with `nodad`, as netcanvas adds every IPv6 one. */
  nodad: z.boolean().optional(),
});
type RawAddrInfo = z.infer<typeof RawAddrInfo>;

/** `ip -d`'s linkinfo.info_data of a bridge (other kinds have other fields, or none). */
const RawBridgeData = z.looseObject({
  stp_state: z.number().optional(),
  bridge_id: z.string().optional(),
  root_id: z.string().optional(),
  root_port: z.number().optional(),
  root_path_cost: z.number().optional(),
  priority: z.number().optional(),
  forward_delay: z.number().optional(),
  hello_time: z.number().optional(),
  max_age: z.number().optional(),
  ageing_time: z.number().optional(),
  vlan_filtering: z.number().optional(),
  topology_change: z.number().optional(),
});

/** `ip -d`'s linkinfo.info_slave_data of a bridge port. */
const RawPortData = z.looseObject({
  state: z.string().optional(),
  cost: z.number().optional(),
  priority: z.number().optional(),
  /** The port number, in hex ("0x1"). */
  no: z.string().optional(),
  learning: z.boolean().optional(),
  flood: z.boolean().optional(),
});

export const RawLink = z.looseObject({
  ifindex: z.number(),
  ifname: z.string(),
  flags: z.array(z.string()).default([]),
  mtu: z.number(),
  operstate: z.string().default('UNKNOWN'),
  group: z.union([z.string(), z.number()]).default('default'),
  address: z.string().optional(),
  link_type: z.string().optional(),
  master: z.string().optional(),
  ifalias: z.string().optional(),
  /** The peer's name, when it is in the same namespace. */
  link: z.string().nullable().optional(),
  link_index: z.number().optional(),
  link_netnsid: z.number().optional(),
  /** The root qdisc's kind ("noqueue" for a veth by default; "tbf" where a rate is set). */
  qdisc: z.string().optional(),
  linkinfo: z
    .looseObject({
      info_kind: z.string().optional(),
      /** Read per kind (a bridge's, below): other kinds' fields must not fail the whole dump. */
      info_data: z.unknown().optional(),
      info_slave_kind: z.string().optional(),
      info_slave_data: z.unknown().optional(),
    })
    .optional(),
  addr_info: z.array(RawAddrInfo).default([]),
  stats64: RawStats.optional(),
});
export type RawLink = z.infer<typeof RawLink>;

export const RawNetnsEntry = z.looseObject({ name: z.string(), id: z.number().optional() });
export const RawFdbEntry = z.looseObject({
  mac: z.string(),
  ifname: z.string(),
  master: z.string().optional(),
  vlan: z.number().optional(),
  state: z.string().optional(),
  flags: z.array(z.string()).optional(),
  updated: z.number().optional(),
});

/** An interface as one namespace sees it, with its peer still as (nsid, ifindex). */
export interface ParsedInterface extends Omit<ObservedInterface, 'peer'> {
  peerRef:
    | { sameNamespace: true; ifindex: number }
    | { sameNamespace: false; nsid: number | null; ifindex: number }
    | null;
}

export function parseLinks(json: unknown): ParsedInterface[] {
  return parseLinksKnowing(json, []);
}

/**
 * `parseLinks` for a dump of some of a namespace's links (`addr show dev X`): a veth whose peer
 * is in the same namespace names it, and the name is looked up among the dump's links and then
 * the namespace's `known` ones.
 */
export function parseLinksKnowing(
  json: unknown,
  known: readonly { ifname: string; ifindex: number }[],
): ParsedInterface[] {
  const raws = z.array(RawLink).parse(json);
  const indexOf = new Map(known.map((i) => [i.ifname, i.ifindex]));
  for (const r of raws) indexOf.set(r.ifname, r.ifindex);
  return raws.map((raw) => toInterface(raw, indexOf));
}

/**
 * Where a veth's peer is. Across namespaces the kernel gives (link_netnsid, link_index); within
 * one namespace `ip -j` gives only the peer's name (`"link": "vethbar"`, the tutorial's
 * `ip link add vethfoo type veth peer name vethbar`), which the namespace's own links resolve.
 */
function peerRefOf(
  raw: RawLink,
  kind: string,
  indexOf: ReadonlyMap<string, number>,
): ParsedInterface['peerRef'] {
  if (kind !== 'veth') return null;
  if (raw.link_index !== undefined)
    return raw.link_netnsid === undefined
      ? { sameNamespace: true, ifindex: raw.link_index }
      : { sameNamespace: false, nsid: raw.link_netnsid, ifindex: raw.link_index };
  const byName = typeof raw.link === 'string' ? indexOf.get(raw.link) : undefined;
  return byName === undefined ? null : { sameNamespace: true, ifindex: byName };
}

/** Each parsed interface's root qdisc kind as `ip` names it (read by effects/observe.ts, not sent on). */
export const qdiscOf = new WeakMap<ParsedInterface, string>();

function toInterface(raw: RawLink, indexOf: ReadonlyMap<string, number>): ParsedInterface {
  const parsed = interfaceOf(raw, indexOf);
  if (raw.qdisc !== undefined) qdiscOf.set(parsed, raw.qdisc);
  return parsed;
}

function interfaceOf(raw: RawLink, indexOf: ReadonlyMap<string, number>): ParsedInterface {
  const kind = raw.link_type === 'loopback' ? 'loopback' : (raw.linkinfo?.info_kind ?? 'device');
  const bridgeData = kind === 'bridge' ? RawBridgeData.safeParse(raw.linkinfo?.info_data).data : undefined;
  const portData =
    raw.linkinfo?.info_slave_kind === 'bridge'
      ? RawPortData.safeParse(raw.linkinfo.info_slave_data).data
      : undefined;
  const stp = bridgeData?.stp_state;
  const mac = raw.link_type === 'ether' && raw.address ? raw.address.toLowerCase() : null;
  const addresses = raw.addr_info.filter(isAddress);
  return {
    ifindex: raw.ifindex,
    ifname: raw.ifname,
    kind,
    up: raw.flags.includes('UP'),
    operstate: raw.operstate,
    flags: raw.flags,
    mtu: raw.mtu,
    mac,
    master: raw.master ?? null,
    managed: String(raw.group) === String(OWNED_GROUP),
    group: String(raw.group),
    alias: raw.ifalias ?? null,
    addresses: addresses.map(cidrOf),
    kernelLinkLocal: kernelLinkLocal(addresses, mac),
    stp: kind === 'bridge' ? (stp ?? 0) !== 0 : null,
    stats: raw.stats64 ? toStats(raw.stats64) : null,
    peerRef: peerRefOf(raw, kind, indexOf),
    linkNetnsid: raw.link_netnsid ?? null,
    bridgeInfo: toBridgeInfo(bridgeData),
    portInfo: toPortInfo(portData),
  };
}

const isAddress = (a: RawAddrInfo): a is RawAddrInfo & { local: string; prefixlen: number } =>
  (a.family === 'inet' || a.family === 'inet6') && a.local !== undefined && a.prefixlen !== undefined;

const cidrOf = (a: { local: string; prefixlen: number }) => `${a.local}/${a.prefixlen}`;

/**
 * The interface's link-local addresses the kernel made itself (`ObservedInterface.kernelLinkLocal`).
 * iproute2 6.1 prints no `protocol kernel_ll` (test/fixtures/linklocal-lab), so two facts tell them:
 * - `nodad`: netcanvas adds every IPv6 address with it, the kernel never does; an fe80 address
 *   with it is never the kernel's.
 * - The MAC: the kernel makes one link-local address, the EUI-64 of the MAC the interface had when
 *   it came up. When one fe80 address without nodad is that of the current MAC, it is the kernel's
 *   and the others were typed by hand. When none is, the MAC has changed since (a bridge takes its
 *   first port's), or the kernel made an opaque one (addr_gen_mode): all of them are taken for the
 *   kernel's, since taking a typed one for the kernel's only leaves it alone, while the reverse
 *   would have the planner delete the kernel's own.
 */
export function kernelLinkLocal(addrs: readonly RawAddrInfo[], mac: string | null): string[] {
  const candidates = addrs
    .filter((a) => a.family === 'inet6' && a.nodad !== true && /^fe80:/i.test(a.local ?? ''))
    .map((a) => `${a.local}/${a.prefixlen}`);
  if (candidates.length === 0) return candidates;
  const own = mac === null ? undefined : eui64LinkLocal(mac);
  // iproute2 prints addresses as RFC 5952 writes them, as eui64LinkLocal does: compared as text
  // (a parse of each was ~20 ms a read of the root's 1,000 ports).
  const mine = candidates.find((cidr) => cidr === own);
  return mine === undefined ? candidates : [mine];
}

/** fe80::/64 with the modified EUI-64 of a 48-bit MAC (RFC 4291, appendix A); undefined for others. */
export function eui64LinkLocal(mac: string): string | undefined {
  const bytes = mac.split(':').map((b) => Number.parseInt(b, 16));
  if (bytes.length !== 6 || bytes.some((b) => Number.isNaN(b))) return undefined;
  const [b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0, b5 = 0] = bytes;
  const word = (hi: number, lo: number) => ((hi << 8) | lo).toString(16);
  const text = `fe80::${word(b0 ^ 0x02, b1)}:${word(b2, 0xff)}:${word(0xfe, b3)}:${word(b4, b5)}/64`;
  // Already canonical unless the first word is 0 too (a longer run of zeros to compress).
  return (b0 ^ 0x02) === 0 && b1 === 0 ? canonical(text) : text;
}

/** An IPv6 CIDR as iproute2 and ipaddr.js write it ("fe80::0:1/64" is "fe80::1/64"). */
const canonical = (cidr: string): string => {
  const parsed = parseCidrSyntax(cidr);
  return parsed.ok ? parsed.value.text : cidr;
};

/**
 * iproute2 prints a bridge id as priority.MAC with each MAC byte unpadded ("8000.26:18:41:5:dc:88");
 * padded, it reads as the bridge's MAC does everywhere else.
 */
export function normaliseBridgeId(id: string): string {
  const [priority, mac] = id.split('.');
  if (priority === undefined || mac === undefined) return id.toLowerCase();
  return `${priority.toLowerCase()}.${mac
    .split(':')
    .map((byte) => byte.toLowerCase().padStart(2, '0'))
    .join(':')}`;
}

/** The kernel prints bridge times in hundredths of a second (clock_t at USER_HZ 100). */
const seconds = (hundredths: number | undefined) => (hundredths ?? 0) / 100;

function toBridgeInfo(data: z.infer<typeof RawBridgeData> | undefined): ObservedBridgeInfo | null {
  if (data?.bridge_id === undefined) return null;
  return {
    bridgeId: normaliseBridgeId(data.bridge_id),
    rootId: normaliseBridgeId(data.root_id ?? data.bridge_id),
    rootPort: data.root_port ?? 0,
    rootPathCost: data.root_path_cost ?? 0,
    priority: data.priority ?? Number.parseInt(data.bridge_id.split('.')[0] ?? '', 16),
    stpState: data.stp_state ?? 0,
    forwardDelay: seconds(data.forward_delay),
    helloTime: seconds(data.hello_time),
    maxAge: seconds(data.max_age),
    ageingTime: seconds(data.ageing_time),
    vlanFiltering: (data.vlan_filtering ?? 0) !== 0,
    topologyChange: (data.topology_change ?? 0) !== 0,
  };
}

function toPortInfo(data: z.infer<typeof RawPortData> | undefined): ObservedPortInfo | null {
  if (data?.state === undefined) return null;
  const portNo = data.no === undefined ? Number.NaN : Number.parseInt(data.no, 16);
  return {
    state: data.state,
    cost: data.cost ?? 0,
    priority: data.priority ?? 0,
    portNo: Number.isNaN(portNo) ? null : portNo,
    learning: data.learning ?? true,
    flood: data.flood ?? true,
  };
}

const toStats = (s: z.infer<typeof RawStats>): ObservedStats => ({
  rxBytes: s.rx.bytes,
  rxPackets: s.rx.packets,
  rxErrors: s.rx.errors,
  rxDropped: s.rx.dropped,
  txBytes: s.tx.bytes,
  txPackets: s.tx.packets,
  txErrors: s.tx.errors,
  txDropped: s.tx.dropped,
});

/** `ip -j netns list` run inside one namespace: the ids *that namespace* gives the others. */
export function parseNetnsList(json: unknown): { name: string; id: number | null }[] {
  return z
    .array(RawNetnsEntry)
    .parse(json)
    .map((e) => ({ name: e.name, id: e.id ?? null }));
}

/**
 * `bridge -j -s fdb show`: entries of bridge ports, learned, local or static. The kernel prints an
 * "updated" for local entries too (seconds since the port came up); only learned entries age, so
 * only theirs is an age.
 */
export function parseFdb(json: unknown): ObservedFdbEntry[] {
  return z
    .array(RawFdbEntry)
    .parse(json)
    .filter((e) => e.master !== undefined)
    .map((e) => {
      const origin = fdbOrigin(e);
      return {
        bridge: e.master as string,
        mac: e.mac.toLowerCase(),
        port: e.ifname,
        vlan: e.vlan ?? null,
        learned: origin === 'learned',
        ageSeconds: origin === 'learned' ? (e.updated ?? null) : null,
        origin,
      };
    });
}

function fdbOrigin(e: z.infer<typeof RawFdbEntry>): NonNullable<ObservedFdbEntry['origin']> {
  if (e.state === 'permanent') return 'local';
  if (e.state === 'static' || (e.flags ?? []).includes('self')) return 'static';
  return 'learned';
}

/**
 * Splits the output of an `ip -j -batch` run into its JSON documents: iproute2 prints one line per
 * show command and flushes it. A command that printed nothing leaves no line.
 */
export function splitJsonLines(stdout: string): unknown[] {
  return stdout
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('[') || line.startsWith('{'))
    .map((line) => JSON.parse(line) as unknown);
}
