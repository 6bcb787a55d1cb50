import type { EditInput } from './edits';
import { ChainName, type FirewallSpec } from './firewall';
import { ROOT } from './names';
import type { ObservedState } from './observed';
import { resolveTopology } from './resolve';
import { routeKey, type RouteSpec } from './routing';
import { chainKey, placeKey, type Wanted } from './adopt-take';
import { firewallOf, type Position, type Topology } from './topology';

/**
 * The document edits an adopt makes: what the recovered document (read with the adopt's marks)
 * holds of the wanted things, added to the user's document without changing anything it already
 * says (positions, settings, the other rules). Each edit names the wanted things it carries, so a
 * refused edit can be given up with exactly those.
 */

export interface AdoptEdits {
  edits: EditInput[];
  /** For each edit, the keys (adopt-settle's `missing` form) of the wanted things it carries. */
  carries: string[][];
  /**
   * For an edit that sets a namespace's routes, the key of each route of its list (null: the
   * document's own), so a refused route is given up alone, not with every route adopted there.
   */
  routeKeys: Map<number, (string | null)[]>;
}

type Policy = FirewallSpec['policies'][number];
type Chain = FirewallSpec['chains'][number];
type Rule = FirewallSpec['rules'][number];

/** A policy's table: the filter table unless it says (documents before policies had tables). */
const policyTable = (p: Policy): string =>
  'table' in p && typeof (p as { table?: unknown }).table === 'string'
    ? (p as { table: string }).table
    : 'filter';

export function adoptEdits(
  doc: Topology,
  observed: ObservedState,
  want: Wanted,
  recovered: Topology,
  position: { node: string; at: Position } | undefined,
): AdoptEdits {
  const edits: EditInput[] = [];
  const carries: string[][] = [];
  const routeKeys = new Map<number, (string | null)[]>();
  const add = (edit: EditInput, keys: string[]) => {
    edits.push(edit);
    carries.push(keys);
  };
  const at = (node: string) => (position?.node === node ? { position: position.at } : {});
  const rulesOf = (context: string) =>
    [...want.rules.entries()].filter(([, r]) => r.context === context).map(([k]) => `rule:${k}`);
  const routesOf = (context: string) =>
    [...want.routes.entries()].filter(([, r]) => r.context === context).map(([k]) => `route:${k}`);

  for (const ns of recovered.namespaces) {
    if (!want.namespaces.has(ns.name)) continue;
    const firewall = scopedFirewall(emptyFirewall(), ns.firewall, ns.name, want, observed);
    const { position: _none, ...spec } = ns;
    add({ type: 'addNamespace', ...spec, firewall, ...at(ns.name) }, [
      `ns:${ns.name}`,
      ...routesOf(ns.name),
      ...rulesOf(ns.name),
    ]);
  }
  for (const br of recovered.bridges) {
    const k = placeKey(br.namespace ?? ROOT, br.name);
    if (!want.interfaces.has(k)) continue;
    const { position: _none, ...spec } = br;
    add({ type: 'addBridge', ...spec, ...at(br.name) }, [`if:${k}`]);
  }
  const resolved = resolveTopology(recovered);
  recovered.links.forEach((link, i) => {
    const ends = resolved.veths.find(([a]) => a.path === `links[${i}].a`);
    const keys = (ends ?? []).map((e) => placeKey(e.context, e.ifname)).filter((k) => want.interfaces.has(k));
    if (keys.length > 0)
      add(
        { type: 'connect', a: link.a, b: link.b },
        keys.map((k) => `if:${k}`),
      );
  });

  addressEdits(doc, want).forEach(({ edit, keys }) => add(edit, keys));

  // Namespaces the document has (and its root): their adopted routes and rules join theirs.
  for (const name of [...doc.namespaces.map((n) => n.name), ROOT]) {
    const set = setNamespaceEdit(doc, observed, want, recovered, name);
    if (!set) continue;
    if (set.routeKeys) routeKeys.set(edits.length, set.routeKeys);
    add(set.edit, [...routesOf(name), ...rulesOf(name)]);
  }
  return { edits, carries, routeKeys };
}

/** A namespace of the document with its adopted routes and rules, and the key of each route of its list. */
function setNamespaceEdit(
  doc: Topology,
  observed: ObservedState,
  want: Wanted,
  recovered: Topology,
  name: string,
): { edit: EditInput; routeKeys: (string | null)[] | null } | null {
  const mine = doc.namespaces.find((n) => n.name === name);
  const theirs = name === ROOT ? undefined : recovered.namespaces.find((n) => n.name === name);
  const keyOf = (r: RouteSpec) =>
    [...want.routes.entries()].find(([, w]) => w.context === name && routeKey(w.route) === routeKey(r))?.[0];
  const adoptedRoutes = (theirs?.routes ?? []).filter((r) => keyOf(r) !== undefined);
  const current = firewallOf(doc, name);
  const recoveredFw = firewallOf(recovered, name);
  const firewall =
    current && recoveredFw ? scopedFirewall(current, recoveredFw, name, want, observed) : undefined;
  const fwChanged = firewall !== undefined && JSON.stringify(firewall) !== JSON.stringify(current);
  if (adoptedRoutes.length === 0 && !fwChanged) return null;
  const routes = adoptedRoutes.length > 0 && mine ? [...mine.routes, ...adoptedRoutes] : undefined;
  return {
    edit: { type: 'setNamespace', name, ...(routes ? { routes } : {}), ...(fwChanged ? { firewall } : {}) },
    routeKeys: routes
      ? [...(mine?.routes ?? []).map(() => null), ...adoptedRoutes.map((r) => `route:${keyOf(r) ?? ''}`)]
      : null,
  };
}

/**
 * The addresses made by hand taken along for adopted routes (adopt-take.ts, `gateway`): each
 * interface of the document gets its own addresses and those, as the kernel has them all. An edit
 * carries the routes that need its addresses: refused, it is given up with them.
 */
function addressEdits(doc: Topology, want: Wanted): { edit: EditInput; keys: string[] }[] {
  const byPlace = new Map<string, { context: string; ifname: string; added: string[]; keys: Set<string> }>();
  for (const a of want.addresses.values()) {
    const k = placeKey(a.context, a.ifname);
    const entry = byPlace.get(k) ?? { context: a.context, ifname: a.ifname, added: [], keys: new Set() };
    entry.added.push(a.address);
    for (const r of a.routes) entry.keys.add(`route:${r}`);
    byPlace.set(k, entry);
  }
  const resolved = resolveTopology(doc);
  const out: { edit: EditInput; keys: string[] }[] = [];
  for (const { context, ifname, added, keys } of byPlace.values()) {
    const bridge = resolved.bridges.find((b) => b.context === context && b.ifname === ifname);
    const end = resolved.veths.flat().find((e) => e.context === context && e.ifname === ifname);
    // A veth end is named by its node (its namespace, or the bridge it is a port of).
    const at = end && /^links\[(\d+)\]\.(a|b)$/.exec(end.path);
    const node = at ? doc.links[Number(at[1])]?.[at[2] as 'a' | 'b'].node : undefined;
    if (bridge)
      out.push({
        edit: { type: 'setBridge', name: ifname, addresses: [...bridge.addresses, ...added] },
        keys: [...keys],
      });
    else if (end && node !== undefined)
      out.push({
        edit: { type: 'setInterface', node, ifname, addresses: [...end.addresses, ...added] },
        keys: [...keys],
      });
  }
  return out;
}

const emptyFirewall = (): FirewallSpec => ({ chains: [], policies: [], rules: [] });

/**
 * `current` with what the adopt takes from `recovered` (the firewall read with the adopt's marks):
 * each chain with adopted rules becomes the recovered chain (the lab's rules and the adopted ones,
 * in the kernel's order), where the chain's rules were; declared chains and policies in scope join.
 */
function scopedFirewall(
  current: FirewallSpec,
  recovered: FirewallSpec,
  context: string,
  want: Wanted,
  observed: ObservedState,
): FirewallSpec {
  const touched = new Set(
    [...want.rules.values()].filter((r) => r.context === context).map((r) => `${r.table} ${r.chain}`),
  );
  const chainOf = (r: Rule) => `${r.table} ${r.chain}`;
  const rules: Rule[] = [];
  const emitted = new Set<string>();
  const emit = (key: string) => {
    if (emitted.has(key)) return;
    emitted.add(key);
    rules.push(...recovered.rules.filter((r) => chainOf(r) === key));
  };
  for (const rule of current.rules) {
    if (touched.has(chainOf(rule))) emit(chainOf(rule));
    else rules.push(rule);
  }
  for (const key of touched) emit(key);

  const chains: Chain[] = [...current.chains];
  const declared = (table: string, name: string) => chains.some((c) => c.table === table && c.name === name);
  const usedBy = new Set(rules.flatMap((r) => [`${r.table} ${r.chain}`, `${r.table} ${r.target}`]));
  for (const c of recovered.chains)
    if (!declared(c.table, c.name) && usedBy.has(`${c.table} ${c.name}`)) chains.push(c);
  const seen = observed.namespaces.find((n) => n.name === context)?.firewall;
  for (const c of seen?.chains ?? [])
    if (
      c.policy === null &&
      want.chains.has(chainKey(context, c.table, c.name)) &&
      !declared(c.table, c.name) &&
      ChainName.safeParse(c.name).success
    )
      chains.push({ table: c.table as Chain['table'], name: c.name });

  const policies: Policy[] = [...current.policies];
  for (const p of recovered.policies)
    if (
      want.policies.has(chainKey(context, policyTable(p), p.chain)) &&
      !policies.some((q) => policyTable(q) === policyTable(p) && q.chain === p.chain)
    )
      policies.push(p);
  return { chains, policies, rules };
}
