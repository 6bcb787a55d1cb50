import { CidrText } from './address';
import { ruleArgs } from './firewall';
import { givenAddresses, type ObservedInterface, type ObservedState } from './observed';
import { recoverTopology, type Recovered } from './recover';
import { resolveTopology } from './resolve';
import { routeKey, routeTypeOf, ROUTE_PROTOCOL, type RouteSpec } from './routing';
import { chainKey, placeKey, routeMapKey, type Wanted } from './adopt-take';
import { firewallOf, type Topology } from './topology';

/**
 * Adopting is recovering with more marks: the kernel's state is read as it will be once the
 * wanted things carry the lab's marks, and `recoverTopology` (the one reader of owned objects
 * into a document) says how the document holds them. Whatever it leaves out, or holds only in
 * part (an address it refuses), is not adopted at all, with what depends on it: half-adopted
 * things would be "fixed" by the next plan, and an adopt never changes what it adopts.
 */

/** The kernel's state as it will read once `want` is marked. Pure: `observed` is not changed. */
export function markedState(observed: ObservedState, want: Wanted): ObservedState {
  const rulesAt = new Map<string, Map<number, string[]>>();
  for (const r of want.rules.values()) {
    const key = chainKey(r.context, r.table, r.chain);
    const chain = rulesAt.get(key) ?? new Map<number, string[]>();
    chain.set(r.position, r.replacement);
    rulesAt.set(key, chain);
  }
  return {
    ...observed,
    namespaces: observed.namespaces.map((ns) => {
      const position = new Map<string, number>();
      return {
        ...ns,
        managed: ns.managed || want.namespaces.has(ns.name) || want.markNamespaces.has(ns.name),
        interfaces: ns.interfaces.map((i) => {
          const k = placeKey(ns.name, i.ifname);
          return want.interfaces.has(k) || want.markInterfaces.has(k) ? { ...i, managed: true } : i;
        }),
        ...(ns.routes
          ? {
              routes: ns.routes.map((r) =>
                want.routes.has(routeMapKey(ns.name, r))
                  ? { ...r, managed: true, protocol: String(ROUTE_PROTOCOL) }
                  : r,
              ),
            }
          : {}),
        ...(ns.firewall
          ? {
              firewall: {
                ...ns.firewall,
                rules: ns.firewall.rules.map((r) => {
                  const key = chainKey(ns.name, r.table, r.chain);
                  const at = (position.get(key) ?? 0) + 1;
                  position.set(key, at);
                  const replacement = rulesAt.get(key)?.get(at);
                  return replacement ? { ...r, args: replacement, managed: true } : r;
                }),
              },
            }
          : {}),
      };
    }),
  };
}

/** The addresses of `i` a document can hold (not the kernel's own), as the document writes them, sorted. */
const canonical = (i: ObservedInterface) =>
  givenAddresses(i)
    .map((a) => {
      const parsed = CidrText.safeParse(a);
      return parsed.success ? parsed.data : a;
    })
    .sort();

const sameList = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * The wanted things the recovered document does not hold whole, as keys of `want` (`ns:NAME`,
 * `if:…`, `route:…`, `rule:…`).
 */
function missing(observed: ObservedState, marked: ObservedState, want: Wanted, doc: Topology): string[] {
  const out: string[] = [];
  const names = new Set(doc.namespaces.map((n) => n.name));
  for (const name of want.namespaces) if (!names.has(name)) out.push(`ns:${name}`);
  const resolved = resolveTopology(doc);
  const held = new Map<string, string[]>();
  for (const x of [...resolved.bridges, ...resolved.veths.flat()])
    held.set(placeKey(x.context, x.ifname), [...x.addresses].sort());
  for (const [k, place] of want.interfaces) {
    const seen = observed.namespaces
      .find((n) => n.name === place.context)
      ?.interfaces.find((i) => i.ifname === place.ifname);
    const has = held.get(k);
    if (!has || !seen || !sameList(has, canonical(seen))) out.push(`if:${k}`);
  }
  for (const [k, { context, route }] of want.routes) {
    const routes = doc.namespaces.find((n) => n.name === context)?.routes ?? [];
    const same = (r: RouteSpec) =>
      routeKey(r) === routeKey(route) &&
      routeTypeOf(r) === routeTypeOf(route) &&
      (r.via ?? null) === route.via;
    if (!routes.some(same)) out.push(`route:${k}`);
  }
  // A chain is held whole or not at all: compare it with the marked kernel's.
  const chains = new Map<string, { context: string; table: string; chain: string; keys: string[] }>();
  for (const [k, r] of want.rules) {
    const ck = chainKey(r.context, r.table, r.chain);
    const entry = chains.get(ck) ?? { context: r.context, table: r.table, chain: r.chain, keys: [] };
    entry.keys.push(k);
    chains.set(ck, entry);
  }
  for (const { context, table, chain, keys } of chains.values()) {
    const fw = firewallOf(doc, context);
    const have = (fw?.rules ?? []).filter((r) => r.table === table && r.chain === chain).map(ruleArgs);
    const want = (marked.namespaces.find((n) => n.name === context)?.firewall?.rules ?? [])
      .filter((r) => r.managed && r.table === table && r.chain === chain)
      .map((r) => r.args);
    if (JSON.stringify(have) !== JSON.stringify(want)) out.push(...keys.map((k) => `rule:${k}`));
  }
  return out;
}

/** Drops a wanted thing by its `missing` key. */
export function dropWanted(want: Wanted, key: string): void {
  const [kind, ...rest] = key.split(':');
  const k = rest.join(':');
  if (kind === 'ns') want.namespaces.delete(k);
  else if (kind === 'if') want.interfaces.delete(k);
  else if (kind === 'route') {
    want.routes.delete(k);
    // An address taken along for routes goes with the last of them: adopt takes nothing for nothing.
    for (const [ak, a] of want.addresses) {
      a.routes.delete(k);
      if (a.routes.size === 0) want.addresses.delete(ak);
    }
  } else if (kind === 'rule') want.rules.delete(k);
}

export interface Settled {
  recovered: Recovered;
  /** One sentence each: what recovery could not hold, beyond what it could not before. */
  left: string[];
  /** Keys (`missing`'s) of what was wanted and is not taken. */
  dropped: string[];
}

/**
 * Recovers with the wanted marks until the document holds every wanted thing whole, dropping
 * what it does not (and, in the next pass, what needed it). Each pass drops at least one thing.
 */
export function settleWanted(observed: ObservedState, want: Wanted): Settled {
  const before = new Set(recoverTopology(observed).unrecovered);
  const left = new Set<string>();
  const dropped: string[] = [];
  for (;;) {
    const marked = markedState(observed, want);
    const recovered = recoverTopology(marked);
    for (const line of recovered.unrecovered) if (!before.has(line)) left.add(line);
    const gone = missing(observed, marked, want, recovered.document);
    if (gone.length === 0) return { recovered, left: [...left], dropped };
    for (const key of gone) dropWanted(want, key);
    dropped.push(...gone);
  }
}
