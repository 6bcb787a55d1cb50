import { CidrText } from './address';
import { FirewallRule, RULE_COMMENT, TABLES, ruleArgs } from './firewall';

/**
 * Reading iptables' own words back into a structured rule: `iptables -S` / `iptables-save` print
 * a rule as arguments after `-A CHAIN`; the document holds it as a `FirewallRule`. Used by the
 * recovery of a lost document (rules with the lab's comment) and by adopt (rules made by hand).
 */

/**
 * The rule `ruleArgs` rendered as `args` (after `-A CHAIN`, as `iptables -S` prints them), or null
 * when the args are not in the form netcanvas writes. Only a parse that renders exactly `args`
 * again is accepted, so a recovered rule makes the planner see no difference.
 */
export function ruleFromArgs(table: string, chain: string, args: readonly string[]): FirewallRule | null {
  if (!(TABLES as readonly string[]).includes(table)) return null;
  let at = 0;
  const option = (flag: string): string | undefined => {
    if (args[at] !== flag || at + 1 >= args.length) return undefined;
    at += 2;
    return args[at - 1];
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
  set('source', networkText(option('-s')));
  set('destination', networkText(option('-d')));
  set('inInterface', option('-i'));
  set('outInterface', option('-o'));
  set('protocol', option('-p'));
  if (match('tcp') || match('udp')) {
    set('sourcePort', portValue(option('--sport')));
    set('destinationPort', portValue(option('--dport')));
  }
  if (match('conntrack')) {
    const states = option('--ctstate');
    if (states === undefined) return null;
    rule.state = states.split(',');
  }
  if (!match('comment') || option('--comment') !== RULE_COMMENT) return null;
  const target = option('-j');
  if (target === undefined) return null;
  rule.target = target;
  if (target === 'REJECT' && option('--reject-with') === undefined) return null;
  set('toSource', option('--to-source'));
  const to = option('--to-destination');
  if (to !== undefined) {
    const m = /^([^:]+):(\d{1,5})$/.exec(to);
    rule.toDestination = m ? m[1] : to;
    if (m) rule.toPort = Number(m[2]);
  }
  const mark = option('--set-xmark');
  if (mark !== undefined) {
    const m = /^0x([0-9a-f]{1,8})\/0xffffffff$/.exec(mark);
    if (!m) return null;
    rule.setMark = parseInt(m[1] as string, 16);
  }
  set('logPrefix', option('--log-prefix'));
  if (target === 'CT') {
    if (args[at] !== '--notrack') return null;
    at += 1;
  }
  if (at !== args.length) return null;
  const parsed = FirewallRule.safeParse(rule);
  if (!parsed.success) return null;
  const again = ruleArgs(parsed.data);
  return again.length === args.length && again.every((a, i) => a === args[i]) ? parsed.data : null;
}

/**
 * `iptables -S` prints the network of a source or destination (`10.0.1.0/24`). Most networks are
 * an address the document takes as it is; one in 0.0.0.0/8 is not (unspecified), so an address
 * inside it stands for it (`0.0.0.0/1` is written as `64.0.0.0/1`, which iptables prints as `0.0.0.0/1`).
 */
function networkText(text: string | undefined): string | undefined {
  if (text === undefined || CidrText.safeParse(text).success) return text;
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text);
  if (!m) return text;
  const prefix = Number(m[5]);
  if (prefix >= 32) return text;
  const n = [m[1], m[2], m[3], m[4]].reduce((acc, part) => acc * 256 + Number(part), 0);
  const inside = n + 2 ** (31 - prefix);
  const ip = [24, 16, 8, 0].map((s) => Math.floor(inside / 2 ** s) % 256).join('.');
  return `${ip}/${prefix}`;
}

const portValue = (text: string | undefined): number | string | undefined =>
  text === undefined ? undefined : /^\d{1,5}$/.test(text) ? Number(text) : text;

/**
 * A rule made by hand (no lab comment) as the rule netcanvas would write in its place: the lab's
 * comment goes where `ruleArgs` puts it (just before `-j`). Null when netcanvas cannot say it.
 */
export function handRuleFromArgs(table: string, chain: string, args: readonly string[]): FirewallRule | null {
  const jump = args.lastIndexOf('-j');
  if (jump < 0) return null;
  const marked = [...args.slice(0, jump), '-m', 'comment', '--comment', RULE_COMMENT, ...args.slice(jump)];
  return ruleFromArgs(table, chain, marked);
}
