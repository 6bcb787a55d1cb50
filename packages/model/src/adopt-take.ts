import { CidrText, inSubnet, parseCidr } from './address';
import { handRuleFromArgs } from './firewall-args';
import { BUILTIN_CHAINS, ChainName, TABLES, ruleArgs, type Table } from './firewall';
import { handRuleText } from './adopt-edit';
import { NamespaceName, ROOT } from './names';
import {
  givenAddresses,
  type ObservedInterface,
  type ObservedNamespace,
  type ObservedRoute,
  type ObservedRule,
  type ObservedState,
} from './observed';
import { resolveTopology } from './resolve';
import { isLinkLocalGateway, routeKey, routeText } from './routing';
import { firewallOf, type Topology } from './topology';

/**
 * What adopting one thing takes along: the thing, and what the document needs before it can hold
 * it (a port's bridge, a veth's peer and the peer's namespace, a route's device, a rule's
 * namespace and the user chain it jumps to). Computed from the kernel's state and the document,
 * without recovering anything: cheap enough for the editor to label every adopt button with it.
 */

export interface Place {
  context: string;
  ifname: string;
}

export interface WantedRule {
  context: string;
  table: Table;
  chain: string;
  /** Its position among all of its chain's rules (1-based), as observed. */
  position: number;
  /** The words iptables printed for it (made by hand). */
  args: string[];
  /** The same rule as the lab writes it: with the lab's comment. */
  replacement: string[];
  packets: number;
  bytes: number;
}

/**
 * An address made by hand on an interface the document holds, taken along because a route adopted
 * with it goes through a gateway only that address reaches (`routes`: the keys of those routes).
 */
export interface WantedAddress extends Place {
  address: string;
  routes: Set<string>;
}

export interface Wanted {
  /** Namespaces the document gets. */
  namespaces: Set<string>;
  /** Veth ends and bridges the document gets (each marked as the lab's unless it is already). */
  interfaces: Map<string, Place>;
  routes: Map<string, { context: string; route: ObservedRoute }>;
  rules: Map<string, WantedRule>;
  /** Addresses made by hand on the document's interfaces, by `placeKey` and address. */
  addresses: Map<string, WantedAddress>;
  /** `context table chain` whose policy comes along (adopting a chain or a whole firewall). */
  policies: Set<string>;
  /** User chains declared even without a rule of the lab's (a whole firewall). */
  chains: Set<string>;
  /** In the document already but not marked in the kernel (the planner calls them conflicts). */
  markNamespaces: Set<string>;
  markInterfaces: Map<string, Place>;
}

export const emptyWanted = (): Wanted => ({
  namespaces: new Set(),
  interfaces: new Map(),
  routes: new Map(),
  rules: new Map(),
  addresses: new Map(),
  policies: new Set(),
  chains: new Set(),
  markNamespaces: new Set(),
  markInterfaces: new Map(),
});

export const placeKey = (context: string, ifname: string): string => `${context}\0${ifname}`;
export const chainKey = (context: string, table: string, chain: string): string =>
  `${context}\0${table}\0${chain}`;
export const routeMapKey = (context: string, route: ObservedRoute): string =>
  `${context}\0${routeKey(route)}`;

export const describePlace = (context: string): string =>
  context === ROOT ? "the lab's root" : `namespace "${context}"`;

/** Adds everything `from` wants to `into`. */
export function mergeWanted(into: Wanted, from: Wanted): void {
  for (const n of from.namespaces) into.namespaces.add(n);
  for (const [k, v] of from.interfaces) into.interfaces.set(k, v);
  for (const [k, v] of from.routes) into.routes.set(k, v);
  for (const [k, v] of from.rules) into.rules.set(k, v);
  for (const [k, v] of from.addresses) {
    const had = into.addresses.get(k);
    if (had) for (const r of v.routes) had.routes.add(r);
    else into.addresses.set(k, { ...v, routes: new Set(v.routes) });
  }
  for (const k of from.policies) into.policies.add(k);
  for (const k of from.chains) into.chains.add(k);
  for (const n of from.markNamespaces) into.markNamespaces.add(n);
  for (const [k, v] of from.markInterfaces) into.markInterfaces.set(k, v);
}

/** The rules of a chain as the kernel orders them, each with its 1-based position. */
export function chainRules(ns: ObservedNamespace, table: string, chain: string) {
  return (ns.firewall?.rules ?? [])
    .filter((r) => r.table === table && r.chain === chain)
    .map((rule, i) => ({ rule, position: i + 1 }));
}

const isUserChain = (ns: ObservedNamespace, table: string, name: string) =>
  (ns.firewall?.chains ?? []).some((c) => c.table === table && c.name === name && c.policy === null);

// Documents are never changed in place (every edit makes a new one): what a document holds is
// resolved once, however many adopt buttons the editor labels from it.
const resolvedInterfaces = new WeakMap<Topology, ReadonlyMap<string, readonly string[]>>();

/** Every interface the document holds, by (context, ifname) key, with its addresses. */
function interfacesOf(doc: Topology): ReadonlyMap<string, readonly string[]> {
  let keys = resolvedInterfaces.get(doc);
  if (!keys) {
    const resolved = resolveTopology(doc);
    keys = new Map(
      [...resolved.bridges, ...resolved.veths.flat()].map((x) => [
        placeKey(x.context, x.ifname),
        x.addresses,
      ]),
    );
    resolvedInterfaces.set(doc, keys);
  }
  return keys;
}

/** Whether `ip` is inside the subnet of one of `addresses`. */
const reaches = (addresses: readonly string[], ip: string): boolean =>
  addresses.some((a) => {
    const net = parseCidr(a);
    return net.ok && inSubnet(ip, net.value);
  });

/**
 * Gathers what a target takes. Each `take…` returns false, with `problem` saying why in one
 * sentence, when the thing (or something it needs) cannot be adopted; what it gathered is then
 * to be thrown away (the caller uses a fresh Taker per thing it may give up on).
 */
export class Taker {
  readonly want = emptyWanted();
  problem: string | null = null;
  private readonly inDocument: ReadonlyMap<string, readonly string[]>;

  constructor(
    private readonly doc: Topology,
    private readonly observed: ObservedState,
    inDocument?: ReadonlyMap<string, readonly string[]>,
  ) {
    this.inDocument = inDocument ?? interfacesOf(doc);
  }

  /** A fresh Taker for one more thing, which may fail on its own (its findings merged if not). */
  child(): Taker {
    return new Taker(this.doc, this.observed, this.inDocument);
  }

  /** Takes one thing along if it can be; otherwise says why in `left`. */
  attempt(take: (t: Taker) => boolean, left: string[], otherwise: string): void {
    const one = this.child();
    if (take(one)) mergeWanted(this.want, one.want);
    else left.push(one.problem ?? otherwise);
  }

  private fail(problem: string): false {
    this.problem ??= problem;
    return false;
  }

  observedNamespace(name: string): ObservedNamespace | undefined {
    return this.observed.namespaces.find((n) => n.name === name);
  }

  namespaceInDocument(name: string): boolean {
    return name === ROOT || this.doc.namespaces.some((n) => n.name === name);
  }

  interfaceInDocument(context: string, ifname: string): boolean {
    return this.inDocument.has(placeKey(context, ifname));
  }

  namespace(name: string): boolean {
    if (name === ROOT || this.want.namespaces.has(name)) return true;
    const ns = this.observedNamespace(name);
    if (!ns) return this.fail(`namespace "${name}" is not in the lab (any more)`);
    if (this.namespaceInDocument(name)) {
      if (!ns.managed) this.want.markNamespaces.add(name);
      return true;
    }
    const bad = NamespaceName.safeParse(name);
    if (!bad.success)
      return this.fail(
        `namespace "${name}": ${bad.error.issues[0]?.message ?? 'not a name the document takes'}`,
      );
    if (ns.forwarding === undefined)
      return this.fail(`namespace "${name}": its forwarding could not be read, so it is not adopted`);
    this.want.namespaces.add(name);
    return true;
  }

  iface(context: string, ifname: string): boolean {
    const k = placeKey(context, ifname);
    if (this.want.interfaces.has(k) || this.want.markInterfaces.has(k)) return true;
    if (!this.namespace(context)) return false;
    const found = this.observedNamespace(context)?.interfaces.find((i) => i.ifname === ifname);
    const what = `"${ifname}" in ${describePlace(context)}`;
    if (!found) return this.fail(`${what} is not in the lab (any more)`);
    if (found.kind !== 'veth' && found.kind !== 'bridge')
      return this.fail(`${what} is a ${found.kind}; netcanvas adopts veths and bridges`);
    if (this.interfaceInDocument(context, ifname)) {
      if (!found.managed) this.want.markInterfaces.set(k, { context, ifname });
      return true;
    }
    this.want.interfaces.set(k, { context, ifname });
    if (found.master !== null && !this.bridge(context, found.master, what)) return false;
    if (found.kind === 'bridge') return true;
    return this.peerOf(context, found, what);
  }

  private bridge(context: string, name: string, port: string): boolean {
    const master = this.observedNamespace(context)?.interfaces.find((i) => i.ifname === name);
    if (master?.kind !== 'bridge')
      return this.fail(
        `${port} is a port of "${name}", a ${master?.kind ?? 'device'}; netcanvas adopts bridges`,
      );
    return this.iface(context, name);
  }

  private peerOf(context: string, veth: ObservedInterface, what: string): boolean {
    const peerNs = veth.peer?.namespace ?? null;
    const peerName = veth.peer?.ifname ?? null;
    if (peerNs === null || peerName === null)
      return this.fail(`${what}: its peer is in a namespace this lab cannot see`);
    return this.iface(peerNs, peerName);
  }

  /** A route made by hand in a named namespace, with the device it goes through. */
  route(context: string, route: ObservedRoute): boolean {
    const what = `route "${routeText(route)}" in ${describePlace(context)}`;
    if (context === ROOT) return this.fail(`${what}: the document holds the routes of named namespaces only`);
    if (!this.namespace(context)) return false;
    const wanted = this.doc.namespaces.find((n) => n.name === context)?.routes ?? [];
    if (wanted.some((r) => routeKey(r) === routeKey(route)))
      return this.fail(`${what}: the topology has another route to ${route.to} with that metric`);
    if (route.dev === 'lo') return this.fail(`${what}: a route through lo is the kernel's own`);
    if (route.dev !== null && !this.iface(context, route.dev)) return false;
    const key = routeMapKey(context, route);
    if (!this.gateway(context, route, key, what)) return false;
    this.want.routes.set(key, { context, route });
    return true;
  }

  /**
   * The document takes a route through a gateway only inside a subnet of its device (route-checks.ts).
   * A person who typed `ip addr add 2001:db8:a::2/64 dev eth0` and then a route via 2001:db8:a::1
   * has that subnet in the kernel only: adopting the route takes that hand-made address along (on
   * the lab's own interface, where the kernel has it), so the document holds the route as it works
   * and what the kernel has, and the next plan changes nothing. A gateway no address of the device
   * reaches (an `onlink` route) is refused here, for this route alone, with the reason.
   */
  private gateway(context: string, route: ObservedRoute, key: string, what: string): boolean {
    const { via, dev } = route;
    if (via === null || dev === null || isLinkLocalGateway(via)) return true;
    const held = this.inDocument.get(placeKey(context, dev));
    // An interface adopted with the route comes with all of its addresses.
    if (held === undefined || reaches(held, via)) return true;
    const seen = this.observedNamespace(context)?.interfaces.find((i) => i.ifname === dev);
    const address = (seen ? givenAddresses(seen) : [])
      .map((a) => CidrText.safeParse(a))
      .flatMap((a) => (a.success && !held.includes(a.data) && reaches([a.data], via) ? [a.data] : []))[0];
    if (address === undefined)
      return this.fail(
        `${what}: ${via} is not inside a subnet of "${dev}", in the topology or in the kernel`,
      );
    const k = `${placeKey(context, dev)}\0${address}`;
    const had = this.want.addresses.get(k);
    if (had) had.routes.add(key);
    else this.want.addresses.set(k, { context, ifname: dev, address, routes: new Set([key]) });
    return true;
  }

  /** One rule made by hand, at its place among its chain's rules. */
  rule(context: string, table: Table, chain: string, position: number): boolean {
    if (!this.namespace(context)) return false;
    const ns = this.observedNamespace(context);
    const found = ns ? chainRules(ns, table, chain)[position - 1] : undefined;
    if (!ns || !found) return this.fail('that rule is no longer there');
    if (found.rule.managed) return this.fail("that rule is the lab's already");
    const text = handRuleText(table, chain, found.rule.args);
    const rule = handRuleFromArgs(table, chain, found.rule.args);
    if (rule === null) return this.fail(`netcanvas cannot express this rule yet: ${text}`);
    const drift = this.chainDrift(ns, table, chain);
    if (drift) return this.fail(`${text} in ${describePlace(context)}: ${drift}`);
    // A user chain, the rule's own or the one it jumps to, is declared along with it.
    for (const name of [chain, rule.target])
      if (isUserChain(ns, table, name)) {
        if (!ChainName.safeParse(name).success)
          return this.fail(`${text}: the chain "${name}" is not a name the document takes`);
        this.want.chains.add(chainKey(context, table, name));
      }
    this.want.rules.set(`${chainKey(context, table, chain)}\0${position}`, {
      context,
      table,
      chain,
      position,
      args: found.rule.args,
      replacement: ruleArgs(rule),
      packets: found.rule.packets,
      bytes: found.rule.bytes,
    });
    return true;
  }

  /**
   * The planner keeps a chain's rules of the lab's exactly as the document lists them; when they
   * differ now, it will rewrite them, and a rule adopted among them would move. Refused then.
   */
  private chainDrift(ns: ObservedNamespace, table: Table, chain: string): string | null {
    const fw = firewallOf(this.doc, ns.name);
    const want = (fw?.rules ?? []).filter((r) => r.table === table && r.chain === chain).map(ruleArgs);
    const have = chainRules(ns, table, chain)
      .filter((r) => r.rule.managed)
      .map((r) => r.rule.args);
    return JSON.stringify(want) === JSON.stringify(have)
      ? null
      : `the lab's own rules of ${table} ${chain} there differ from the topology; apply it first`;
  }

  /** A chain's rules made by hand (those netcanvas can say), and its policy. */
  chain(context: string, table: Table, chain: string, left: string[]): boolean {
    if (!this.namespace(context)) return false;
    const ns = this.observedNamespace(context);
    if (!ns?.firewall) return this.fail(`the firewall of ${describePlace(context)} has not been read`);
    const exists = ns.firewall.chains.some((c) => c.table === table && c.name === chain);
    if (!exists) return this.fail(`${describePlace(context)} has no chain ${table} ${chain}`);
    if (BUILTIN_CHAINS[table].includes(chain)) this.want.policies.add(chainKey(context, table, chain));
    else if (ChainName.safeParse(chain).success) this.want.chains.add(chainKey(context, table, chain));
    else return this.fail(`the chain "${chain}" is not a name the document takes`);
    for (const { rule, position } of chainRules(ns, table, chain))
      if (!rule.managed)
        this.attempt(
          (t) => t.rule(context, table, chain, position),
          left,
          `${handRuleText(table, chain, rule.args)} is not adopted`,
        );
    return true;
  }

  /** A whole firewall: every chain's rules made by hand, the policies, the user chains. */
  firewall(context: string, left: string[]): boolean {
    if (!this.namespace(context)) return false;
    const ns = this.observedNamespace(context);
    if (!ns?.firewall) return this.fail(`the firewall of ${describePlace(context)} has not been read`);
    for (const c of ns.firewall.chains)
      if ((TABLES as readonly string[]).includes(c.table))
        this.attempt(
          (t) => t.chain(context, c.table as Table, c.name, left),
          left,
          `chain ${c.table} ${c.name} in ${describePlace(context)} is not adopted`,
        );
    return true;
  }
}

/** A hand rule by its words: the first rule made by hand in its chain with exactly those words. */
export function findHandRule(
  ns: ObservedNamespace | undefined,
  table: string,
  chain: string,
  args: readonly string[],
): { rule: ObservedRule; position: number } | undefined {
  if (!ns) return undefined;
  return chainRules(ns, table, chain).find(
    (r) =>
      !r.rule.managed && r.rule.args.length === args.length && r.rule.args.every((a, i) => a === args[i]),
  );
}
