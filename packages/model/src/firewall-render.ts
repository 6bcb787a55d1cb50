import { parseCidrSyntax } from './address';
import type { FirewallRule, MarkMatch, PortSpec } from './firewall';
import {
  CT_ORDER,
  DEFAULT_LOG_LEVEL,
  DEFAULT_REJECT,
  DSCP_CLASSES,
  FULL_MARK,
  LOG_FLAGS,
  RULE_COMMENT,
  type Negatable,
} from './firewall-vocab';
import { networkOf } from './routing';

/** A rule's arguments as a person reads them: without the lab's `-m comment --comment netcanvas`. */
export function withoutLabComment(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const comment =
      args[i] === '-m' &&
      args[i + 1] === 'comment' &&
      args[i + 2] === '--comment' &&
      args[i + 3] === RULE_COMMENT;
    if (comment) i += 3;
    else out.push(args[i] as string);
  }
  return out;
}

/**
 * The rule as iptables arguments after `-A CHAIN`, in exactly the order and form `iptables-save`
 * prints them (numbers in its hex, defaults it leaves out, one-port ranges as the port), with the
 * lab's comment: so the lab's rules compare equal to what the kernel reports, and a second apply
 * plans nothing. Checked against this machine's iptables by packages/kernel/test/firewall-vocabulary.kernel.test.ts.
 */
export function ruleArgs(rule: FirewallRule): string[] {
  const out: string[] = [];
  const not = (field: Negatable) => (rule.not?.includes(field) ? ['!'] : []);
  const put = (field: Negatable, flag: string, value: string | undefined) => {
    if (value !== undefined) out.push(...not(field), flag, value);
  };
  // iptables leaves out a /0 network: it is every address (negated, the kernel refuses it).
  const network = (field: 'source' | 'destination') => {
    const text = rule[field];
    return text === undefined || (text.endsWith('/0') && !rule.not?.includes(field))
      ? undefined
      : hostless(text);
  };
  put('source', '-s', network('source'));
  put('destination', '-d', network('destination'));
  put('inInterface', '-i', rule.inInterface);
  put('outInterface', '-o', rule.outInterface);
  if (rule.protocol !== 'all') put('protocol', '-p', rule.protocol);
  const ported = rule.protocol === 'tcp' || rule.protocol === 'udp';
  if (ported && (rule.sourcePort !== undefined || rule.destinationPort !== undefined)) {
    out.push('-m', rule.protocol as string);
    put('sourcePort', '--sport', portText(rule.sourcePort));
    put('destinationPort', '--dport', portText(rule.destinationPort));
  }
  if (rule.icmpType !== undefined) {
    out.push('-m', 'icmp');
    put('icmpType', '--icmp-type', String(rule.icmpType));
  }
  // multiport takes one direction per match: both are two matches.
  if (rule.sourcePorts !== undefined) {
    out.push('-m', 'multiport');
    put('sourcePorts', '--sports', rule.sourcePorts.map(portText).join(','));
  }
  if (rule.destinationPorts !== undefined) {
    out.push('-m', 'multiport');
    put('destinationPorts', '--dports', rule.destinationPorts.map(portText).join(','));
  }
  if (rule.sourceRange !== undefined || rule.destinationRange !== undefined) {
    out.push('-m', 'iprange');
    put('sourceRange', '--src-range', rule.sourceRange);
    put('destinationRange', '--dst-range', rule.destinationRange);
  }
  if (rule.mark !== undefined) {
    out.push('-m', 'mark');
    put('mark', '--mark', markText(rule.mark));
  }
  if (rule.connmark !== undefined) {
    out.push('-m', 'connmark');
    put('connmark', '--mark', markText(rule.connmark));
  }
  if (rule.state !== undefined) {
    out.push('-m', 'conntrack');
    put('state', '--ctstate', CT_ORDER.filter((s) => rule.state?.includes(s)).join(','));
  }
  out.push('-m', 'comment', '--comment', RULE_COMMENT);
  out.push('-j', rule.target, ...targetArgs(rule));
  return out;
}

/** The target's options, as iptables-save prints them. */
function targetArgs(rule: FirewallRule): string[] {
  const out: string[] = [];
  switch (rule.target) {
    case 'REJECT':
      return ['--reject-with', rule.rejectWith ?? DEFAULT_REJECT];
    case 'SNAT':
      return rule.toSource !== undefined ? ['--to-source', rule.toSource] : [];
    case 'DNAT':
      if (rule.toDestination === undefined) return [];
      return [
        '--to-destination',
        rule.toPort !== undefined ? `${rule.toDestination}:${rule.toPort}` : rule.toDestination,
      ];
    case 'MARK':
    case 'CONNMARK':
      if (rule.setMark !== undefined)
        return ['--set-xmark', `${hex(rule.setMark)}/${hex(rule.setMarkMask ?? FULL_MARK)}`];
      if (rule.connmarkAction !== undefined)
        return [
          `--${rule.connmarkAction}-mark`,
          '--nfmask',
          hex(rule.nfMask ?? FULL_MARK),
          '--ctmask',
          hex(rule.ctMask ?? FULL_MARK),
        ];
      return [];
    case 'TOS':
      return rule.setTos === undefined
        ? []
        : ['--set-tos', `${hex2(rule.setTos)}/${hex2(rule.setTosMask ?? 0xff)}`];
    case 'DSCP':
      return rule.setDscp === undefined ? [] : ['--set-dscp', hex2(dscpValue(rule.setDscp))];
    case 'TTL':
      if (rule.ttlSet !== undefined) return ['--ttl-set', String(rule.ttlSet)];
      if (rule.ttlInc !== undefined) return ['--ttl-inc', String(rule.ttlInc)];
      if (rule.ttlDec !== undefined) return ['--ttl-dec', String(rule.ttlDec)];
      return [];
    case 'LOG':
      if (rule.logPrefix !== undefined) out.push('--log-prefix', rule.logPrefix);
      if (rule.logLevel !== undefined && rule.logLevel !== DEFAULT_LOG_LEVEL)
        out.push('--log-level', String(rule.logLevel));
      for (const flag of LOG_FLAGS) if (rule.logFlags?.includes(flag)) out.push(`--log-${flag}`);
      return out;
    case 'CT':
      return ['--notrack'];
    default:
      return [];
  }
}

/** iptables keeps only the network of an address with a prefix (`10.0.1.5/24` is `10.0.1.0/24`). */
const hostless = (cidr: string) => {
  const parsed = parseCidrSyntax(cidr);
  return parsed.ok
    ? `${networkOf(parsed.value.ip, parsed.value.prefix, parsed.value.family)}/${parsed.value.prefix}`
    : cidr;
};

/** A port or range as iptables prints it: no leading zeros, a one-port range as the port. */
export function portText(port: PortSpec): string;
export function portText(port: PortSpec | undefined): string | undefined;
export function portText(port: PortSpec | undefined): string | undefined {
  if (port === undefined || typeof port === 'number') return port === undefined ? undefined : String(port);
  const [a, b] = port.split(':').map(Number) as [number, number];
  return a === b ? String(a) : `${a}:${b}`;
}

/** `0x1`, `0x1/0xff`: a mark as iptables prints it (the full mask left out). */
export const markText = (m: MarkMatch): string =>
  m.mask === undefined || m.mask === FULL_MARK ? hex(m.value) : `${hex(m.value)}/${hex(m.mask)}`;

export const dscpValue = (v: number | keyof typeof DSCP_CLASSES): number =>
  typeof v === 'number' ? v : DSCP_CLASSES[v];

/** Lower-case hex as iptables prints marks (`0xff`) and bytes (`0x0a`). */
export const hex = (n: number): string => `0x${n.toString(16)}`;
export const hex2 = (n: number): string => `0x${n.toString(16).padStart(2, '0')}`;
