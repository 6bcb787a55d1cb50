import type { ObservedRoute, ObservedStats } from '@netcanvas/model';
import { parseLinksKnowing, qdiscOf, type ParsedInterface } from './parse';
import { parseForwarding, parseRoutes } from './parse-netfilter';
import type { RawNamespace } from './observe';
import { withKeys } from './shapes';

/**
 * Reading part of a namespace: the interfaces an event or the writer named, or only the links
 * and their counters. A full read of a namespace dumps every interface with its addresses, every
 * route and every setting: in a lab's root with 1,000 bridge ports that is ~2.5 MB of JSON and
 * 150–250 ms here, paid for each port that goes down and once a second for the rates. A port is
 * ~1 ms read alone (docs/benchmarks.md, "Reading what changed"). Whatever a partial read cannot
 * answer for sure (a name it does not know, an ifindex that is not the one the event named, links
 * that came or went) makes it give up, and the namespace is read whole instead.
 */

/** One interface to read again: by ifindex (an event), by name (the writer), or gone. */
export interface InterfaceMark {
  ifindex?: number;
  ifname?: string;
  /** The link went (a `Deleted` link line): dropped without a read. */
  deleted?: boolean;
  /**
   * Only the routes through it changed (a route line of the lab's root naming it): `route show
   * table all dev X`, not its addresses; a device gone by then has its routes dropped.
   */
  routesOnly?: boolean;
}

/**
 * What to read of a namespace: some interfaces (`addr show dev X`, and the routes through them:
 * `route show table all dev X`), then, for the sample, every interface with its counters (`addr
 * show`, without the routes and settings a whole read takes too).
 */
export interface PartialRead {
  marks: readonly InterfaceMark[];
  counters: boolean;
  /** Every route again (`route show table all`): a route line that names no device the read can trust. */
  routes?: boolean;
  /** IPv4 forwarding again (`netconf show`): a netconf line of "all". */
  forwarding?: boolean;
}

/**
 * The namespace's counters without `ip` (net-dev.ts: the lab's root's `/proc/PID/net/dev`), when
 * the sample may take them so: null, or interfaces other than those known, and `addr show` reads them.
 */
export type CountersOnly = () => Promise<ReadonlyMap<string, ObservedStats> | null>;

/** Asks one namespace's session; null when the answer could not be had (the namespace is read whole). */
export type AskOne = (commands: readonly string[]) => Promise<unknown[] | null>;

/** The most interfaces read one by one in a namespace; beyond it, one dump is cheaper. */
export const MAX_MARKS = 16;

/**
 * The counters found links that came, went or were renamed since the last read: a read that
 * leaves those to the events that name them (`leaveChangedLinks`) keeps the namespace as it was.
 */
export const LINKS_CHANGED = Symbol('links changed');

/**
 * The namespace after a partial read, or null: read it whole. `leaveChangedLinks`: links that
 * came or went since the last read are not read here (LINKS_CHANGED; not `addr show` after the
 * counters from /proc, not a whole read after `addr show`).
 */
export async function readPartially(
  raw: RawNamespace,
  partial: PartialRead,
  ask: AskOne,
  countersOnly?: CountersOnly,
  leaveChangedLinks?: false,
): Promise<RawNamespace | null>;
export async function readPartially(
  raw: RawNamespace,
  partial: PartialRead,
  ask: AskOne,
  countersOnly: CountersOnly | undefined,
  leaveChangedLinks: boolean,
): Promise<RawNamespace | null | typeof LINKS_CHANGED>;
export async function readPartially(
  raw: RawNamespace,
  partial: PartialRead,
  ask: AskOne,
  countersOnly?: CountersOnly,
  leaveChangedLinks = false,
): Promise<RawNamespace | null | typeof LINKS_CHANGED> {
  if (partial.marks.length > MAX_MARKS) return null;
  const marked = partial.marks.length > 0 ? await readInterfaces(raw, partial.marks, ask) : raw;
  const named =
    marked && (partial.routes || partial.forwarding) ? await readSettings(marked, partial, ask) : marked;
  if (!named || !partial.counters) return named;
  if (countersOnly) {
    const stats = await countersOnly();
    const fromCounters = withCounters(named, stats);
    if (fromCounters) return fromCounters;
    // Read, and not the interfaces known: one came, went or was renamed. (Not read: `addr show`.)
    if (stats && leaveChangedLinks) return LINKS_CHANGED;
  }
  const counted = await readCounters(named, ask);
  return counted === LINKS_CHANGED && !leaveChangedLinks ? null : counted;
}

/**
 * The interfaces as they were, with these counters: null unless they are exactly the interfaces
 * known (one came, went or was renamed: `addr show` reads the namespace as it is).
 */
export function withCounters(
  raw: RawNamespace,
  stats: ReadonlyMap<string, ObservedStats> | null,
): RawNamespace | null {
  if (!stats || stats.size !== raw.interfaces.length) return null;
  const interfaces: ParsedInterface[] = [];
  for (const iface of raw.interfaces) {
    const counters = stats.get(iface.ifname);
    if (!counters) return null;
    const next = { ...iface, stats: counters };
    const qdisc = qdiscOf.get(iface);
    if (qdisc !== undefined) qdiscOf.set(next, qdisc);
    interfaces.push(next);
  }
  return { ...raw, interfaces };
}

/**
 * Every interface with its addresses and counters (`addr show`), routes and settings kept: the
 * sample's read. Not `link show` (cheaper still): the kernel adds an IPv6 link-local address a
 * moment after a link comes up, and no event was seen for it on a bridge port here (kernel 6.18),
 * so only a read of addresses finds it.
 */
async function readCounters(
  raw: RawNamespace,
  ask: AskOne,
): Promise<RawNamespace | null | typeof LINKS_CHANGED> {
  const [links] = (await ask(['addr show'])) ?? [];
  if (links === undefined) return null;
  const fresh = parseLinksKnowing(links, raw.interfaces);
  const before = new Map(raw.interfaces.map((i) => [i.ifindex, i]));
  // Links that came, went or were renamed: the routes through them are read whole (or by the
  // events that name them).
  if (fresh.length !== raw.interfaces.length || fresh.some((i) => before.get(i.ifindex)?.ifname !== i.ifname))
    return LINKS_CHANGED;
  for (const iface of fresh) {
    const was = before.get(iface.ifindex) as ParsedInterface;
    // Link effects are read with a dump (effects/observe.ts); a qdisc changed by hand is read again.
    if (qdiscOf.get(iface) === qdiscOf.get(was) && was.effects !== undefined) iface.effects = was.effects;
  }
  return { ...raw, interfaces: fresh };
}

/** The namespace's routes, or its forwarding, read again (a route or netconf line named it). */
async function readSettings(
  raw: RawNamespace,
  { routes, forwarding }: PartialRead,
  ask: AskOne,
): Promise<RawNamespace | null> {
  const commands = [...(routes ? ['route show table all'] : []), ...(forwarding ? ['netconf show'] : [])];
  const answers = await ask(commands);
  if (!answers || answers.length < commands.length) return null;
  const next = { ...raw };
  if (routes) next.routes = parseRoutes(answers[0] ?? []);
  if (forwarding) next.forwarding = parseForwarding(answers[routes ? 1 : 0] ?? []);
  return next;
}

async function readInterfaces(
  raw: RawNamespace,
  marks: readonly InterfaceMark[],
  ask: AskOne,
): Promise<RawNamespace | null> {
  let interfaces = [...raw.interfaces];
  let routes = raw.routes;
  const nameOf = new Map(raw.interfaces.map((i) => [i.ifindex, i.ifname]));
  // Read in this pass, by name, with the index the read found: a mark of the same interface
  // another way (by index from an address line, by name from the writer) is answered already.
  const readNow = new Map<string, number>();
  for (const mark of marks) {
    const known = mark.ifindex !== undefined ? nameOf.get(mark.ifindex) : mark.ifname;
    if (mark.deleted) {
      if (known !== undefined) readNow.delete(known);
      if (mark.ifname !== undefined) readNow.delete(mark.ifname);
      const gone = interfaces.find((i) =>
        mark.ifindex !== undefined ? i.ifindex === mark.ifindex : i.ifname === mark.ifname,
      );
      if (gone) {
        readNow.delete(gone.ifname);
        interfaces = interfaces.filter((i) => i !== gone);
        routes = routes && withoutDev(routes, gone.ifname);
      }
      continue;
    }
    if (mark.routesOnly) {
      routes = await readDevRoutes(routes, mark.ifname, readNow, ask);
      continue;
    }
    const ifname = mark.ifname ?? known;
    if (ifname === undefined) return null; // an interface this read never saw: a new one
    const found = readNow.get(ifname);
    if (found !== undefined && (mark.ifindex === undefined || mark.ifindex === found)) continue;
    const answers = await ask([`addr show dev ${ifname}`, `route show table all dev ${ifname}`]);
    const [link] = answers?.[0] === undefined ? [] : parseLinksKnowing(answers[0], interfaces);
    if (!link || (mark.ifindex !== undefined && link.ifindex !== mark.ifindex)) return null;
    readNow.set(link.ifname, link.ifindex);
    const was = interfaces.find((i) => i.ifindex === link.ifindex);
    interfaces = was ? interfaces.map((i) => (i === was ? link : i)) : insertByIndex(interfaces, link);
    if (routes) {
      const kept = was && was.ifname !== link.ifname ? withoutDev(routes, was.ifname) : routes;
      routes = replaceDevRoutes(kept, link.ifname, parseRoutes(answers?.[1] ?? []));
    }
  }
  return { ...raw, interfaces, ...(routes ? { routes } : {}) };
}

/** The routes through `dev` read again, unless this pass read its interface (and routes) already. */
async function readDevRoutes(
  routes: ObservedRoute[] | undefined,
  dev: string | undefined,
  readNow: ReadonlyMap<string, number>,
  ask: AskOne,
): Promise<ObservedRoute[] | undefined> {
  if (!routes || dev === undefined || readNow.has(dev)) return routes;
  const [through] = (await ask([`route show table all dev ${dev}`])) ?? [];
  // No answer: the device went (its link line comes too), and its routes with it.
  return through === undefined
    ? withoutDev(routes, dev)
    : replaceDevRoutes(routes, dev, parseRoutes(through));
}

const withoutDev = (routes: readonly ObservedRoute[], dev: string) => routes.filter((r) => r.dev !== dev);

/**
 * The namespace's routes with those through `dev` replaced by `fresh` (as `route show dev X`
 * prints them: without the dev, which the filter implies), where the first of the old ones was.
 */
export function replaceDevRoutes(
  routes: readonly ObservedRoute[],
  dev: string,
  fresh: readonly ObservedRoute[],
): ObservedRoute[] {
  const through = fresh.map((r) => withKeys(r, { dev }));
  const at = routes.findIndex((r) => r.dev === dev);
  const rest = withoutDev(routes, dev);
  if (at < 0) return [...rest, ...through];
  const before = routes.slice(0, at).filter((r) => r.dev !== dev);
  return [...before, ...through, ...rest.slice(before.length)];
}

function insertByIndex(interfaces: readonly ParsedInterface[], link: ParsedInterface): ParsedInterface[] {
  const at = interfaces.findIndex((i) => i.ifindex > link.ifindex);
  return at < 0 ? [...interfaces, link] : [...interfaces.slice(0, at), link, ...interfaces.slice(at)];
}
