import type {
  ObservedFdbEntry,
  ObservedFirewall,
  ObservedInterface,
  ObservedNamespace,
  ObservedState,
} from './observed';
import type { ObservedPatch } from './protocol';

/**
 * The observed state's wire algebra: the agent sends `diffObserved(previous, next)`, every client
 * turns its state into the next one with `applyObservedPatch`. One copy of each, here, so both ends
 * agree by construction (tested: for any A and B, applying diff(A, B) to A gives B, counters aside).
 *
 * Counters are never in a patch (they move every second and travel apart: `rates`, `ruleCounters`,
 * `fdbAges`): interface stats, firewall packets and bytes, learned MACs' ages. Applying a patch
 * keeps the interface stats the state had (the last ones are better than none) and leaves the
 * firewall's counters zeroed and the fdb's ages null, as the patch carries them.
 */

type LinkPatch = Extract<ObservedPatch, { op: 'link' }>;
type OptionalField = NonNullable<LinkPatch['unset']>[number];
const OPTIONAL_FIELDS: readonly OptionalField[] = [
  'linkNetnsid',
  'bridgeInfo',
  'portInfo',
  'kernelLinkLocal',
];

/** Structural equality of JSON-like values (object key order does not matter). */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bs = b as unknown[];
    return a.length === bs.length && a.every((x, i) => sameJson(x, bs[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const keys = Object.keys(ao).filter((k) => ao[k] !== undefined);
  return (
    keys.length === Object.keys(bo).filter((k) => bo[k] !== undefined).length &&
    keys.every((k) => k in bo && sameJson(ao[k], bo[k]))
  );
}

/** A firewall as patches carry it: counters zeroed. */
export const firewallWithoutCounters = (fw: ObservedFirewall): ObservedFirewall => ({
  chains: fw.chains.map((c) => ({ ...c, packets: 0, bytes: 0 })),
  rules: fw.rules.map((r) => ({ ...r, packets: 0, bytes: 0 })),
});
const fdbWithoutAge = (e: ObservedFdbEntry): ObservedFdbEntry => ({ ...e, ageSeconds: null });

/** A namespace as patches carry it: no interface stats, no firewall counters, no fdb ages. */
export function namespaceWithoutCounters(ns: ObservedNamespace): ObservedNamespace {
  return {
    ...ns,
    interfaces: ns.interfaces.map((i) => ({ ...i, stats: null })),
    fdb: ns.fdb.map(fdbWithoutAge),
    ...(ns.firewall ? { firewall: firewallWithoutCounters(ns.firewall) } : {}),
  };
}

/** A state as patches can rebuild it: every namespace without counters. */
export const withoutCounters = (state: ObservedState): ObservedState => ({
  ...state,
  namespaces: state.namespaces.map(namespaceWithoutCounters),
});

/**
 * What tells two forwarding entries apart: all but the age. Joined with a separator no name, MAC or
 * number holds, not `JSON.stringify`: the lab's root at 1,000 ports learns ~3,000 entries, keyed
 * on every diff of it (docs/benchmarks.md, "Edits at 200 and 1,000").
 */
const fdbIdentity = (e: ObservedFdbEntry): string =>
  `${e.bridge}\0${e.port}\0${e.mac}\0${e.vlan ?? ''}\0${e.learned}\0${e.origin ?? ''}`;

/** Entries of `from` not in `minus`, counted as a multiset (the kernel may print one twice). */
function fdbMinus(from: readonly ObservedFdbEntry[], minus: readonly ObservedFdbEntry[]): ObservedFdbEntry[] {
  // The same table (a read that kept the last one): nothing to take away, nothing left.
  if (from === minus) return [];
  const left = new Map<string, number>();
  for (const e of minus) {
    const id = fdbIdentity(e);
    left.set(id, (left.get(id) ?? 0) + 1);
  }
  return from.filter((e) => {
    const id = fdbIdentity(e);
    const n = left.get(id) ?? 0;
    if (n > 0) left.set(id, n - 1);
    return n === 0;
  });
}

/** The fields of an interface that changed, stats aside; null when none did. */
function linkChanges(ns: string, a: ObservedInterface, b: ObservedInterface): LinkPatch | null {
  const set: LinkPatch['set'] = {};
  const unset: OptionalField[] = [];
  for (const key of Object.keys(b) as (keyof ObservedInterface)[]) {
    if (key === 'ifname' || key === 'stats' || b[key] === undefined) continue;
    if (!sameJson(a[key], b[key])) (set as Record<string, unknown>)[key] = b[key];
  }
  for (const key of OPTIONAL_FIELDS) if (a[key] !== undefined && b[key] === undefined) unset.push(key);
  if (Object.keys(set).length === 0 && unset.length === 0) return null;
  return { op: 'link', ns, ifname: b.ifname, set, ...(unset.length > 0 ? { unset } : {}) };
}

/** Names of `before` with `gone` taken out and `added` appended: where applying leaves them. */
const orderAfter = (before: readonly string[], gone: ReadonlySet<string>, added: readonly string[]) => [
  ...before.filter((n) => !gone.has(n)),
  ...added,
];

function diffInterfaces(a: ObservedNamespace, b: ObservedNamespace): ObservedPatch[] {
  const ns = b.name;
  const before = new Map(a.interfaces.map((i) => [i.ifname, i]));
  const after = new Set(b.interfaces.map((i) => i.ifname));
  const out: ObservedPatch[] = [];
  const added: string[] = [];
  for (const i of b.interfaces) {
    const was = before.get(i.ifname);
    if (!was) {
      out.push({ op: 'interface', ns, interface: { ...i, stats: null } });
      added.push(i.ifname);
      continue;
    }
    // The same object (a read of another interface hands this one back): nothing changed in it.
    if (was === i) continue;
    const link = linkChanges(ns, was, i);
    if (link) out.push(link);
  }
  const gone = new Set(a.interfaces.map((i) => i.ifname).filter((n) => !after.has(n)));
  for (const ifname of gone) out.push({ op: 'removeInterface', ns, ifname });
  const ifnames = b.interfaces.map((i) => i.ifname);
  const order = orderAfter(
    a.interfaces.map((i) => i.ifname),
    gone,
    added,
  );
  if (!sameJson(order, ifnames)) out.push({ op: 'interfaceOrder', ns, ifnames });
  return out;
}

/** The patches that turn namespace `a` into `b` (same name), counters aside. */
function diffNamespace(a: ObservedNamespace, b: ObservedNamespace): ObservedPatch[] {
  const ns = b.name;
  const out: ObservedPatch[] = [];
  if (a.managed !== b.managed || a.forwarding !== b.forwarding)
    out.push({ op: 'namespaceFlags', ns, managed: b.managed, forwarding: b.forwarding ?? null });
  out.push(...diffInterfaces(a, b));
  if (!sameJson(a.routes, b.routes)) out.push({ op: 'routes', ns, routes: b.routes ?? null });
  const fwA = a.firewall && firewallWithoutCounters(a.firewall);
  const fwB = b.firewall && firewallWithoutCounters(b.firewall);
  if (!sameJson(fwA, fwB)) out.push({ op: 'firewall', ns, firewall: fwB ?? null });
  const put = fdbMinus(b.fdb, a.fdb).map(fdbWithoutAge);
  const drop = fdbMinus(a.fdb, b.fdb).map(fdbWithoutAge);
  if (put.length > 0 || drop.length > 0) out.push({ op: 'fdb', ns, put, drop });
  return out;
}

/**
 * What a client holding `previous` needs to hold `next` (nothing when only counters moved; every
 * namespace whole when it holds nothing yet). The state's target and takenAt are not patched: the
 * target never changes, and the `observed` message carries takenAt.
 */
export function diffObserved(previous: ObservedState | null, next: ObservedState): ObservedPatch[] {
  const before = new Map((previous?.namespaces ?? []).map((ns) => [ns.name, ns]));
  const after = new Set(next.namespaces.map((ns) => ns.name));
  const out: ObservedPatch[] = [];
  const added: string[] = [];
  for (const ns of next.namespaces) {
    const was = before.get(ns.name);
    // The same object (a read hands back what it did not read again): nothing changed in it.
    if (was === ns) continue;
    if (was) out.push(...diffNamespace(was, ns));
    else {
      out.push({ op: 'namespace', namespace: namespaceWithoutCounters(ns) });
      added.push(ns.name);
    }
  }
  const gone = new Set([...before.keys()].filter((n) => !after.has(n)));
  for (const name of gone) out.push({ op: 'removeNamespace', name });
  const names = next.namespaces.map((ns) => ns.name);
  if (previous && !sameJson(orderAfter([...before.keys()], gone, added), names))
    out.push({ op: 'namespaceOrder', names });
  return out;
}

/** The name of the namespace a patch changes (a client forgets that namespace's stale counters). */
export const patchedNamespace = (patch: ObservedPatch): string =>
  patch.op === 'namespace'
    ? patch.namespace.name
    : patch.op === 'removeNamespace'
      ? patch.name
      : patch.op === 'namespaceOrder'
        ? ''
        : patch.ns;

/** A patch that does not fit the state it is applied to: the client missed something. */
export class ObservedPatchMismatch extends Error {
  constructor(index: number, patch: ObservedPatch, what: string) {
    super(`observed patch ${index} (${patch.op}): ${what}`);
    this.name = 'ObservedPatchMismatch';
  }
}

/** `list` in the order `names` gives (every name must be there, once). */
function reorder<T>(
  list: readonly T[],
  nameOf: (x: T) => string,
  names: readonly string[],
  fail: (what: string) => Error,
): T[] {
  const byName = new Map(list.map((x) => [nameOf(x), x]));
  if (names.length !== list.length || new Set(names).size !== names.length)
    throw fail(`the order names ${names.length} items, the state has ${list.length}`);
  return names.map((n) => {
    const x = byName.get(n);
    if (x === undefined) throw fail(`no "${n}" to put in order`);
    return x;
  });
}

function applyToNamespace(
  ns: ObservedNamespace,
  patch: ObservedPatch,
  fail: (what: string) => Error,
): ObservedNamespace {
  const at = (ifname: string) => {
    const i = ns.interfaces.findIndex((x) => x.ifname === ifname);
    if (i < 0) throw fail(`namespace "${ns.name}" has no interface "${ifname}"`);
    return i;
  };
  const interfaces = [...ns.interfaces];
  switch (patch.op) {
    case 'namespaceFlags': {
      const { forwarding: _gone, ...rest } = ns;
      return {
        ...rest,
        managed: patch.managed,
        ...(patch.forwarding !== null ? { forwarding: patch.forwarding } : {}),
      };
    }
    case 'interface': {
      const i = interfaces.findIndex((x) => x.ifname === patch.interface.ifname);
      if (i < 0) interfaces.push(patch.interface);
      else interfaces[i] = { ...patch.interface, stats: patch.interface.stats ?? interfaces[i]!.stats };
      return { ...ns, interfaces };
    }
    case 'link': {
      const i = at(patch.ifname);
      const merged: ObservedInterface = { ...interfaces[i]!, ...patch.set };
      for (const key of patch.unset ?? []) delete merged[key];
      interfaces[i] = merged;
      return { ...ns, interfaces };
    }
    case 'removeInterface':
      interfaces.splice(at(patch.ifname), 1);
      return { ...ns, interfaces };
    case 'interfaceOrder':
      return { ...ns, interfaces: reorder(interfaces, (i) => i.ifname, patch.ifnames, fail) };
    case 'routes': {
      const { routes: _gone, ...rest } = ns;
      return patch.routes === null ? rest : { ...rest, routes: patch.routes };
    }
    case 'firewall': {
      const { firewall: _gone, ...rest } = ns;
      return patch.firewall === null ? rest : { ...rest, firewall: patch.firewall };
    }
    case 'fdb': {
      if (fdbMinus(patch.drop, ns.fdb).length > 0)
        throw fail(`namespace "${ns.name}" lacks an entry to drop`);
      return { ...ns, fdb: [...fdbMinus(ns.fdb, patch.drop), ...patch.put] };
    }
    default:
      throw fail('not a namespace patch');
  }
}

/** Interface stats of `before` kept in `after` where it has none (a patch never carries them). */
function keepStats(before: ObservedNamespace | undefined, after: ObservedNamespace): ObservedNamespace {
  const stats = new Map((before?.interfaces ?? []).map((i) => [i.ifname, i.stats]));
  return {
    ...after,
    interfaces: after.interfaces.map((i) => (i.stats ? i : { ...i, stats: stats.get(i.ifname) ?? null })),
  };
}

/**
 * `state` with `patches` applied, in order, as of `takenAt`. Throws ObservedPatchMismatch when a
 * patch names what the state does not have (the client and the agent no longer agree: it should
 * ask for the whole state again); `state` itself is never changed.
 */
export function applyObservedPatch(
  state: ObservedState,
  patches: readonly ObservedPatch[],
  takenAt: string = state.takenAt,
): ObservedState {
  let namespaces = [...state.namespaces];
  const index = (name: string) => namespaces.findIndex((ns) => ns.name === name);
  patches.forEach((patch, n) => {
    const fail = (what: string) => new ObservedPatchMismatch(n, patch, what);
    if (patch.op === 'namespace') {
      const i = index(patch.namespace.name);
      if (i < 0) namespaces.push(patch.namespace);
      else namespaces[i] = keepStats(namespaces[i], patch.namespace);
    } else if (patch.op === 'removeNamespace') {
      const i = index(patch.name);
      if (i >= 0) namespaces.splice(i, 1);
    } else if (patch.op === 'namespaceOrder') {
      namespaces = reorder(namespaces, (ns) => ns.name, patch.names, fail);
    } else {
      const i = index(patch.ns);
      if (i < 0) throw fail(`no namespace "${patch.ns}"`);
      namespaces[i] = applyToNamespace(namespaces[i]!, patch, fail);
    }
  });
  return { ...state, takenAt, namespaces };
}
