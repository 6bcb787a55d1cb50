import type { GoalCheck } from './lesson';
import { findInterface, findNamespace, type ObservedRoute, type ObservedState } from './observed';
import { routeTypeOf } from './routing';
import { pathEndText, type PathProtocol, type PathResult } from './path';
import type { GoalStatus } from './protocol-lesson';
import type { Topology } from './topology';

/**
 * The goal checker (issue 13 §2): whether a goal is met, as a pure function of the document, the
 * observed state and the probes' last results. The agent's runner keeps those current and calls
 * `judgeGoal` on every change; the probes a goal needs (`probesOf`) it runs itself, bounded, in the
 * lab. Nothing here trusts a click: a goal is met only by what the kernel reported.
 */

/** A probe a goal needs: one ping, or one packet path (whose end and addresses the goal reads). */
export type Probe =
  | { kind: 'ping'; from: string; to: string }
  | { kind: 'path'; from: string; to: string; protocol: PathProtocol; port: number | null };

/** What a probe found (the runner's), or why it could not say. */
export type ProbeOutcome =
  | { kind: 'ping'; replied: boolean; summary: string }
  | { kind: 'path'; result: PathResult }
  | { kind: 'error'; message: string };

export interface GoalContext {
  document: Topology;
  observed: ObservedState;
  /** The probe's last outcome; undefined while it has not answered yet. */
  probe(probe: Probe): ProbeOutcome | undefined;
}

/** One text per probe: two goals that need the same probe share its run. */
export const probeKey = (p: Probe): string =>
  p.kind === 'ping' ? `ping ${p.from} ${p.to}` : `path ${p.from} ${p.to} ${p.protocol} ${p.port ?? '-'}`;

/** The probes a goal needs (none for a goal read from the state). */
export function probesOf(check: GoalCheck): Probe[] {
  switch (check.kind) {
    case 'reach':
      return [{ kind: 'ping', from: check.from, to: check.to }];
    case 'dropped':
    case 'sourceSeen':
      return [pathProbe(check)];
    case 'all':
    case 'any':
      return check.goals.flatMap(probesOf);
    case 'not':
      return probesOf(check.goal);
    default:
      return [];
  }
}

const pathProbe = (check: Extract<GoalCheck, { kind: 'dropped' | 'sourceSeen' }>): Probe => ({
  kind: 'path',
  from: check.from,
  to: check.to,
  protocol: check.protocol,
  port: check.port ?? null,
});

/**
 * The namespaces whose routes, forwarding or firewall a goal reads: the kernel raises no event for
 * those, so the runner asks the live state to read them again now and then (`readFirewalls` for
 * rules, `reread` for routes and forwarding).
 */
export function unwatchedReads(check: GoalCheck): { reread: string[]; firewalls: string[] } {
  const into = { reread: [] as string[], firewalls: [] as string[] };
  const walk = (c: GoalCheck): void => {
    if (c.kind === 'route' || c.kind === 'forwarding') into.reread.push(c.namespace);
    else if (c.kind === 'rule') into.firewalls.push(c.namespace);
    else if (c.kind === 'all' || c.kind === 'any') c.goals.forEach(walk);
    else if (c.kind === 'not') walk(c.goal);
  };
  walk(check);
  return into;
}

const met = (detail: string | null = null): GoalStatus => ({ state: 'met', detail });
const unmet = (detail: string | null): GoalStatus => ({ state: 'unmet', detail });
const checking = (detail: string): GoalStatus => ({ state: 'checking', detail });
const noNamespace = (ns: string): GoalStatus => unmet(`there is no namespace ${ns}`);

/** Whether one goal is met now, with a short why. */
export function judgeGoal(check: GoalCheck, ctx: GoalContext): GoalStatus {
  switch (check.kind) {
    case 'all':
    case 'any':
      return combine(
        check.kind,
        check.goals.map((g) => judgeGoal(g, ctx)),
      );
    case 'not': {
      const inner = judgeGoal(check.goal, ctx);
      if (inner.state === 'met') return unmet(inner.detail);
      if (inner.state === 'unmet') return met(inner.detail);
      return inner;
    }
    case 'reach':
    case 'dropped':
    case 'sourceSeen':
      return judgeProbeGoal(check, ctx);
    default:
      return judgeStateGoal(check, ctx.observed);
  }
}

/** all: met when every one is (else the first that is not says why); any: met when one is. */
function combine(kind: 'all' | 'any', statuses: GoalStatus[]): GoalStatus {
  const first = (state: GoalStatus['state']) => statuses.find((s) => s.state === state);
  if (kind === 'all')
    return first('error') ?? first('unmet') ?? first('checking') ?? met(statuses[0]?.detail ?? null);
  return (
    first('met') ??
    first('checking') ??
    first('error') ??
    unmet(
      statuses
        .map((s) => s.detail)
        .filter(Boolean)
        .join('; ') || null,
    )
  );
}

type StateCheck = Exclude<GoalCheck, { kind: 'all' | 'any' | 'not' | 'reach' | 'dropped' | 'sourceSeen' }>;

/** A goal read from the observed state alone. */
export function judgeStateGoal(check: StateCheck, observed: ObservedState): GoalStatus {
  const nsName = check.kind === 'namespace' ? check.name : check.namespace;
  const ns = findNamespace(observed, nsName);
  if (!ns) return noNamespace(nsName);
  switch (check.kind) {
    case 'namespace':
      return met(`${check.name} exists`);
    case 'interfaceUp': {
      const link = findInterface(observed, check.namespace, check.ifname);
      if (!link) return unmet(`${check.namespace} has no ${check.ifname}`);
      return link.up ? met(`${check.ifname} is up`) : unmet(`${check.ifname} is down in ${check.namespace}`);
    }
    case 'address':
      return judgeAddress(check, observed);
    case 'vethPeer':
      return judgeVethPeer(check, observed);
    case 'bridgePort': {
      const port = findInterface(observed, check.namespace, check.port);
      if (!port) return unmet(`${check.namespace} has no ${check.port}`);
      if (port.master === check.bridge) return met(`${check.port} is a port of ${check.bridge}`);
      return unmet(
        port.master ? `${check.port} is a port of ${port.master}` : `${check.port} is in no bridge`,
      );
    }
    case 'learnedMacs': {
      if (!findInterface(observed, check.namespace, check.bridge))
        return unmet(`${check.namespace} has no ${check.bridge}`);
      const macs = new Set(ns.fdb.filter((e) => e.bridge === check.bridge && e.learned).map((e) => e.mac));
      const said = `${check.bridge} learned ${macs.size} MAC${macs.size === 1 ? '' : 's'}`;
      return macs.size >= check.atLeast ? met(said) : unmet(said);
    }
    case 'route':
      return judgeRoute(check, ns.routes);
    case 'forwarding':
      if (ns.forwarding === undefined) return checking(`reading ${check.namespace}'s forwarding`);
      return ns.forwarding === check.on
        ? met(`${check.namespace} ${check.on ? 'forwards' : 'does not forward'}`)
        : unmet(
            `${check.namespace} ${ns.forwarding ? 'forwards' : 'does not forward'} (net.ipv4.ip_forward = ${ns.forwarding ? 1 : 0})`,
          );
    case 'rule':
      return judgeRule(check, ns.firewall);
  }
}

function judgeAddress(check: Extract<GoalCheck, { kind: 'address' }>, observed: ObservedState): GoalStatus {
  const ns = findNamespace(observed, check.namespace);
  const links = (ns?.interfaces ?? []).filter((i) => check.ifname === undefined || i.ifname === check.ifname);
  if (check.ifname !== undefined && links.length === 0)
    return unmet(`${check.namespace} has no ${check.ifname}`);
  const holder = links.find((i) => i.addresses.includes(check.cidr));
  if (holder) return met(`${holder.ifname} has ${check.cidr}`);
  const where = check.ifname ?? check.namespace;
  const others = links.flatMap((i) => i.addresses).filter((a) => !a.startsWith('127.') && a !== '::1/128');
  return unmet(`${where} has ${others.length > 0 ? others.join(', ') : 'no address'}, not ${check.cidr}`);
}

function judgeVethPeer(check: Extract<GoalCheck, { kind: 'vethPeer' }>, observed: ObservedState): GoalStatus {
  const link = findInterface(observed, check.namespace, check.ifname);
  if (!link) return unmet(`${check.namespace} has no ${check.ifname}`);
  if (link.kind !== 'veth') return unmet(`${check.ifname} is a ${link.kind}, not a veth`);
  const peer = link.peer;
  if (!peer?.ifname || !peer.namespace) return unmet(`${check.ifname}'s peer is not known yet`);
  const said = `${check.ifname}'s peer is ${peer.ifname} in ${peer.namespace}`;
  return peer.ifname === check.peer.ifname && peer.namespace === check.peer.namespace
    ? met(said)
    : unmet(said);
}

function judgeRoute(
  check: Extract<GoalCheck, { kind: 'route' }>,
  routes: ObservedState['namespaces'][number]['routes'],
): GoalStatus {
  if (routes === undefined) return checking(`reading ${check.namespace}'s routes`);
  const same = routes.filter((r) => r.to === check.to);
  const found = same.find(
    (r) =>
      routeTypeOf(r) === check.type &&
      (check.via === undefined || r.via === check.via) &&
      (check.dev === undefined || r.dev === check.dev),
  );
  const words = (r: ObservedRoute) =>
    [r.type ?? '', r.to, r.via ? `via ${r.via}` : '', r.dev ? `dev ${r.dev}` : ''].filter(Boolean).join(' ');
  if (found) return met(`${check.namespace}: ${words(found)}`);
  if (same[0]) return unmet(`${check.namespace} has ${words(same[0])}`);
  return unmet(`${check.namespace} has no route to ${check.to}`);
}

/** Words one after another in a rule's arguments (`--ttl-set 64` may be one entry or two). */
function hasWords(args: readonly string[], matches: readonly string[]): boolean {
  const words = matches.flatMap((m) => m.split(/\s+/).filter(Boolean));
  if (words.length === 0) return true;
  for (let i = 0; i + words.length <= args.length; i++)
    if (words.every((w, k) => args[i + k] === w)) return true;
  return false;
}

function judgeRule(
  check: Extract<GoalCheck, { kind: 'rule' }>,
  firewall: ObservedState['namespaces'][number]['firewall'],
): GoalStatus {
  if (firewall === undefined) return checking(`reading ${check.namespace}'s firewall`);
  const where = `${check.table}${check.chain ? ` ${check.chain}` : ''}`;
  const inPlace = firewall.rules.filter(
    (r) => r.table === check.table && (!check.chain || r.chain === check.chain),
  );
  const found = inPlace.find((r) => {
    const jump = r.args.indexOf('-j');
    const target = jump >= 0 ? r.args[jump + 1] : undefined;
    return (!check.target || target === check.target) && hasWords(r.args, check.matches ?? []);
  });
  if (found) return met(`${check.namespace} ${found.table}: -A ${found.chain} ${found.args.join(' ')}`);
  return unmet(
    inPlace.length === 0
      ? `${check.namespace} has no rule in ${where}`
      : `no rule of ${check.namespace}'s ${inPlace.length} in ${where} is the one`,
  );
}

function judgeProbeGoal(
  check: Extract<GoalCheck, { kind: 'reach' | 'dropped' | 'sourceSeen' }>,
  ctx: GoalContext,
): GoalStatus {
  if (!findNamespace(ctx.observed, check.from)) return noNamespace(check.from);
  const probe = probesOf(check)[0] as Probe;
  const outcome = ctx.probe(probe);
  if (outcome === undefined) return checking(`probing from ${check.from} to ${check.to}`);
  if (outcome.kind === 'error') return { state: 'error', detail: outcome.message };
  if (check.kind === 'reach') {
    if (outcome.kind !== 'ping') return { state: 'error', detail: 'not a ping result' };
    return outcome.replied === (check.expect === 'success') ? met(outcome.summary) : unmet(outcome.summary);
  }
  if (outcome.kind !== 'path') return { state: 'error', detail: 'not a packet path' };
  const { end, hops } = outcome.result;
  if (check.kind === 'dropped') {
    const ok =
      end.kind === 'dropped' &&
      end.namespace === check.at &&
      (!check.table || end.verdict.table === check.table) &&
      (!check.chain || end.verdict.chain === check.chain);
    return ok ? met(pathEndText(end)) : unmet(pathEndText(end));
  }
  if (end.kind !== 'delivered') return unmet(pathEndText(end));
  const last = hops[hops.length - 1];
  const seen = last?.namespace === end.namespace ? last.source : null;
  if (seen === null) return unmet(`${end.namespace}: the source it saw is not known`);
  const said = `${end.namespace} sees ${check.from}'s packet from ${seen}`;
  return seen === check.source ? met(said) : unmet(said);
}

/** "ns1 → 10.0.1.1: 100% loss", from ping's own lines (or its error, e.g. "Network is unreachable"). */
export function pingSummary(from: string, to: string, lines: readonly string[], exitCode: number): string {
  const loss = lines.map((l) => /(\d+(?:\.\d+)?)% packet loss/.exec(l)).find((m) => m !== null);
  if (loss) return `${from} → ${to}: ${loss[1]}% loss`;
  const error = lines.find((l) => /unreachable|not permitted|cannot|invalid|unknown/i.test(l));
  if (error) return `${from} → ${to}: ${error.replace(/^ping: /, '').trim()}`;
  return `${from} → ${to}: ${exitCode === 0 ? 'a reply came' : 'no reply'}`;
}

/** A goal in words, for a goal whose file gives no `text`. */
export function goalSentence(check: GoalCheck): string {
  switch (check.kind) {
    case 'namespace':
      return `namespace ${check.name} exists`;
    case 'interfaceUp':
      return `${check.ifname} is up in ${check.namespace}`;
    case 'address':
      return `${check.namespace}${check.ifname ? `'s ${check.ifname}` : ''} has ${check.cidr}`;
    case 'vethPeer':
      return `${check.ifname}'s peer (in ${check.namespace}) is ${check.peer.ifname} in ${check.peer.namespace}`;
    case 'bridgePort':
      return `${check.port} is a port of ${check.bridge}`;
    case 'learnedMacs':
      return `${check.bridge} learned at least ${check.atLeast} MAC${check.atLeast === 1 ? '' : 's'}`;
    case 'route':
      return `${check.namespace} has a ${check.type ? `${check.type} ` : ''}route to ${check.to}${check.via ? ` via ${check.via}` : ''}${check.dev ? ` dev ${check.dev}` : ''}`;
    case 'forwarding':
      return `${check.namespace} ${check.on ? 'forwards' : 'does not forward'} IPv4`;
    case 'rule':
      return `a rule in ${check.table}${check.chain ? ` ${check.chain}` : ''} of ${check.namespace}${check.target ? ` jumps to ${check.target}` : ''}${check.matches?.length ? ` (${check.matches.join(' ')})` : ''}`;
    case 'reach':
      return `${check.from} ${check.expect === 'success' ? 'reaches' : 'does not reach'} ${check.to}`;
    case 'dropped':
      return `${check.protocol.toUpperCase()} from ${check.from} to ${check.to} is dropped in ${check.at}${check.chain ? `'s ${check.chain}` : ''}`;
    case 'sourceSeen':
      return `${check.to} sees ${check.from}'s packets from ${check.source}`;
    case 'all':
      return check.goals.map(goalSentence).join(' and ');
    case 'any':
      return check.goals.map(goalSentence).join(' or ');
    case 'not':
      return `not: ${goalSentence(check.goal)}`;
  }
}

/** A step is done when it has goals and every one is met (a step without goals waits for an editor). */
export const allMet = (statuses: readonly GoalStatus[]): boolean =>
  statuses.length > 0 && statuses.every((s) => s.state === 'met');
