import { FirewallRule, ruleArgs } from './firewall';
import {
  DEFAULT_REJECT,
  FULL_MARK,
  LOG_FLAGS,
  NEGATABLE,
  RULE_COMMENT,
  TABLES,
  type Negatable,
} from './firewall-vocab';

/**
 * Reading iptables' own words back into a structured rule: `iptables -S` / `iptables-save` print
 * a rule as arguments after `-A CHAIN`; the document holds it as a `FirewallRule`. Used by the
 * recovery of a lost document (rules with the lab's comment) and by adopt (rules made by hand).
 */

/** Target options that take no value. */
const SWITCHES = ['--notrack', '--save-mark', '--restore-mark', ...LOG_FLAGS.map((f) => `--log-${f}`)];

/**
 * The rule `ruleArgs` rendered as `args` (after `-A CHAIN`, as `iptables -S` prints them), or null
 * when the args are not in the form netcanvas writes. Only a parse that renders exactly `args`
 * again is accepted, so a recovered rule makes the planner see no difference. The rule comes back
 * canonical: defaults iptables leaves unprinted are left out (a full mask, REJECT's
 * icmp-port-unreachable, LOG's level 4), and numbers are numbers (a DSCP class is its value).
 */
export function ruleFromArgs(table: string, chain: string, args: readonly string[]): FirewallRule | null {
  if (!(TABLES as readonly string[]).includes(table)) return null;
  let at = 0;
  const not = new Set<Negatable>();
  /** `[!] FLAG VALUE` at the cursor, for a match that may be negated. */
  const option = (field: Negatable, flag: string): string | undefined => {
    const negated = args[at] === '!';
    const start = negated ? at + 1 : at;
    if (args[start] !== flag || start + 1 >= args.length) return undefined;
    if (negated) not.add(field);
    at = start + 2;
    return args[start + 1];
  };
  const match = (module: string): boolean => {
    if (args[at] !== '-m' || args[at + 1] !== module) return false;
    at += 2;
    return true;
  };
  const rule: Record<string, unknown> = { table, chain };
  const set = (field: string, value: unknown) => {
    if (value !== undefined) rule[field] = value;
  };
  set('source', option('source', '-s'));
  set('destination', option('destination', '-d'));
  set('inInterface', option('inInterface', '-i'));
  set('outInterface', option('outInterface', '-o'));
  set('protocol', option('protocol', '-p'));
  if (match('tcp') || match('udp')) {
    set('sourcePort', portValue(option('sourcePort', '--sport')));
    set('destinationPort', portValue(option('destinationPort', '--dport')));
  }
  if (match('icmp')) set('icmpType', portValue(option('icmpType', '--icmp-type')));
  while (match('multiport')) {
    const sports = rule.sourcePorts === undefined ? option('sourcePorts', '--sports') : undefined;
    const ports = sports ?? option('destinationPorts', '--dports');
    if (ports === undefined) return null;
    rule[sports !== undefined ? 'sourcePorts' : 'destinationPorts'] = ports.split(',').map(portValue);
  }
  if (match('iprange')) {
    set('sourceRange', option('sourceRange', '--src-range'));
    set('destinationRange', option('destinationRange', '--dst-range'));
  }
  // A match without its option (or with a value not in iptables' form) is null: the schema refuses it.
  if (match('mark')) rule.mark = markValue(option('mark', '--mark')) ?? null;
  if (match('connmark')) rule.connmark = markValue(option('connmark', '--mark')) ?? null;
  if (match('conntrack')) rule.state = option('state', '--ctstate')?.split(',') ?? null;
  if (!match('comment') || args[at] !== '--comment' || args[at + 1] !== RULE_COMMENT) return null;
  at += 2;
  if (args[at] !== '-j' || at + 1 >= args.length) return null;
  rule.target = args[at + 1];
  const options = targetOptions(args.slice(at + 2));
  if (options === null) return null;
  Object.assign(rule, options);
  if (not.size > 0) rule.not = NEGATABLE.filter((f) => not.has(f));

  const parsed = FirewallRule.safeParse(rule);
  if (!parsed.success) return null;
  const again = ruleArgs(parsed.data);
  return again.length === args.length && again.every((a, i) => a === args[i]) ? parsed.data : null;
}

/** The words after `-j TARGET` as the rule's fields (their order is checked by rendering again). */
function targetOptions(words: readonly string[]): Record<string, unknown> | null {
  const given = new Map<string, string | true>();
  for (let i = 0; i < words.length;) {
    const flag = words[i] as string;
    if (!flag.startsWith('--') || given.has(flag)) return null;
    if (SWITCHES.includes(flag)) {
      given.set(flag, true);
      i += 1;
    } else if (i + 1 < words.length) {
      given.set(flag, words[i + 1] as string);
      i += 2;
    } else return null;
  }
  const take = (flag: string): string | undefined => {
    const value = given.get(flag);
    given.delete(flag);
    return typeof value === 'string' ? value : undefined;
  };
  const has = (flag: string) => given.delete(flag);
  const out: Record<string, unknown> = {};
  const set = (field: string, value: unknown) => {
    if (value !== undefined) out[field] = value;
  };
  const rejectWith = take('--reject-with');
  if (rejectWith !== DEFAULT_REJECT) set('rejectWith', rejectWith);
  set('toSource', take('--to-source'));
  const to = take('--to-destination');
  if (to !== undefined) {
    const m = /^([^:]+):(\d{1,5})$/.exec(to);
    out.toDestination = m ? m[1] : to;
    if (m) out.toPort = Number(m[2]);
  }
  const xmark = masked(take('--set-xmark'), FULL_MARK);
  if (xmark !== undefined) {
    out.setMark = xmark.value;
    set('setMarkMask', xmark.mask);
  }
  if (has('--save-mark')) out.connmarkAction = 'save';
  if (has('--restore-mark')) out.connmarkAction = 'restore';
  for (const [flag, field] of [
    ['--nfmask', 'nfMask'],
    ['--ctmask', 'ctMask'],
  ] as const) {
    const mask = hexValue(take(flag));
    if (mask !== FULL_MARK) set(field, mask);
  }
  const tos = masked(take('--set-tos'), 0xff);
  if (tos !== undefined) {
    out.setTos = tos.value;
    set('setTosMask', tos.mask);
  }
  set('setDscp', hexValue(take('--set-dscp')));
  for (const [flag, field] of [
    ['--ttl-set', 'ttlSet'],
    ['--ttl-inc', 'ttlInc'],
    ['--ttl-dec', 'ttlDec'],
  ] as const)
    set(field, decimalValue(take(flag)));
  set('logPrefix', take('--log-prefix'));
  set('logLevel', decimalValue(take('--log-level')));
  const flags = LOG_FLAGS.filter((f) => has(`--log-${f}`));
  if (flags.length > 0) out.logFlags = flags;
  has('--notrack');
  // A word left over is an option netcanvas does not write.
  return given.size === 0 ? out : null;
}

/** "22" is a port, "80:90" a range; anything else stays text for the schema to refuse. */
const portValue = (text: string | undefined): number | string | undefined =>
  text === undefined ? undefined : /^(0|[1-9]\d{0,4})$/.test(text) ? Number(text) : text;

const hexValue = (text: string | undefined): number | undefined =>
  text !== undefined && /^0x[0-9a-f]{1,8}$/.test(text) ? parseInt(text.slice(2), 16) : undefined;

const decimalValue = (text: string | undefined): number | undefined =>
  text !== undefined && /^(0|[1-9]\d{0,2})$/.test(text) ? Number(text) : undefined;

/** `0x10/0xff`: a value and a mask, the mask left out when it is `full`. */
function masked(text: string | undefined, full: number): { value: number; mask?: number } | undefined {
  const m = text === undefined ? null : /^(0x[0-9a-f]{1,8})\/(0x[0-9a-f]{1,8})$/.exec(text);
  if (!m) return undefined;
  const value = hexValue(m[1]) as number;
  const mask = hexValue(m[2]) as number;
  return mask === full ? { value } : { value, mask };
}

/** A mark match (`0x1` or `0x1/0xff`); undefined when not in that form. */
function markValue(text: string | undefined): { value: number; mask?: number } | undefined {
  if (text === undefined) return undefined;
  return /^0x[0-9a-f]{1,8}$/.test(text) ? { value: hexValue(text) as number } : masked(text, FULL_MARK);
}

/**
 * A rule made by hand (no lab comment) as the rule netcanvas would write in its place: the lab's
 * comment goes where `ruleArgs` puts it (just before `-j`). Null when netcanvas cannot say it.
 */
export function handRuleFromArgs(table: string, chain: string, args: readonly string[]): FirewallRule | null {
  const jump = args.indexOf('-j');
  if (jump < 0) return null;
  const marked = [...args.slice(0, jump), '-m', 'comment', '--comment', RULE_COMMENT, ...args.slice(jump)];
  return ruleFromArgs(table, chain, marked);
}
