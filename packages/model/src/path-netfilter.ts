import type { ObservedFirewall, ObservedRule } from './observed';
import type { ChainVerdict, Hook, HookPass, PathProtocol } from './path';
import { POLICY_INDEX, ruleIndexes } from './rule-counters';

/**
 * Which rule decided a probe packet's fate at a hook, from the rules' counters read before and
 * after the probe (pure: packages/kernel reads the counters, docs/packet-path.md says why this way).
 */

/** The probe packet as one hop sees it (NAT rewrites its addresses on the way). */
export interface ProbePacket {
  protocol: PathProtocol;
  source: string;
  destination: string;
  port: number | null;
  inInterface: string | null;
  outInterface: string | null;
}

/** The tables that have a chain at each hook, in the order the kernel runs them (priority). */
export const HOOK_TABLES: Record<Hook, readonly string[]> = {
  PREROUTING: ['raw', 'mangle', 'nat'],
  INPUT: ['mangle', 'filter', 'nat'],
  FORWARD: ['mangle', 'filter'],
  OUTPUT: ['raw', 'mangle', 'nat', 'filter'],
  POSTROUTING: ['mangle', 'nat'],
};

/** Targets after which the table's chain is done with the packet. */
const FINAL = new Set(['ACCEPT', 'DROP', 'REJECT', 'MASQUERADE', 'SNAT', 'DNAT', 'REDIRECT', 'NOTRACK']);
/** Verdicts that end the packet's path. */
export const DROPPING = new Set(['DROP', 'REJECT']);

/** How deep user chains may jump into each other before the walk gives up (iptables allows loops' absence only). */
const MAX_JUMP_DEPTH = 8;

/** The words after `-j`, or null for a rule with no target (a counting rule). */
export function ruleTarget(args: readonly string[]): string | null {
  const i = args.indexOf('-j');
  return i >= 0 ? (args[i + 1] ?? null) : null;
}

/** A target's first option value (`--to-source 10.2.0.1:1024-2000` → "10.2.0.1:1024-2000"). */
export function targetOption(args: readonly string[], option: string): string | null {
  const i = args.indexOf(option);
  return i >= 0 ? (args[i + 1] ?? null) : null;
}

/**
 * Could this rule match the probe? A counter can move for other traffic (a ping running, the
 * probe's reply); a rule whose matches exclude the probe (another protocol, address, interface,
 * port, or only ESTABLISHED packets: a probe opens a new connection) is not the probe's. Matches
 * it does not know are taken to match.
 */
export function ruleMayMatch(args: readonly string[], packet: ProbePacket): boolean {
  for (let i = 0; i < args.length; i++) {
    const negated = args[i] === '!';
    const option = negated ? args[i + 1] : args[i];
    const value = negated ? args[i + 2] : args[i + 1];
    if (option === undefined || value === undefined) continue;
    const holds = matchHolds(option, value, packet);
    if (holds === null) continue;
    if (holds === negated) return false;
    i += negated ? 2 : 1;
  }
  return true;
}

function matchHolds(option: string, value: string, p: ProbePacket): boolean | null {
  switch (option) {
    case '-p':
      return value === p.protocol || value === 'all';
    case '-s':
      return inCidr(p.source, value);
    case '-d':
      return inCidr(p.destination, value);
    case '-i':
      return p.inInterface === null ? false : ifaceMatches(p.inInterface, value);
    case '-o':
      return p.outInterface === null ? false : ifaceMatches(p.outInterface, value);
    case '--dport':
      return p.port === null ? false : portIn(p.port, value);
    case '--ctstate':
    case '--state':
      return value.split(',').includes('NEW');
    default:
      return null;
  }
}

const ifaceMatches = (name: string, pattern: string): boolean =>
  pattern.endsWith('+') ? name.startsWith(pattern.slice(0, -1)) : name === pattern;

function portIn(port: number, value: string): boolean {
  const [low, high] = value.split(':').map(Number);
  if (low === undefined || Number.isNaN(low)) return true;
  return high === undefined ? port === low : port >= low && port <= (Number.isNaN(high) ? 65535 : high);
}

/** IPv4 `a.b.c.d` in `a.b.c.d[/n]` (iptables-save prints /32 for one address). */
export function inCidr(address: string, cidr: string): boolean {
  const [net, bitsText] = cidr.split('/');
  const bits = bitsText === undefined ? 32 : Number(bitsText);
  const a = ipv4Number(address);
  const n = ipv4Number(net ?? '');
  if (a === null || n === null || !(bits >= 0 && bits <= 32)) return true;
  if (bits === 0) return true;
  const mask = bits === 32 ? 0xffffffff : ~(0xffffffff >>> bits) >>> 0;
  return (a & mask) >>> 0 === (n & mask) >>> 0;
}

function ipv4Number(text: string): number | null {
  const parts = text.split('.').map(Number);
  if (parts.length !== 4 || parts.some((x) => !Number.isInteger(x) || x < 0 || x > 255)) return null;
  return parts.reduce((acc, x) => acc * 256 + x, 0);
}

interface Moved {
  rule: ObservedRule;
  index: number;
  packets: number;
}

/** Each rule of `after` with how many packets it counted since `before` (rules matched by position and words). */
export function movedRules(before: ObservedFirewall | undefined, after: ObservedFirewall): Moved[] {
  const indexes = ruleIndexes(after.rules);
  const was = new Map<string, number>();
  const beforeIndexes = before ? ruleIndexes(before.rules) : [];
  before?.rules.forEach((r, n) => was.set(ruleKey(r, beforeIndexes[n] as number), r.packets));
  return after.rules.map((rule, n) => {
    const index = indexes[n] as number;
    const old = was.get(ruleKey(rule, index));
    return { rule, index, packets: old === undefined ? rule.packets : Math.max(0, rule.packets - old) };
  });
}

const ruleKey = (r: ObservedRule, index: number) => `${r.table} ${r.chain} ${index} ${r.args.join(' ')}`;

/**
 * What each table's chain at `hook` did with the probe, in the kernel's order of tables; stops
 * after a table that dropped it. A table without the chain is left out.
 */
export function hookPass(
  hook: Hook,
  before: ObservedFirewall | undefined,
  after: ObservedFirewall | undefined,
  packet: ProbePacket,
): HookPass {
  if (!after) return { hook, verdicts: [] };
  const moved = movedRules(before, after);
  const verdicts: ChainVerdict[] = [];
  for (const table of HOOK_TABLES[hook]) {
    const chain = after.chains.find((c) => c.table === table && c.name === hook);
    if (!chain) continue;
    const found = walkChain(hook, table, hook, moved, packet, 0);
    verdicts.push(...found.passed);
    const final =
      found.final ??
      ({
        hook,
        table,
        chain: hook,
        by: 'policy',
        index: POLICY_INDEX,
        text: `policy ${chain.policy ?? 'ACCEPT'}`,
        target: chain.policy ?? 'ACCEPT',
        packets: 0,
      } satisfies ChainVerdict);
    verdicts.push(final);
    if (DROPPING.has(final.target)) break;
  }
  return { hook, verdicts };
}

interface ChainWalk {
  /** Rules the probe met that did not decide (LOG, MARK, a jump into a chain that returned). */
  passed: ChainVerdict[];
  final: ChainVerdict | null;
}

function walkChain(
  hook: Hook,
  table: string,
  chain: string,
  moved: readonly Moved[],
  packet: ProbePacket,
  depth: number,
): ChainWalk {
  const passed: ChainVerdict[] = [];
  const rules = moved.filter((m) => m.rule.table === table && m.rule.chain === chain);
  for (const m of rules) {
    if (m.packets === 0 || !ruleMayMatch(m.rule.args, packet)) continue;
    const target = ruleTarget(m.rule.args) ?? '(count)';
    const verdict: ChainVerdict = {
      hook,
      table,
      chain,
      by: 'rule',
      index: m.index,
      text: `-A ${chain} ${m.rule.args.join(' ')}`,
      target,
      packets: m.packets,
    };
    if (target === 'RETURN') return { passed: [...passed, verdict], final: null };
    if (FINAL.has(target)) return { passed, final: verdict };
    passed.push(verdict);
    const isChain = moved.some((x) => x.rule.table === table && x.rule.chain === target);
    if (isChain && depth < MAX_JUMP_DEPTH) {
      const inner = walkChain(hook, table, target, moved, packet, depth + 1);
      passed.push(...inner.passed);
      if (inner.final) return { passed, final: inner.final };
    }
  }
  return { passed, final: null };
}

/** The packet after a hook's NAT: MASQUERADE/SNAT give it a new source, DNAT a new destination. */
export function afterNat(packet: ProbePacket, pass: HookPass, outAddress: string | null): ProbePacket {
  let next = packet;
  for (const v of pass.verdicts) {
    if (v.by !== 'rule') continue;
    const args = v.text.split(' ');
    if (v.target === 'MASQUERADE' && outAddress !== null) next = { ...next, source: outAddress };
    if (v.target === 'SNAT')
      next = { ...next, source: addressOf(targetOption(args, '--to-source')) ?? next.source };
    if (v.target === 'DNAT') {
      const to = targetOption(args, '--to-destination');
      const port = to?.split(':')[1];
      next = {
        ...next,
        destination: addressOf(to) ?? next.destination,
        port: port !== undefined && next.port !== null ? Number(port.split('-')[0]) : next.port,
      };
    }
  }
  return next;
}

const addressOf = (to: string | null): string | null =>
  to ? (to.split(':')[0]?.split('-')[0] ?? null) : null;

/** The verdict that dropped the packet at this hook, if one did. */
export const droppedBy = (pass: HookPass): ChainVerdict | null =>
  pass.verdicts.find((v) => DROPPING.has(v.target) && (v.by === 'policy' || v.packets > 0)) ?? null;
