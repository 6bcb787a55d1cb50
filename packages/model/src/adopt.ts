import { AdoptEdit, handRuleText } from './adopt-edit';
import { adoptEdits, type AdoptEdits } from './adopt-merge';
import { dropWanted, markedState, settleWanted } from './adopt-settle';
import {
  Taker,
  emptyWanted,
  placeKey,
  routeMapKey,
  describePlace,
  findHandRule,
  type Place,
  type Wanted,
  type WantedRule,
} from './adopt-take';
import { describeHandRename, handRenameEdits, handRenameOf, type HandRename } from './adopt-rename';
import { applyEdits, type EditInput } from './edits';
import { issuesFromZod, type Validated } from './issues';
import { ROOT } from './names';
import type { ObservedRoute, ObservedState } from './observed';
import { routeText } from './routing';
import type { Topology } from './topology';

export { findHandRule, type Place, type WantedRule } from './adopt-take';

/**
 * Adopting what was made by hand (pure). `expandAdopt` turns an `adopt` edit into plain edits of
 * the document and the marks the kernel must set (namespaces recorded, interfaces in the lab's
 * group, routes re-made with protocol 203, rules replaced in place with the lab's comment), taking
 * along what the thing needs; `adoptOffer` says, cheaply, what adopting something would take.
 */

export interface AdoptMarks {
  /** Namespaces to record as the lab's (and give an id in the lab's root). */
  namespaces: string[];
  /** Interfaces to give the lab's link group, as (namespace or "root", ifname). */
  interfaces: Place[];
  /** Routes made by hand, to re-make in place with the lab's protocol. */
  routes: { context: string; route: ObservedRoute }[];
  /** Rules made by hand, to replace in place (`iptables -R CHAIN N`) with the lab's comment. */
  rules: WantedRule[];
}

export interface AdoptCounts {
  namespaces: number;
  bridges: number;
  veths: number;
  routes: number;
  rules: number;
}

export interface AdoptPlan extends AdoptMarks {
  edits: EditInput[];
  /** What is made by hand and is not adopted (adopt all, a chain, a firewall), one sentence each. */
  left: string[];
  /** What the document gets. */
  counts: AdoptCounts;
}

export type AdoptTarget = Omit<AdoptEdit, 'type'>;

/** What a target takes (before recovery), with what is left and why; or why it cannot be taken. */
function gather(
  doc: Topology,
  observed: ObservedState,
  target: AdoptTarget,
): { ok: true; want: Wanted; left: string[] } | { ok: false; path: string; message: string } {
  const taker = new Taker(doc, observed);
  const left: string[] = [];
  const refuse = (path: string, message: string) => ({ ok: false as const, path: `edit.${path}`, message });
  const ok = () => ({ ok: true as const, want: taker.want, left });
  if (target.all) {
    if (observed.target.kind === 'host')
      return refuse('all', 'adopt all takes a sandbox lab whole; on the host, adopt things one by one');
    gatherAll(taker, observed, left);
    return ok();
  }
  const name = target.namespace ?? '';
  const ns = taker.observedNamespace(name);
  if (!ns) return refuse('namespace', `the lab has no namespace "${name}"`);
  const failed = (path: string) => refuse(path, taker.problem ?? 'cannot be adopted');
  if (target.ifname !== undefined) {
    const iface = ns.interfaces.find((i) => i.ifname === target.ifname);
    if (!iface) return refuse('ifname', `${describePlace(name)} has no interface "${target.ifname}"`);
    if (iface.managed && taker.interfaceInDocument(name, iface.ifname))
      return refuse('ifname', `"${iface.ifname}" is the lab's already`);
    return taker.iface(name, iface.ifname) ? ok() : failed('ifname');
  }
  if (target.routes) {
    const routes = handRoutes(ns.routes ?? []);
    if (routes.length === 0) return refuse('routes', `${describePlace(name)} has no routes made by hand`);
    // Each route on its own: one the document cannot hold is said (by route), the others adopted.
    for (const route of routes)
      taker.attempt(
        (t) => t.route(name, route),
        left,
        `route "${routeText(route)}" in ${describePlace(name)} is not adopted`,
      );
    if (taker.want.routes.size === 0) return refuse('routes', left.join('; '));
    return ok();
  }
  const fw = target.firewall;
  if (fw !== undefined) {
    if (fw.table !== undefined && fw.chain !== undefined && fw.args !== undefined) {
      const found = findHandRule(ns, fw.table, fw.chain, fw.args);
      if (!found)
        return refuse(
          'firewall.args',
          `that rule is no longer there: ${handRuleText(fw.table, fw.chain, fw.args)}`,
        );
      return taker.rule(name, fw.table, fw.chain, found.position) ? ok() : failed('firewall');
    }
    const taken =
      fw.table !== undefined && fw.chain !== undefined
        ? taker.chain(name, fw.table, fw.chain, left)
        : taker.firewall(name, left);
    if (!taken) return failed('firewall');
    const w = taker.want;
    if (w.rules.size + w.policies.size + w.chains.size === 0)
      return refuse('firewall', left[0] ?? `nothing made by hand there in ${describePlace(name)}`);
    return ok();
  }
  if (name === ROOT) return refuse('namespace', "the lab's root is always the lab's");
  if (ns.managed && taker.namespaceInDocument(name))
    return refuse('namespace', `namespace "${name}" is the lab's already`);
  return taker.namespace(name) ? ok() : failed('namespace');
}

/** Routes made by hand: neither the kernel's own (connected subnets) nor the lab's. */
const handRoutes = (routes: readonly ObservedRoute[]) =>
  routes.filter((r) => !r.managed && r.protocol !== 'kernel');

/** Everything made by hand, each thing on its own (one that cannot be taken is listed, not fatal). */
function gatherAll(taker: Taker, observed: ObservedState, left: string[]): void {
  for (const ns of observed.namespaces)
    if (ns.name !== ROOT && !ns.managed)
      taker.attempt((t) => t.namespace(ns.name), left, `namespace "${ns.name}" is not adopted`);
  for (const ns of observed.namespaces) {
    if (ns.name !== ROOT && !ns.managed && !taker.want.namespaces.has(ns.name)) continue;
    const where = describePlace(ns.name);
    for (const i of ns.interfaces) {
      if (i.managed || i.kind === 'loopback') continue;
      taker.attempt((t) => t.iface(ns.name, i.ifname), left, `"${i.ifname}" in ${where} is not adopted`);
    }
    for (const route of handRoutes(ns.routes ?? []))
      taker.attempt(
        (t) => t.route(ns.name, route),
        left,
        `route "${routeText(route)}" in ${where} is not adopted`,
      );
    if (ns.firewall === undefined) left.push(`the firewall of ${where} has not been read`);
    else taker.attempt((t) => t.firewall(ns.name, left), left, `the firewall of ${where} is not adopted`);
  }
}

const countWanted = (want: Wanted, observed: ObservedState): AdoptCounts => {
  const kindOf = (key: string) => {
    const [context, ifname] = key.split('\0');
    return observed.namespaces.find((n) => n.name === context)?.interfaces.find((i) => i.ifname === ifname)
      ?.kind;
  };
  const kinds = [...want.interfaces.keys()].map(kindOf);
  return {
    namespaces: want.namespaces.size,
    bridges: kinds.filter((k) => k === 'bridge').length,
    veths: Math.ceil(kinds.filter((k) => k === 'veth').length / 2),
    routes: want.routes.size,
    rules: want.rules.size,
  };
};

/** Turns `adopt` into plain edits and kernel marks, from what the kernel has. Pure. */
export function expandAdopt(doc: Topology, observed: ObservedState, edit: unknown): Validated<AdoptPlan> {
  const parsed = AdoptEdit.safeParse(edit);
  if (!parsed.success) return { ok: false, issues: issuesFromZod(parsed.error, ['edit']) };
  const target = parsed.data;
  const renamed = takeRename(doc, observed, target);
  if (renamed) return renamed;
  const gathered = gather(doc, observed, target);
  if (!gathered.ok) return { ok: false, issues: [{ path: gathered.path, message: gathered.message }] };
  const { want } = gathered;
  const left = [...gathered.left];
  const partial =
    target.all === true ||
    target.routes === true ||
    (target.firewall !== undefined && target.firewall.args === undefined);
  const position =
    target.position !== undefined && target.namespace !== undefined
      ? { node: target.ifname ?? target.namespace, at: target.position }
      : undefined;
  for (;;) {
    const settled = settleWanted(observed, want);
    left.push(...settled.left.filter((line) => !left.includes(line)));
    const whole = !partial && settled.dropped.length > 0;
    if (whole || (partial && settled.dropped.some((k) => k.startsWith('ns:') && !target.all)))
      return refusal(left, 'cannot be adopted as the document would have to leave part of it out');
    const made = adoptEdits(doc, observed, want, settled.recovered.document, position);
    const { edits } = made;
    const applied = applyEdits(doc, edits);
    if (!applied.ok) {
      const issue = applied.issues[0];
      const { index, keys } = refusedKeys(issue?.path ?? '', made);
      if (!partial || keys.length === 0)
        return {
          ok: false,
          issues: applied.issues.map((i) => ({ ...i, path: i.path.replace(/^edits\[\d+\]/, 'edit') })),
        };
      left.push(`${describeEdit(edits[index])}: ${issue?.message ?? 'refused by the document'}`);
      for (const key of keys) dropWanted(want, key);
      continue;
    }
    const plan: AdoptPlan = { edits, left, counts: countWanted(want, observed), ...marks(observed, want) };
    const nothing =
      edits.length === 0 &&
      plan.namespaces.length + plan.interfaces.length + plan.routes.length + plan.rules.length === 0;
    if (nothing) return refusal(left, 'nothing made by hand here can be adopted');
    return { ok: true, value: plan };
  }
}

/** The edit a document issue points at, and the wanted things to give up with it. */
function refusedKeys(path: string, made: AdoptEdits): { index: number; keys: string[] } {
  const m = /^edits\[(\d+)\](?:\.routes\[(\d+)\])?/.exec(path);
  const index = Number(m?.[1] ?? -1);
  const route = m?.[2] === undefined ? undefined : made.routeKeys.get(index)?.[Number(m[2])];
  if (route === null) return { index, keys: [] };
  return { index, keys: route !== undefined ? [route] : (made.carries[index] ?? []) };
}

const noCounts = (): AdoptCounts => ({ namespaces: 0, bridges: 0, veths: 0, routes: 0, rules: 0 });

/**
 * Adopting a veth end the lab made and someone renamed or moved by hand takes the new place into
 * the document (adopt-rename.ts): it carries the lab's mark already, so no mark is set, and adding
 * it as a new pair would collide with the document's end it is.
 */
function takeRename(
  doc: Topology,
  observed: ObservedState,
  target: AdoptTarget,
): Validated<AdoptPlan> | null {
  if (target.ifname === undefined || target.namespace === undefined) return null;
  const rename = handRenameOf(doc, observed, target.namespace, target.ifname);
  if (!rename) return null;
  const edits = handRenameEdits(doc, observed, rename);
  const applied = applyEdits(doc, edits);
  if (!applied.ok)
    return {
      ok: false,
      issues: applied.issues.map((i) => ({
        path: 'edit.ifname',
        message: `${describeHandRename(rename)}; the topology cannot take it: ${i.message}`,
      })),
    };
  return {
    ok: true,
    value: {
      edits,
      left: [],
      counts: { ...noCounts(), veths: 1 },
      namespaces: [],
      interfaces: [],
      routes: [],
      rules: [],
    },
  };
}

const refusal = (left: string[], otherwise: string): Validated<AdoptPlan> => ({
  ok: false,
  issues: [{ path: 'edit', message: left.length > 0 ? left.join('; ') : otherwise }],
});

const describeEdit = (edit: EditInput | undefined): string => {
  if (!edit) return 'an edit';
  if ('name' in edit && typeof edit.name === 'string')
    return `${edit.type.replace(/^add|^set/, '').toLowerCase()} "${edit.name}"`;
  if (edit.type === 'connect') return `veth pair "${edit.a.ifname}" – "${edit.b.ifname}"`;
  return edit.type;
};

/** The kernel marks: only what is not marked yet. */
function marks(observed: ObservedState, want: Wanted): AdoptMarks {
  const ns = (name: string) => observed.namespaces.find((n) => n.name === name);
  const unmarked = (p: Place) =>
    ns(p.context)?.interfaces.find((i) => i.ifname === p.ifname)?.managed === false;
  return {
    namespaces: [...want.namespaces, ...want.markNamespaces].filter((n) => ns(n)?.managed === false),
    interfaces: [...want.interfaces.values(), ...want.markInterfaces.values()].filter(unmarked),
    routes: [...want.routes.values()].filter((r) => !r.route.managed),
    rules: [...want.rules.values()],
  };
}

/** Adopting a veth end the lab made, renamed or moved by hand: its new place, into the document. */
function renameOffer(
  doc: Topology,
  observed: ObservedState,
  target: AdoptTarget,
  rename: HandRename,
): AdoptOffer {
  const plan = takeRename(doc, observed, target);
  const why = plan && !plan.ok ? (plan.issues[0]?.message ?? 'the topology cannot take it') : null;
  const label =
    rename.from.ifname !== rename.to.ifname
      ? `rename ${rename.from.ifname} to ${rename.to.ifname} in the topology`
      : `move ${rename.from.ifname} to ${rename.to.context} in the topology`;
  // Nothing is taken along: the end is the lab's already, only its place changes in the
  // document (a card's "adopt +1" counted the sentence that says so as a second thing).
  return {
    ok: why === null,
    label,
    along: [],
    counts: { ...noCounts(), veths: 1 },
    why,
    addresses: [],
    left: [],
  };
}

export interface AdoptOffer {
  ok: boolean;
  /** The button's words: "adopt", "adopt br0 and this veth", "Adopt all (12)". */
  label: string;
  /** What it takes besides the thing itself, in words. */
  along: string[];
  counts: AdoptCounts;
  /** Why it cannot be adopted, when it cannot. */
  why: string | null;
  /** Addresses made by hand it takes along, as "2001:db8:a::2/64 on eth0": routes through them need them. */
  addresses: string[];
  /** What of it is not adopted (some of a namespace's routes), one sentence each, with why. */
  left: string[];
}

/**
 * What adopting `target` would take, for the editor's button (no recovery: cheap). The agent
 * may still refuse what the document cannot hold whole; it says why then.
 */
export function adoptOffer(doc: Topology, observed: ObservedState, target: AdoptTarget): AdoptOffer {
  const rename =
    target.ifname !== undefined && target.namespace !== undefined
      ? handRenameOf(doc, observed, target.namespace, target.ifname)
      : null;
  if (rename) return renameOffer(doc, observed, target, rename);
  const gathered = gather(doc, observed, target);
  if (!gathered.ok)
    return {
      ok: false,
      label: 'adopt',
      along: [],
      counts: noCounts(),
      why: gathered.message,
      addresses: [],
      left: [],
    };
  const { want, left } = gathered;
  const addresses = [...want.addresses.values()].map((a) => `${a.address} on ${a.ifname}`);
  const counts = countWanted(want, observed);
  if (target.all) {
    const total = Object.values(counts).reduce((a, b) => a + b, 0) + want.markNamespaces.size;
    return {
      ok: total > 0,
      label: `Adopt all (${total})`,
      along: [],
      counts,
      why: total > 0 ? null : 'nothing to adopt',
      addresses,
      left,
    };
  }
  const namespaceOnly = target.ifname === undefined && !target.routes && target.firewall === undefined;
  const self = new Set<string>();
  if (target.ifname !== undefined) {
    self.add(`${target.namespace}\0${target.ifname}`);
    const peer = observed.namespaces
      .find((n) => n.name === target.namespace)
      ?.interfaces.find((i) => i.ifname === target.ifname)?.peer;
    if (peer?.namespace && peer.ifname) self.add(`${peer.namespace}\0${peer.ifname}`);
  }
  const along = [
    ...[...want.namespaces]
      .filter((n) => n !== target.namespace || !namespaceOnly)
      .map((n) => `namespace ${n}`),
    ...interfaceWords(observed, want, self),
    ...addresses.map((a) => `the address ${a}`),
  ];
  const thing =
    target.ifname !== undefined
      ? `this ${kindWord(observed, target.namespace ?? '', target.ifname)}`
      : target.routes
        ? 'these routes'
        : target.firewall?.args !== undefined
          ? 'this rule'
          : target.firewall?.chain !== undefined
            ? 'this chain'
            : target.firewall !== undefined
              ? 'this firewall'
              : 'this namespace';
  const label = along.length === 0 ? 'adopt' : `adopt ${along.join(', ')} and ${thing}`;
  return { ok: true, label, along, counts, why: null, addresses, left };
}

const kindWord = (observed: ObservedState, context: string, ifname: string) =>
  observed.namespaces.find((n) => n.name === context)?.interfaces.find((i) => i.ifname === ifname)?.kind ===
  'bridge'
    ? 'bridge'
    : 'veth';

/** Bridges, then veth pairs (one name each), that are not the target itself. */
function interfaceWords(observed: ObservedState, want: Wanted, self: ReadonlySet<string>): string[] {
  const find = (k: string) => {
    const [context, ifname] = k.split('\0');
    return observed.namespaces.find((n) => n.name === context)?.interfaces.find((i) => i.ifname === ifname);
  };
  const bridges: string[] = [];
  const veths: string[] = [];
  const named = new Set<string>();
  for (const k of want.interfaces.keys()) {
    const iface = find(k);
    if (!iface || self.has(k)) continue;
    if (iface.kind === 'bridge') bridges.push(iface.ifname);
    else if (!(iface.peer?.namespace && named.has(`${iface.peer.namespace}\0${iface.peer.ifname}`))) {
      named.add(k);
      veths.push(iface.ifname);
    }
  }
  return [...bridges, ...veths];
}

/** The kernel's state as it will read once these marks are set (pure; for tests and previews). */
export function stateAfterMarks(observed: ObservedState, marks: AdoptMarks): ObservedState {
  const want = emptyWanted();
  for (const n of marks.namespaces) want.markNamespaces.add(n);
  for (const i of marks.interfaces) want.markInterfaces.set(placeKey(i.context, i.ifname), i);
  for (const r of marks.routes) want.routes.set(routeMapKey(r.context, r.route), r);
  marks.rules.forEach((r, i) => want.rules.set(String(i), r));
  return markedState(observed, want);
}
