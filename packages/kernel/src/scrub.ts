import {
  ROOT,
  ROUTE_PROTOCOL,
  firewallOf,
  type ObservedNamespace,
  type ObservedState,
  type Step,
  type Topology,
} from '@netcanvas/model';
import { batchWord } from './apply';
import * as cmd from './commands';
import type { RawRoute, RawRule, ScrubExtras } from './scrub-read';

/**
 * After a reset of a lab that is wholly its owner's sandbox (a class's student's), what is still
 * not the lab's: what `adopt all` could not take (kinds, names, routes, rules and firewall words
 * the model has no words for) stays through the reset, which only ever deletes the lab's own.
 * This plans its removal, so the lab is exactly its document: namespaces the document lacks,
 * interfaces without the lab's mark (not lo), lo's addresses beyond its own, routes neither the
 * lab's nor the kernel's, policy rules beyond the kernel's three, iptables rules without the lab's
 * comment, chains and policies the document lacks, nft tables iptables did not make. Pure: the
 * reads are scrub-read.ts's, the refusal of a host lab Lab.scrubUnowned's.
 */
export interface ScrubPlan {
  steps: Step[];
  /** What each step removes, as the reply's notes say it. */
  what: Map<Step, string>;
  /** What cannot be said on an `ip -batch` line (a name with a quote and a blank...): left, said. */
  kept: string[];
}

const REASON = "not the lab's: a reset of the lab's own sandbox removes it";
/** The tables iptables-nft makes for iptables (IPv4): the lab's rules live in them. */
const IPTABLES_TABLES = new Set(['filter', 'nat', 'mangle', 'raw', 'security']);
/** lo's own addresses, given with the namespace. */
const LOOPBACK_OWN = new Set(['127.0.0.1/8', '::1/128']);
const where = (context: string) => (context === ROOT ? "the lab's root" : context);

export function planScrub(
  desired: Topology,
  observed: ObservedState,
  extras: ReadonlyMap<string, ScrubExtras>,
): ScrubPlan {
  const plan: ScrubPlan = { steps: [], what: new Map(), kept: [] };
  const add = (step: Step, what: string) => {
    if (!sayable(step)) return void plan.kept.push(`${what} (its name cannot be said to ip -batch)`);
    plan.steps.push(step);
    plan.what.set(step, what);
  };
  const wanted = new Set(desired.namespaces.map((ns) => ns.name));
  for (const ns of observed.namespaces)
    if (ns.name !== ROOT && !wanted.has(ns.name)) add(cmd.netnsDel(ns.name, REASON), `namespace ${ns.name}`);
  const staying = observed.namespaces.filter((ns) => ns.name === ROOT || wanted.has(ns.name));
  const gone = scrubLinks(staying, add);
  for (const ns of staying) {
    const extra = extras.get(ns.name);
    scrubLoopback(ns, add);
    if (!extra) continue;
    scrubRoutes(ns.name, extra.routes, gone.get(ns.name) ?? new Set(), add);
    for (const rule of extra.rules.filter(isHandRule))
      add(ruleDelStep(ns.name, rule), ruleText(ns.name, rule));
  }
  for (const ns of staying) scrubFirewall(desired, ns, add);
  for (const ns of staying)
    for (const t of extras.get(ns.name)?.nftTables ?? [])
      if (t.family !== 'ip' || !IPTABLES_TABLES.has(t.name))
        add(
          cmd.nftDeleteTable(ns.name, t.family, t.name, REASON),
          `nft table ${t.family} ${t.name} in ${where(ns.name)}`,
        );
  return plan;
}

type Add = (step: Step, what: string) => void;

/** Interfaces without the lab's mark (lo aside); a veth's peer goes with it. The names, per context. */
function scrubLinks(staying: readonly ObservedNamespace[], add: Add): Map<string, Set<string>> {
  const gone = new Map(staying.map((ns) => [ns.name, new Set<string>()]));
  for (const ns of staying)
    for (const i of ns.interfaces) {
      if (i.managed || i.ifname === 'lo' || gone.get(ns.name)?.has(i.ifname)) continue;
      gone.get(ns.name)?.add(i.ifname);
      if (i.peer?.namespace && i.peer.ifname) gone.get(i.peer.namespace)?.add(i.peer.ifname);
      add(
        cmd.linkDel(ns.name, i.ifname, REASON, i.kind === 'bridge'),
        `interface ${i.ifname} in ${where(ns.name)}`,
      );
    }
  return gone;
}

/** Addresses on lo beyond its own (the model gives lo none). */
function scrubLoopback(ns: ObservedNamespace, add: Add): void {
  const lo = ns.interfaces.find((i) => i.ifname === 'lo');
  for (const cidr of lo?.addresses ?? [])
    if (!LOOPBACK_OWN.has(cidr))
      add(cmd.addrDel(ns.name, 'lo', cidr, REASON), `address ${cidr} on lo in ${where(ns.name)}`);
}

/**
 * Routes neither the kernel's (`proto kernel`: connected subnets, the local table) nor the lab's
 * (proto 203 in the main table, where the reset left exactly the document's). One through an
 * interface going anyway goes with it.
 */
function scrubRoutes(
  context: string,
  routes: readonly RawRoute[],
  goneLinks: ReadonlySet<string>,
  add: Add,
): void {
  for (const r of routes) {
    const protocol = String(r.protocol ?? 'boot');
    const table = r.table ?? 'main';
    if (protocol === 'kernel' || (protocol === String(ROUTE_PROTOCOL) && table === 'main')) continue;
    if (r.dev !== undefined && goneLinks.has(r.dev)) continue;
    const words = routeWords(r, protocol, table);
    add(cmd.routeDelWords(context, words, REASON), `route ${words.join(' ')} in ${where(context)}`);
  }
}

/** The words that delete exactly this route: type, destination, gateway, device, metric, table, protocol. */
function routeWords(r: RawRoute, protocol: string, table: string): string[] {
  const v6 = r.dst.includes(':') || (r.gateway ?? '').includes(':') || r.pref !== undefined;
  const typed = r.type !== undefined && r.type !== 'unicast';
  // An `ip -batch` line cannot say -6: an IPv6 default is written ::/0, which says the family.
  const dst = r.dst === 'default' && v6 ? '::/0' : r.dst;
  return [
    ...(typed ? [r.type as string] : []),
    dst,
    ...(r.gateway !== undefined ? ['via', r.gateway] : []),
    // The kernel hangs a typed IPv6 route on lo by itself: not a word the route was made with.
    ...(r.dev !== undefined && !typed ? ['dev', r.dev] : []),
    ...(r.metric !== undefined ? ['metric', String(r.metric)] : []),
    ...(table !== 'main' ? ['table', table] : []),
    'proto',
    protocol,
  ];
}

/** The kernel's own policy rules (IPv4: local, main, default; IPv6: local, main). */
const DEFAULT_RULES: Record<string, string> = { '0': 'local', '32766': 'main', '32767': 'default' };
const SELECTORS = ['dst', 'fwmark', 'iif', 'oif', 'action'] as const;

function isHandRule(r: RawRule): boolean {
  const plain = (r.src === undefined || r.src === 'all') && SELECTORS.every((k) => r[k] === undefined);
  return !(plain && DEFAULT_RULES[String(r.priority)] === r.table);
}

/** `rule del pref N` with the rule's own selectors, so a rule sharing its priority stays. */
function ruleDelStep(context: string, r: RawRule): Step {
  const words = ['pref', String(r.priority)];
  if (r.src !== undefined && r.src !== 'all')
    words.push('from', `${r.src}/${r.srclen ?? (r.family === 6 ? 128 : 32)}`);
  if (r.dst !== undefined) words.push('to', `${r.dst}/${r.dstlen ?? (r.family === 6 ? 128 : 32)}`);
  if (r.fwmark !== undefined) words.push('fwmark', r.fwmark + (r.fwmask !== undefined ? `/${r.fwmask}` : ''));
  if (r.iif !== undefined) words.push('iif', r.iif);
  if (r.oif !== undefined) words.push('oif', r.oif);
  if (r.table !== undefined) words.push('lookup', r.table);
  return cmd.ruleDel(context, words, REASON, r.family);
}

const ruleText = (context: string, r: RawRule) =>
  `ip${r.family === 6 ? ' -6' : ''} rule ${r.priority} in ${where(context)}`;

/** iptables rules without the lab's comment, then chains and policies the document lacks. */
function scrubFirewall(desired: Topology, ns: ObservedNamespace, add: Add): void {
  const spec = firewallOf(desired, ns.name);
  const seen = ns.firewall;
  if (!seen || !spec) return;
  const at = where(ns.name);
  for (const r of seen.rules)
    if (!r.managed)
      add(
        cmd.iptables(ns.name, r.table, ['-D', r.chain, ...r.args], REASON),
        `iptables rule ${r.table} ${r.chain} ${r.args.join(' ')} in ${at}`,
      );
  for (const c of seen.chains) {
    if (c.policy === null && !spec.chains.some((x) => x.table === c.table && x.name === c.name))
      add(
        cmd.iptables(ns.name, c.table, ['-X', c.name], REASON),
        `iptables chain ${c.table} ${c.name} in ${at}`,
      );
    const policy = spec.policies.find((p) => p.table === c.table && p.chain === c.name)?.policy ?? 'ACCEPT';
    if (c.policy !== null && c.policy !== policy)
      add(
        cmd.iptables(ns.name, c.table, ['-P', c.name, policy], REASON),
        `policy ${c.policy} of ${c.table} ${c.name} in ${at}`,
      );
  }
}

/** Whether a step can run: a plain step (in the lab's root) runs as its own process, any other on an `ip -batch` line. */
function sayable(step: Step): boolean {
  if ('namespace' in step && step.namespace === ROOT) return true;
  try {
    for (const word of step.args) batchWord(word);
    if ('namespace' in step) batchWord(step.namespace);
    return true;
  } catch {
    return false;
  }
}
