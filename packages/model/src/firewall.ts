import { z } from 'zod';
import { parseCidrSyntax, parseIpAddress } from './address';
import {
  BUILTIN_CHAINS,
  BUILTIN_TARGETS,
  CT_ORDER,
  DSCP_CLASS_NAMES,
  FULL_MARK,
  HOOKS,
  LOG_FLAGS,
  LOG_PREFIX_MAX,
  MULTIPORT_SLOTS,
  NEGATABLE,
  REJECT_TYPES,
  TABLES,
} from './firewall-vocab';
import { InterfaceName } from './names';
import { IpAddressText } from './routing';

/**
 * Firewall rules of one namespace, structured (never a raw rule string from a client:
 * docs/security.md). IPv4 (iptables). The lab's rules carry `-m comment --comment netcanvas`, so rules made
 * by hand are told apart, shown as unmanaged, and never removed. What each field means in
 * iptables' words, and where it may appear, is `ruleProblem`'s; how it is written, `ruleArgs`'s.
 */
export * from './firewall-vocab';
export { ruleProblem } from './firewall-problem';
export { ruleArgs, withoutLabComment } from './firewall-render';

export const Table = z.enum(TABLES);
export type Table = z.infer<typeof Table>;

/** A user chain's name: what iptables accepts (≤ 28 characters), never read as an option or target. */
export const ChainName = z
  .string()
  .regex(
    /^[A-Za-z][A-Za-z0-9_-]{0,27}$/,
    'a chain name: a letter, then letters, digits, "_" or "-", at most 28',
  )
  .refine((name) => !BUILTIN_TARGETS.includes(name as never), 'that name is a target');

const Port = z.number().int().min(0).max(65535);
/** A port (80) or a range ("8000:8080"); a one-port range ("22:22") is written as the port. */
export const PortSpec = z.union([
  Port,
  z
    .string()
    .regex(/^\d{1,5}:\d{1,5}$/, 'a port range like "8000:8080"')
    .refine((r) => {
      const [a, b] = r.split(':').map(Number) as [number, number];
      return b <= 65535 && a <= b;
    }, 'a port range within 0..65535, low to high'),
]);
export type PortSpec = z.infer<typeof PortSpec>;

/** `-m multiport`: up to 15 ports, a range counting two. */
const PortList = z
  .array(PortSpec)
  .min(1, 'at least one port')
  .refine(
    (ports) => ports.reduce<number>((n, p) => n + (isRange(p) ? 2 : 1), 0) <= MULTIPORT_SLOTS,
    `at most ${MULTIPORT_SLOTS} ports, a range counting two`,
  );

/** A range like "8000:8080" whose ends differ (a one-port range is the port). */
export const isRange = (p: PortSpec): boolean => {
  if (typeof p === 'number') return false;
  const [a, b] = p.split(':');
  return Number(a) !== Number(b);
};

export const ConnState = z.enum(CT_ORDER);

/** A source or destination network: any IPv4 network (`0.0.0.0/0` is every address, and left out). */
const RuleNetwork = z.string().transform((value, ctx) => {
  const parsed = parseCidrSyntax(value);
  if (!parsed.ok) {
    ctx.addIssue({ code: 'custom', message: parsed.error, input: value });
    return z.NEVER;
  }
  return parsed.value.text;
});

/** `-m iprange`: "10.0.0.1-10.0.0.9", low to high (the kernel takes a reversed range that never matches). */
const IpRange = z.string().superRefine((value, ctx) => {
  const parts = value.split('-');
  const ends = parts.map((p) => parseIpAddress(p));
  const fail = (message: string) => ctx.addIssue({ code: 'custom', message, input: value });
  if (parts.length !== 2 || ends.some((e) => !e.ok || e.family !== 4 || e.ip !== parts[ends.indexOf(e)]))
    return fail(`"${value}": an IPv4 range like "10.0.0.1-10.0.0.9" (both ends written in full)`);
  const [low, high] = parts.map(ipv4Number) as [number, number];
  if (low > high) fail(`"${value}" is reversed: the low address first`);
});

export const ipv4Number = (ip: string): number =>
  ip.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);

const Uint32 = z.number().int().min(0).max(FULL_MARK);
const Byte = z.number().int().min(0).max(255);

/** `-m mark --mark` / `-m connmark --mark`: packets whose mark, under the mask, is the value. */
export const MarkMatch = z.object({ value: Uint32, mask: Uint32.optional() }).strict();
export type MarkMatch = z.infer<typeof MarkMatch>;

/** `--icmp-type`: a type (any code) or "type/code", as iptables prints it. */
const IcmpType = z.union([
  z.number().int().min(0).max(254),
  z
    .string()
    .regex(/^\d{1,3}\/\d{1,3}$/, 'an ICMP type (8) or "type/code" ("3/1")')
    .refine((t) => {
      const [type, code] = t.split('/').map(Number) as [number, number];
      return type <= 254 && code <= 255 && !/(^|\/)0\d/.test(t);
    }, 'type 0..254 and code 0..255, without leading zeros'),
]);

/**
 * LOG's prefix as the kernel keeps it (29 characters). Spaces are fine (they are quoted where the
 * command is shown and in `ip -batch`); quotes, backslashes and "#" are not: iptables-save escapes
 * them and `ip -batch` reads "#" as a comment. A leading "-" or "!" would read as an option.
 */
const LogPrefix = z
  .string()
  .min(1)
  .max(LOG_PREFIX_MAX, `at most ${LOG_PREFIX_MAX} characters (the kernel cuts the rest)`)
  .regex(/^[^-!]/, 'must not start with "-" or "!" (iptables would read an option)')
  .regex(/^[\x20-\x7e]*$/, 'printable ASCII only')
  .regex(/^[^"\\#]*$/, 'no quotes ("), backslashes or "#"');

const TargetName = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,27}$/, 'a target or chain name');

export const FirewallRule = z
  .object({
    table: Table.default('filter'),
    /** A built-in chain of the table, or a user chain declared in `chains`. */
    chain: z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,27}$/, 'a chain name'),
    protocol: z.enum(['tcp', 'udp', 'icmp', 'all']).optional(),
    source: RuleNetwork.optional(),
    destination: RuleNetwork.optional(),
    inInterface: InterfaceName.optional(),
    outInterface: InterfaceName.optional(),
    /** `-m tcp|udp --sport/--dport`. */
    sourcePort: PortSpec.optional(),
    destinationPort: PortSpec.optional(),
    /** `-m multiport --sports/--dports`: lists of ports and ranges. */
    sourcePorts: PortList.optional(),
    destinationPorts: PortList.optional(),
    /** `-m icmp --icmp-type` (protocol icmp). */
    icmpType: IcmpType.optional(),
    /** `-m iprange --src-range/--dst-range`. */
    sourceRange: IpRange.optional(),
    destinationRange: IpRange.optional(),
    /** `-m mark --mark value/mask` (the packet's mark) and `-m connmark --mark` (its connection's). */
    mark: MarkMatch.optional(),
    connmark: MarkMatch.optional(),
    /** `-m conntrack --ctstate`. */
    state: z.array(ConnState).min(1).max(4).optional(),
    /** The matches negated with `!` (`not: ["source"]` is `! -s ...`), each one set in the rule. */
    not: z
      .array(z.enum(NEGATABLE))
      .min(1)
      .refine((list) => new Set(list).size === list.length, 'each match at most once')
      .optional(),
    /** A built-in target, or a user chain to jump to. */
    target: TargetName,
    /** SNAT: the source address to write. */
    toSource: IpAddressText.optional(),
    /** DNAT: the destination address (and port) to write. */
    toDestination: IpAddressText.optional(),
    toPort: z.number().int().min(1).max(65535).optional(),
    /** MARK, CONNMARK: `--set-xmark value/mask`: clear the mask's bits, then XOR the value (mask: all bits). */
    setMark: Uint32.optional(),
    setMarkMask: Uint32.optional(),
    /** CONNMARK: copy the packet's mark to its connection (save) or back (restore), under masks. */
    connmarkAction: z.enum(['save', 'restore']).optional(),
    nfMask: Uint32.optional(),
    ctMask: Uint32.optional(),
    /** TOS: `--set-tos value/mask` (mask 0xff unless given). */
    setTos: Byte.optional(),
    setTosMask: Byte.optional(),
    /** DSCP: `--set-dscp` 0..63, or a class (`EF`), which iptables prints as its number. */
    setDscp: z.union([z.number().int().min(0).max(63), z.enum(DSCP_CLASS_NAMES)]).optional(),
    /** TTL (mangle): set it, or add to it, or take from it. */
    ttlSet: Byte.optional(),
    ttlInc: z.number().int().min(1).max(255).optional(),
    ttlDec: z.number().int().min(1).max(255).optional(),
    /** REJECT: what to answer (icmp-port-unreachable unless given). */
    rejectWith: z.enum(REJECT_TYPES).optional(),
    /** LOG: a prefix for the kernel log (spaces allowed), a syslog level 0..7, and what to add. */
    logPrefix: LogPrefix.optional(),
    logLevel: z.number().int().min(0).max(7).optional(),
    logFlags: z
      .array(z.enum(LOG_FLAGS))
      .min(1)
      .refine((list) => new Set(list).size === list.length, 'each flag at most once')
      .optional(),
  })
  .strict();
export type FirewallRule = z.infer<typeof FirewallRule>;
export type FirewallRuleInput = z.input<typeof FirewallRule>;

/**
 * A built-in chain's policy, in the raw, mangle or filter table (the kernel refuses DROP in nat,
 * and ACCEPT there is every chain's already). Old documents name filter chains only: filter is
 * the default table.
 */
export const ChainPolicy = z
  .object({ table: Table.default('filter'), chain: z.enum(HOOKS), policy: z.enum(['ACCEPT', 'DROP']) })
  .strict()
  .superRefine((p, ctx) => {
    if (p.table === 'nat')
      ctx.addIssue({
        code: 'custom',
        path: ['table'],
        message:
          'the nat table takes no policy (the kernel refuses DROP there); set policies in raw, mangle or filter',
      });
    else if (!BUILTIN_CHAINS[p.table].includes(p.chain))
      ctx.addIssue({
        code: 'custom',
        path: ['chain'],
        message: `the ${p.table} table has no built-in chain ${p.chain} (it has ${BUILTIN_CHAINS[p.table].join(', ')})`,
      });
  });
export type ChainPolicy = z.infer<typeof ChainPolicy>;

export const FirewallSpec = z
  .object({
    /** User chains, each in a table. */
    chains: z
      .array(z.object({ table: Table.default('filter'), name: ChainName }).strict())
      .max(64)
      .default([]),
    /** Policies of built-in chains (unset: left as the kernel has it). */
    policies: z.array(ChainPolicy).max(10).default([]),
    /** In order: order matters, and is kept. */
    rules: z.array(FirewallRule).max(1000).default([]),
  })
  .strict()
  .superRefine((fw, ctx) => {
    fw.policies.forEach((p, i) => {
      if (fw.policies.findIndex((q) => q.table === p.table && q.chain === p.chain) < i)
        ctx.addIssue({
          code: 'custom',
          path: ['policies', i, 'chain'],
          message: `the policy of ${p.table} ${p.chain} is given twice`,
        });
    });
  });
export type FirewallSpec = z.infer<typeof FirewallSpec>;
