import { z } from 'zod';
import { parseIpAddress } from './address';
import { NamespaceName } from './names';
import { RouteType } from './routing';

/**
 * A packet's path (issue 12 §4): what the kernel decides for one packet, hop by hop, from a lab
 * namespace to an address. The request is checked here, before anything runs; the answer is what
 * packages/kernel's `tracePath` read from the kernel (docs/packet-path.md says how).
 */

export const PathProtocol = z.enum(['icmp', 'tcp', 'udp']);
export type PathProtocol = z.infer<typeof PathProtocol>;

/**
 * From a lab namespace to an IPv4 address (iptables, whose counters the path reads, is IPv4's),
 * by ICMP echo, or TCP/UDP to a port. Errors name the field: `to`, `port`, `from`.
 */
export const PathRequest = z
  .object({
    from: NamespaceName,
    to: z.string().max(45),
    protocol: PathProtocol.default('icmp'),
    port: z.number().int().min(1).max(65535).optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    const ip = parseIpAddress(r.to);
    if (!ip.ok) ctx.addIssue({ code: 'custom', path: ['to'], message: ip.error });
    else if (ip.family !== 4)
      ctx.addIssue({
        code: 'custom',
        path: ['to'],
        message: `"${r.to}" is IPv6: the packet path follows IPv4 only`,
      });
    if (r.protocol === 'icmp' && r.port !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['port'],
        message: 'ICMP has no port: leave it out, or pick tcp or udp',
      });
    if (r.protocol !== 'icmp' && r.port === undefined)
      ctx.addIssue({ code: 'custom', path: ['port'], message: `${r.protocol} needs a port from 1 to 65535` });
  });
export type PathRequest = z.infer<typeof PathRequest>;
export type PathRequestInput = z.input<typeof PathRequest>;

/** The five netfilter hooks, in the order a packet can meet them. */
export const Hook = z.enum(['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING']);
export type Hook = z.infer<typeof Hook>;

/** One command the path ran, as a person types it in the lab. */
export const PathCommand = z.object({
  /** Where it ran: a namespace, or "root". */
  context: z.string(),
  argv: z.array(z.string()),
  exitCode: z.number(),
  stderr: z.string(),
  durationMs: z.number(),
});
export type PathCommand = z.infer<typeof PathCommand>;

/** What one table's chain at one hook did with the packet. */
export const ChainVerdict = z.object({
  hook: Hook,
  table: z.string(),
  /** The chain the rule is in: the hook's own, or a user chain it jumped to. */
  chain: z.string(),
  /**
   * `rule`: a rule whose counter the probe moved decided (or, with a non-final target such as
   * LOG, was passed); `policy`: no rule decided, so the chain's policy did (iptables-nft keeps no
   * policy counters: this one is inferred); `none`: the table has no such chain here.
   */
  by: z.enum(['rule', 'policy']),
  /** The rule's index among its chain's rules (as the ruleCounters number them); -1 for a policy. */
  index: z.number(),
  /** `-A CHAIN ...` as `iptables -S` prints it, or the policy ("policy ACCEPT"). */
  text: z.string(),
  /** ACCEPT, DROP, REJECT, MASQUERADE, SNAT, DNAT, LOG, a user chain's name... */
  target: z.string(),
  /** Packets the probe added to the rule's counter (0 for a policy: not counted). */
  packets: z.number(),
});
export type ChainVerdict = z.infer<typeof ChainVerdict>;

/** How the packet crossed a bridge: the port the next hop's MAC was learned on, or flooding. */
export const BridgeCrossing = z.object({
  namespace: z.string(),
  bridge: z.string(),
  inPort: z.string(),
  /** null: the MAC is not in the forwarding table, so the frame was flooded to every port. */
  outPort: z.string().nullable(),
  mac: z.string().nullable(),
});
export type BridgeCrossing = z.infer<typeof BridgeCrossing>;

/** The neighbour (ARP) entry a hop used for its next hop. */
export const NeighbourEntry = z.object({
  address: z.string(),
  dev: z.string(),
  /** REACHABLE, STALE, DELAY, PERMANENT...; INCOMPLETE or FAILED: nobody answered; "none": no entry. */
  state: z.string(),
  mac: z.string().nullable(),
});
export type NeighbourEntry = z.infer<typeof NeighbourEntry>;

/** One namespace the packet was in, and what its kernel decided. */
/** One hook the packet passed in a namespace, and what each of its tables' chains did. */
export const HookPass = z.object({
  hook: Hook,
  /** Empty: no table has this hook's chain here (nothing in the way). */
  verdicts: z.array(ChainVerdict),
});
export type HookPass = z.infer<typeof HookPass>;

export const PathHop = z.object({
  namespace: z.string(),
  /** The interface it came in on (null at the source). */
  inInterface: z.string().nullable(),
  /** The interface it leaves by (null when delivered or dropped here). */
  outInterface: z.string().nullable(),
  /** The route the kernel chose (`ip route get`), in words: "via 10.1.0.1 dev eth0", "local". */
  route: z.string().nullable(),
  /** The packet's addresses as this hop saw them (NAT changes them). */
  source: z.string(),
  destination: z.string(),
  hooks: z.array(HookPass),
  neighbour: NeighbourEntry.nullable(),
  /** The bridges crossed after leaving this hop, in order. */
  bridges: z.array(BridgeCrossing),
  commands: z.array(PathCommand),
});
export type PathHop = z.infer<typeof PathHop>;

export const PathEnd = z.discriminatedUnion('kind', [
  /** The destination's kernel took it in (`route get` says local; INPUT let it pass). */
  z.object({ kind: z.literal('delivered'), namespace: z.string(), answered: z.boolean() }),
  /** A rule (or a chain's policy) dropped or rejected it. */
  z.object({ kind: z.literal('dropped'), namespace: z.string(), verdict: ChainVerdict }),
  z.object({ kind: z.literal('noRoute'), namespace: z.string(), message: z.string() }),
  /**
   * The route that matched is a blackhole, unreachable or prohibit one (`to`, as the main table has
   * it). `forwarded`: the packet came in from another namespace (the kernel answers it with an
   * ICMP error, but for a blackhole); false at the source, whose own socket gets the error.
   */
  z.object({
    kind: z.literal('typedRoute'),
    namespace: z.string(),
    type: RouteType,
    to: z.string(),
    forwarded: z.boolean(),
  }),
  z.object({ kind: z.literal('noArp'), namespace: z.string(), address: z.string(), dev: z.string() }),
  /** It left by an interface whose other end the lab cannot follow (not a veth, or its peer unknown). */
  z.object({ kind: z.literal('leaves'), namespace: z.string(), dev: z.string() }),
  /** More hops than a lab should need: a routing loop, most likely. */
  z.object({ kind: z.literal('tooManyHops'), namespace: z.string() }),
]);
export type PathEnd = z.infer<typeof PathEnd>;

export const PathResult = z.object({
  request: z.object({
    from: z.string(),
    to: z.string(),
    protocol: PathProtocol,
    port: z.number().nullable(),
  }),
  /** The probe as typed in the lab, and whether an answer came back. */
  probe: PathCommand,
  answered: z.boolean(),
  hops: z.array(PathHop),
  end: PathEnd,
  /** Commands that belong to no one hop (the counters read before and after the probe). */
  commands: z.array(PathCommand),
  durationMs: z.number(),
});
export type PathResult = z.infer<typeof PathResult>;

/** The path's end in one sentence, as the panel and the tests say it. */
export function pathEndText(end: PathEnd): string {
  switch (end.kind) {
    case 'delivered':
      return `delivered to ${end.namespace}${end.answered ? '' : ' (no answer came back)'}`;
    case 'dropped':
      return `dropped here (${end.namespace}), by ${verdictText(end.verdict)}`;
    case 'noRoute':
      return `dropped here (${end.namespace}): no route (${end.message})`;
    case 'typedRoute':
      return `dropped here (${end.namespace}) by ${end.type === 'unreachable' ? 'an' : 'a'} ${end.type} route ${end.to}${typedRouteOutcome(end)}`;
    case 'noArp':
      return `dropped here (${end.namespace}): no ARP answer for ${end.address} on ${end.dev}`;
    case 'leaves':
      return `leaves the lab from ${end.namespace} by ${end.dev}`;
    case 'tooManyHops':
      return `too many hops (a routing loop?), last in ${end.namespace}`;
  }
}

/**
 * What the sender learns of a packet a typed route dropped (the kernel's fib_props errors; the
 * path is IPv4's): a blackhole says nothing; unreachable and prohibit send an ICMP error for a
 * forwarded packet, and fail the sender's own socket (EHOSTUNREACH, EACCES) for one it sent itself.
 */
function typedRouteOutcome(end: Extract<PathEnd, { kind: 'typedRoute' }>): string {
  if (end.type === 'blackhole') return ', silently (no ICMP error)';
  const { icmp, errno } = {
    unreachable: { icmp: 'ICMP host unreachable (type 3 code 1)', errno: '"No route to host"' },
    prohibit: { icmp: 'ICMP administratively prohibited (type 3 code 13)', errno: '"Permission denied"' },
  }[end.type];
  return end.forwarded ? `; the kernel answers ${icmp}` : `; the sender gets ${errno}, nothing is sent`;
}

/** "filter FORWARD rule 1: -p icmp -j DROP", "filter FORWARD policy DROP". */
export function verdictText(v: ChainVerdict): string {
  return v.by === 'policy'
    ? `${v.table} ${v.chain} policy ${v.target}`
    : `${v.table} ${v.chain} rule ${v.index + 1}: ${v.text}`;
}
