import { z } from 'zod';
import { CidrText, parseCidr } from './address';
import { InterfaceName } from './names';
import { IpAddressText, networkOf } from './routing';

/**
 * Firewall rules of one namespace, structured (SECURITY.md: never a raw rule string from a
 * client). IPv4 (iptables). The lab's rules carry `-m comment --comment netcanvas`, so rules made
 * by hand are told apart, shown as unmanaged, and never removed.
 */
export const RULE_COMMENT = 'netcanvas';

export const TABLES = ['raw', 'mangle', 'nat', 'filter'] as const;
export const Table = z.enum(TABLES);
export type Table = z.infer<typeof Table>;

/** The built-in chains of each table, in the order a packet meets the hooks. */
export const BUILTIN_CHAINS: Record<Table, readonly string[]> = {
  raw: ['PREROUTING', 'OUTPUT'],
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
};

/** The five hooks, in the order the tutorial draws them. */
export const HOOKS = ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'] as const;

/** A user chain's name: what iptables accepts (≤ 28 characters), never read as an option or target. */
export const ChainName = z
  .string()
  .regex(
    /^[A-Za-z][A-Za-z0-9_-]{0,27}$/,
    'a chain name: a letter, then letters, digits, "_" or "-", at most 28',
  )
  .refine((name) => !BUILTIN_TARGETS.includes(name as never), 'that name is a target');

export const BUILTIN_TARGETS = [
  'ACCEPT',
  'DROP',
  'REJECT',
  'RETURN',
  'LOG',
  'MASQUERADE',
  'SNAT',
  'DNAT',
  'MARK',
  'NOTRACK',
  'CT',
] as const;

/** A port (80) or a range ("8000:8080"). */
export const PortSpec = z.union([
  z.number().int().min(1).max(65535),
  z
    .string()
    .regex(/^\d{1,5}:\d{1,5}$/, 'a port range like "8000:8080"')
    .refine((r) => {
      const [a, b] = r.split(':').map(Number) as [number, number];
      return a >= 1 && b <= 65535 && a <= b;
    }, 'a port range within 1..65535, low to high'),
]);

export const ConnState = z.enum(['NEW', 'ESTABLISHED', 'RELATED', 'INVALID']);

export const FirewallRule = z
  .object({
    table: Table.default('filter'),
    /** A built-in chain of the table, or a user chain declared in `chains`. */
    chain: z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,27}$/, 'a chain name'),
    protocol: z.enum(['tcp', 'udp', 'icmp', 'all']).optional(),
    source: CidrText.optional(),
    destination: CidrText.optional(),
    inInterface: InterfaceName.optional(),
    outInterface: InterfaceName.optional(),
    sourcePort: PortSpec.optional(),
    destinationPort: PortSpec.optional(),
    state: z.array(ConnState).min(1).max(4).optional(),
    /** A built-in target, or a user chain to jump to. */
    target: z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,27}$/, 'a target or chain name'),
    /** SNAT: the source address to write. */
    toSource: IpAddressText.optional(),
    /** DNAT: the destination address (and port) to write. */
    toDestination: IpAddressText.optional(),
    toPort: z.number().int().min(1).max(65535).optional(),
    /** MARK: the value to set. */
    setMark: z.number().int().min(0).max(4294967295).optional(),
    /** LOG: a prefix for the kernel log (no spaces). */
    logPrefix: z
      .string()
      .regex(/^[A-Za-z0-9_:.-]{1,28}$/, 'letters, digits, "_", ":", "." or "-", at most 28')
      .optional(),
  })
  .strict();
export type FirewallRule = z.infer<typeof FirewallRule>;
export type FirewallRuleInput = z.input<typeof FirewallRule>;

export const ChainPolicy = z
  .object({ chain: z.enum(['INPUT', 'FORWARD', 'OUTPUT']), policy: z.enum(['ACCEPT', 'DROP']) })
  .strict();

export const FirewallSpec = z
  .object({
    /** User chains, each in a table. */
    chains: z
      .array(z.object({ table: Table.default('filter'), name: ChainName }).strict())
      .max(64)
      .default([]),
    /** Policies of the filter table's built-in chains (unset: left as the kernel has it). */
    policies: z.array(ChainPolicy).max(3).default([]),
    /** In order: order matters, and is kept. */
    rules: z.array(FirewallRule).max(1000).default([]),
  })
  .strict();
export type FirewallSpec = z.infer<typeof FirewallSpec>;

/** Why `rule` does not fit where it is, or null: the table/chain/target matrix of iptables. */
export function ruleProblem(
  rule: FirewallRule,
  userChains: readonly { table: Table; name: string }[],
): { field: keyof FirewallRule; message: string } | null {
  const builtin = BUILTIN_CHAINS[rule.table];
  const isUser = (name: string) => userChains.some((c) => c.table === rule.table && c.name === name);
  if (!builtin.includes(rule.chain) && !isUser(rule.chain))
    return {
      field: 'chain',
      message: `the ${rule.table} table has no chain "${rule.chain}" (built-in: ${builtin.join(', ')}; or declare it in chains)`,
    };
  const t = rule.target;
  const at = (tables: Table[], chains?: string[]) =>
    tables.includes(rule.table) &&
    (chains === undefined || chains.includes(rule.chain) || isUser(rule.chain));
  const fits: Record<string, () => boolean> = {
    ACCEPT: () => true,
    DROP: () => rule.table !== 'nat',
    RETURN: () => true,
    LOG: () => true,
    REJECT: () => at(['filter']),
    MASQUERADE: () => at(['nat'], ['POSTROUTING']),
    SNAT: () => at(['nat'], ['POSTROUTING', 'INPUT']),
    DNAT: () => at(['nat'], ['PREROUTING', 'OUTPUT']),
    MARK: () => at(['mangle']),
    NOTRACK: () => at(['raw']),
    CT: () => at(['raw']),
  };
  const check = fits[t];
  if (check && !check())
    return {
      field: 'target',
      message: `${t} does not belong in ${rule.table} ${rule.chain}${targetHint(t)}`,
    };
  if (!check && !isUser(t))
    return {
      field: 'target',
      message: `"${t}" is neither a target nor a chain declared in the ${rule.table} table`,
    };
  if (
    (rule.sourcePort !== undefined || rule.destinationPort !== undefined) &&
    rule.protocol !== 'tcp' &&
    rule.protocol !== 'udp'
  )
    return { field: 'protocol', message: 'ports need protocol tcp or udp' };
  if (rule.inInterface !== undefined && ['OUTPUT', 'POSTROUTING'].includes(rule.chain))
    return { field: 'inInterface', message: `no input interface in ${rule.chain}` };
  if (rule.outInterface !== undefined && ['PREROUTING', 'INPUT'].includes(rule.chain))
    return { field: 'outInterface', message: `no output interface in ${rule.chain}` };
  if (t === 'SNAT' && rule.toSource === undefined)
    return { field: 'toSource', message: 'SNAT needs toSource' };
  if (t === 'DNAT' && rule.toDestination === undefined)
    return { field: 'toDestination', message: 'DNAT needs toDestination' };
  if (t === 'MARK' && rule.setMark === undefined) return { field: 'setMark', message: 'MARK needs setMark' };
  if (rule.toSource !== undefined && t !== 'SNAT')
    return { field: 'toSource', message: 'toSource is for SNAT' };
  if (rule.toDestination !== undefined && t !== 'DNAT')
    return { field: 'toDestination', message: 'toDestination is for DNAT' };
  if (rule.toPort !== undefined && (t !== 'DNAT' || (rule.protocol !== 'tcp' && rule.protocol !== 'udp')))
    return { field: 'toPort', message: 'toPort is for DNAT with protocol tcp or udp' };
  if (rule.setMark !== undefined && t !== 'MARK') return { field: 'setMark', message: 'setMark is for MARK' };
  if (rule.logPrefix !== undefined && t !== 'LOG')
    return { field: 'logPrefix', message: 'logPrefix is for LOG' };
  for (const field of ['source', 'destination', 'toSource', 'toDestination'] as const) {
    const v = rule[field];
    if (v !== undefined && v.includes(':'))
      return { field, message: 'IPv4 only (iptables); IPv6 rules are not supported yet' };
  }
  return null;
}

const targetHint = (t: string) =>
  ({
    MASQUERADE: ' (only nat POSTROUTING)',
    SNAT: ' (only nat POSTROUTING or INPUT)',
    DNAT: ' (only nat PREROUTING or OUTPUT)',
    MARK: ' (only the mangle table)',
    NOTRACK: ' (only the raw table)',
    CT: ' (only the raw table)',
    REJECT: ' (only the filter table)',
    DROP: ' (not in the nat table)',
  })[t] ?? '';

/**
 * The rule as iptables arguments after `-A CHAIN` (the same order `iptables -S` prints them, so
 * the lab's rules compare equal to what the kernel reports), with the lab's comment.
 */
export function ruleArgs(rule: FirewallRule): string[] {
  const out: string[] = [];
  if (rule.source !== undefined) out.push('-s', hostless(rule.source));
  if (rule.destination !== undefined) out.push('-d', hostless(rule.destination));
  if (rule.inInterface !== undefined) out.push('-i', rule.inInterface);
  if (rule.outInterface !== undefined) out.push('-o', rule.outInterface);
  if (rule.protocol !== undefined && rule.protocol !== 'all') out.push('-p', rule.protocol);
  if (rule.protocol === 'tcp' || rule.protocol === 'udp') {
    if (rule.sourcePort !== undefined || rule.destinationPort !== undefined) out.push('-m', rule.protocol);
    if (rule.sourcePort !== undefined) out.push('--sport', String(rule.sourcePort));
    if (rule.destinationPort !== undefined) out.push('--dport', String(rule.destinationPort));
  }
  if (rule.state !== undefined)
    out.push('-m', 'conntrack', '--ctstate', CT_ORDER.filter((s) => rule.state?.includes(s)).join(','));
  out.push('-m', 'comment', '--comment', RULE_COMMENT);
  out.push('-j', rule.target);
  if (rule.target === 'REJECT') out.push('--reject-with', 'icmp-port-unreachable');
  if (rule.toSource !== undefined) out.push('--to-source', rule.toSource);
  if (rule.toDestination !== undefined)
    out.push(
      '--to-destination',
      rule.toPort !== undefined ? `${rule.toDestination}:${rule.toPort}` : rule.toDestination,
    );
  if (rule.setMark !== undefined) out.push('--set-xmark', `0x${rule.setMark.toString(16)}/0xffffffff`);
  if (rule.logPrefix !== undefined) out.push('--log-prefix', rule.logPrefix);
  if (rule.target === 'CT') out.push('--notrack');
  return out;
}

/** iptables keeps only the network of an address with a prefix (`10.0.1.5/24` is `10.0.1.0/24`). */
const hostless = (cidr: string) => {
  const parsed = parseCidr(cidr);
  return parsed.ok
    ? `${networkOf(parsed.value.ip, parsed.value.prefix, parsed.value.family)}/${parsed.value.prefix}`
    : cidr;
};

/** The order iptables prints conntrack states in. */
const CT_ORDER = ['INVALID', 'NEW', 'RELATED', 'ESTABLISHED'] as const;
