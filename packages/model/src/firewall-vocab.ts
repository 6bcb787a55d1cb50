/**
 * The words of iptables the document uses, as this machine's iptables (1.8, nf_tables) prints
 * them. Plain data, shared by the schema, the rendering (`ruleArgs`), the reading back
 * (`ruleFromArgs`) and the rule form.
 */

/** The lab's rules carry `-m comment --comment netcanvas`, so rules made by hand are told apart. */
export const RULE_COMMENT = 'netcanvas';

export const TABLES = ['raw', 'mangle', 'nat', 'filter'] as const;
export type TableName = (typeof TABLES)[number];

/** The built-in chains of each table, in the order a packet meets the hooks. */
export const BUILTIN_CHAINS: Record<TableName, readonly string[]> = {
  raw: ['PREROUTING', 'OUTPUT'],
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
};

/** The five hooks, in the order the tutorial draws them. */
export const HOOKS = ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'] as const;

/** The tables whose built-in chains take a policy: the kernel refuses DROP in nat. */
export const POLICY_TABLES = ['raw', 'mangle', 'filter'] as const satisfies readonly TableName[];

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
  'CONNMARK',
  'TTL',
  'TOS',
  'DSCP',
  'NOTRACK',
  'CT',
] as const;

/** `--reject-with`: every type iptables takes (its aliases, like `net-unreach`, are printed as these). */
export const REJECT_TYPES = [
  'icmp-port-unreachable',
  'icmp-net-unreachable',
  'icmp-host-unreachable',
  'icmp-proto-unreachable',
  'icmp-net-prohibited',
  'icmp-host-prohibited',
  'icmp-admin-prohibited',
  'tcp-reset',
] as const;
/** What REJECT sends unless told: iptables prints it anyway. */
export const DEFAULT_REJECT = 'icmp-port-unreachable';

/** `--set-dscp-class`: iptables prints the class as its number (`EF` is `--set-dscp 0x2e`). */
export const DSCP_CLASSES = {
  CS0: 0x00,
  CS1: 0x08,
  CS2: 0x10,
  CS3: 0x18,
  CS4: 0x20,
  CS5: 0x28,
  CS6: 0x30,
  CS7: 0x38,
  BE: 0x00,
  AF11: 0x0a,
  AF12: 0x0c,
  AF13: 0x0e,
  AF21: 0x12,
  AF22: 0x14,
  AF23: 0x16,
  AF31: 0x1a,
  AF32: 0x1c,
  AF33: 0x1e,
  AF41: 0x22,
  AF42: 0x24,
  AF43: 0x26,
  EF: 0x2e,
} as const;
export type DscpClass = keyof typeof DSCP_CLASSES;
export const DSCP_CLASS_NAMES = Object.keys(DSCP_CLASSES) as [DscpClass, ...DscpClass[]];

/** The TOS target's names (`--set-tos Minimize-Delay` is `--set-tos 0x10/0x3f`: they change the low six bits). */
export const TOS_NAMES = {
  'Minimize-Delay': 0x10,
  'Maximize-Throughput': 0x08,
  'Maximize-Reliability': 0x04,
  'Minimize-Cost': 0x02,
  'Normal-Service': 0x00,
} as const;
export const TOS_NAME_MASK = 0x3f;

/** syslog levels, 0 to 7; iptables prints `--log-level` only when it is not 4 (warning). */
export const LOG_LEVELS = ['emerg', 'alert', 'crit', 'error', 'warning', 'notice', 'info', 'debug'] as const;
export const DEFAULT_LOG_LEVEL = 4;

/** LOG's switches, in the order iptables prints them (`--log-tcp-sequence` ...). */
export const LOG_FLAGS = ['tcp-sequence', 'tcp-options', 'ip-options', 'uid', 'macdecode'] as const;

/** The order iptables prints conntrack states in. */
export const CT_ORDER = ['INVALID', 'NEW', 'RELATED', 'ESTABLISHED'] as const;

/** ICMP types by name, for the form (iptables prints the number). */
export const ICMP_TYPE_NAMES: Record<string, number | string> = {
  'echo-reply': 0,
  'destination-unreachable': 3,
  'network-unreachable': '3/0',
  'host-unreachable': '3/1',
  'protocol-unreachable': '3/2',
  'port-unreachable': '3/3',
  'fragmentation-needed': '3/4',
  redirect: 5,
  'echo-request': 8,
  'time-exceeded': 11,
  'parameter-problem': 12,
  'timestamp-request': 13,
  'timestamp-reply': 14,
};

/**
 * The matches a rule can negate (`!`), in the order `ruleArgs` writes them: `not: ["source"]` is
 * `! -s ...`. The order is also the canonical order of `not`.
 */
export const NEGATABLE = [
  'source',
  'destination',
  'inInterface',
  'outInterface',
  'protocol',
  'sourcePort',
  'destinationPort',
  'icmpType',
  'sourcePorts',
  'destinationPorts',
  'sourceRange',
  'destinationRange',
  'mark',
  'connmark',
  'state',
] as const;
export type Negatable = (typeof NEGATABLE)[number];

/** `-m multiport` takes at most 15 ports, a range counting two. */
export const MULTIPORT_SLOTS = 15;

/** The LOG target keeps 29 characters of a prefix and silently cuts the rest. */
export const LOG_PREFIX_MAX = 29;

/** All bits of a mark: a mask iptables leaves unprinted where it is the default. */
export const FULL_MARK = 0xffffffff;
