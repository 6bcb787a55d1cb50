import type { EditInput } from './edits';
import { ROOT } from './names';
import type { ObservedInterface, ObservedState } from './observed';
import { resolveTopology } from './resolve';
import type { FirewallRule } from './firewall';
import { firewallOf, type EndpointSpec, type Topology } from './topology';

/**
 * A veth end the lab made, renamed (`ip link set veth0 name v0`) or moved (`ip link set veth0
 * netns ns2`) by hand: the kernel has it with the lab's mark, at a place the document does not
 * name, and the document's end it was is missing. Its peer tells which end it was: the document
 * links that peer (still where the document says) with exactly one end the kernel lacks.
 * Adopting it takes the new name (or namespace) into the document: the document's end moves
 * there, keeping its addresses, settings and peer; a rename in place also renames what its
 * namespace's routes and rules name it by (`followRename`). Pure.
 */

export interface HandRename {
  /** Where the document has the end (and the kernel no longer does). */
  from: { context: string; ifname: string };
  /** Where the kernel has it now. */
  to: { context: string; ifname: string };
  /** The document's link it is an end of, and which end. */
  link: number;
  side: 'a' | 'b';
}

const findObserved = (observed: ObservedState, context: string, ifname: string) =>
  observed.namespaces.find((n) => n.name === context)?.interfaces.find((i) => i.ifname === ifname);

/** The document's end this marked interface was, or null (not marked, in the document, or no peer to tell). */
export function handRenameOf(
  doc: Topology,
  observed: ObservedState,
  context: string,
  ifname: string,
): HandRename | null {
  return handRenamesAt(doc, observed, [{ context, ifname }])[0] ?? null;
}

/**
 * `handRenameOf` for several kernel places, the document resolved once (and only when one of them
 * is a marked veth): the canvas asks for every candidate of a lab in one build.
 */
export function handRenamesAt(
  doc: Topology,
  observed: ObservedState,
  places: readonly { context: string; ifname: string }[],
): HandRename[] {
  let resolved: ReturnType<typeof resolveTopology> | undefined;
  const out: HandRename[] = [];
  for (const { context, ifname } of places) {
    const found = findObserved(observed, context, ifname);
    if (!found?.managed || found.kind !== 'veth') continue;
    resolved ??= resolveTopology(doc);
    const rename = renameIn(resolved, observed, context, found);
    if (rename) out.push(rename);
  }
  return out;
}

/** One marked veth at `context`: the document's end it was, when its peer tells (see the top). */
function renameIn(
  resolved: ReturnType<typeof resolveTopology>,
  observed: ObservedState,
  context: string,
  found: ObservedInterface,
): HandRename | null {
  const { ifname } = found;
  const ends = resolved.veths.flat();
  if (ends.some((e) => e.context === context && e.ifname === ifname)) return null;
  const peer = found.peer;
  if (peer?.namespace == null || peer.ifname == null) return null;
  const pair = resolved.veths.find((p) =>
    p.some((e) => e.context === peer.namespace && e.ifname === peer.ifname),
  );
  const mine = pair?.find((e) => !(e.context === peer.namespace && e.ifname === peer.ifname));
  if (!pair || !mine || findObserved(observed, mine.context, mine.ifname)) return null;
  const match = /^links\[(\d+)\]\.(a|b)$/.exec(mine.path);
  if (!match) return null;
  return {
    from: { context: mine.context, ifname: mine.ifname },
    to: { context, ifname },
    link: Number(match[1]),
    side: match[2] as 'a' | 'b',
  };
}

const place = (p: { context: string; ifname: string }) =>
  `${p.context === ROOT ? 'root' : p.context}:${p.ifname}`;

/** "renamed by hand to v0" (or moved, to ns2; or both): what became of the document's end. */
export function handRenameHow(r: HandRename): string {
  const renamed = r.from.ifname !== r.to.ifname;
  const moved = r.from.context !== r.to.context;
  return [
    ...(renamed ? [`renamed by hand to ${r.to.ifname}`] : []),
    ...(moved ? [`moved by hand to ${r.to.context === ROOT ? "the lab's root" : r.to.context}`] : []),
  ].join(' and ');
}

/** "netcanvas made this as ns1:veth0; renamed by hand to v0" (or moved, to ns2). */
export function describeHandRename(r: HandRename): string {
  return `netcanvas made this as ${place(r.from)}; ${handRenameHow(r)}`;
}

/** The node an end at `context` hangs on: the bridge it is a port of (the document's), else its namespace. */
function nodeFor(doc: Topology, context: string, found: ObservedInterface | undefined): string {
  const master = found?.master ?? null;
  const bridge =
    master !== null && doc.bridges.find((b) => b.name === master && (b.namespace ?? ROOT) === context);
  return bridge ? bridge.name : context;
}

/**
 * The edits that take the rename into the document: the link is deleted and made again with the
 * end at its new place (same addresses, settings and peer). The document checks them as any edit.
 */
export function handRenameEdits(doc: Topology, observed: ObservedState, r: HandRename): EditInput[] {
  const link = doc.links[r.link];
  if (!link) return [];
  const end: EndpointSpec = link[r.side];
  const moved: EndpointSpec = {
    ...end,
    node: nodeFor(doc, r.to.context, findObserved(observed, r.to.context, r.to.ifname)),
    ifname: r.to.ifname,
  };
  const other = r.side === 'a' ? link.b : link.a;
  return [
    { type: 'disconnect', node: end.node, ifname: end.ifname },
    r.side === 'a' ? { type: 'connect', a: moved, b: other } : { type: 'connect', a: other, b: moved },
    ...followRename(doc, r),
  ];
}

/**
 * A rename in place: what the end's namespace (or the lab's root) names it by, in the document,
 * follows the new name: routes' `dev`, and rules' `-i`/`-o` (negated or not, in every table and
 * chain). iptables keeps an interface name as text and does not follow a rename, so a rule left on
 * the old name matches nothing once the lab is built again (a MASQUERADE on `-o eth1` with the
 * interface called wan: NAT silently off). With the rule renamed, the edit's plan differs from the
 * kernel's managed rule (still `-o eth1`) and rewrites it (`-D` the old, `-A` the new), so NAT works
 * again at once and the step is in the command log, rather than a broken rule kept quietly.
 * The document holds no wildcard (`eth+`: InterfaceName refuses a trailing "+"), so only exact names
 * are rewritten; rules made by hand are the kernel's, not the document's, and are left as they are.
 * A move to another namespace rewrites nothing: there the old namespace's rules name an interface it
 * no longer has, and the new namespace's rules are another firewall, which the move does not speak for.
 */
function followRename(doc: Topology, r: HandRename): EditInput[] {
  if (r.from.context !== r.to.context || r.from.ifname === r.to.ifname) return [];
  const { context, ifname: from } = r.from;
  const to = r.to.ifname;
  const ns = doc.namespaces.find((n) => n.name === context);
  const fw = firewallOf(doc, context);
  const routes = ns?.routes.map((route) => (route.dev === from ? { ...route, dev: to } : route));
  const rules = fw?.rules.map((rule) => renamedRule(rule, from, to));
  const edit = {
    ...(ns && routes && differs(routes, ns.routes) ? { routes } : {}),
    ...(fw && rules && differs(rules, fw.rules) ? { firewall: { ...fw, rules } } : {}),
  };
  return Object.keys(edit).length === 0 ? [] : [{ type: 'setNamespace', name: context, ...edit }];
}

const differs = <T>(next: readonly T[], was: readonly T[]) => next.some((item, i) => item !== was[i]);

/** The rule with its `-i`/`-o` on `from` set to `to` (the same object when it names neither). */
function renamedRule(rule: FirewallRule, from: string, to: string): FirewallRule {
  if (rule.inInterface !== from && rule.outInterface !== from) return rule;
  return {
    ...rule,
    ...(rule.inInterface === from ? { inInterface: to } : {}),
    ...(rule.outInterface === from ? { outInterface: to } : {}),
  };
}
