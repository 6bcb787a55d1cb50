import {
  ROOT,
  inSubnet,
  kernelLinkLocalOf,
  parseCidr,
  resolveTopology,
  type DesiredBridge,
  type DesiredVethEnd,
  type ObservedInterface,
  type ObservedState,
  type Plan,
  type PlanConflict,
  type Step,
  type Topology,
} from '@netcanvas/model';
import * as cmd from './commands';
import { effectsInPlay, planEffects } from './effects/plan';
import { planNetfilter } from './plan-netfilter';
import { planRootFirewall } from './plan-root-firewall';

/**
 * plan(desired, observed): the ordered steps that make the kernel match the document. Pure.
 *
 * - Nothing when the kernel already matches; only what differs otherwise.
 * - Deletes only what the lab owns: namespaces in its ownership record, interfaces in its link
 *   group. Anything else in the way becomes a conflict, and nothing is planned for it.
 * - Steps come in three waves the runner can batch: deletions inside namespaces, then everything
 *   in the lab's root (namespaces, bridges, veth pairs, ports), then configuration inside each
 *   namespace (lo, addresses, MTU, up). Steps in different namespaces of one wave commute.
 */
/** Up to this many interfaces, a namespace's are searched rather than mapped by name (`iface`). */
const FEW_INTERFACES = 8;

/**
 * `takeBack`: a converge ("Make the kernel match", asked by a person for the whole lab): a route
 * made by hand at the key of one of the topology's (its gateway changed at a terminal) is put back
 * as the topology has it, in place, rather than left as a conflict (plan-routes.ts).
 */
export interface PlanOptions {
  takeBack?: boolean;
}

export function plan(desired: Topology, observed: ObservedState, options: PlanOptions = {}): Plan {
  const resolved = resolveTopology(desired);
  const conflicts: PlanConflict[] = [];
  const early: Step[] = []; // deletions inside namespaces
  const root: Step[] = [];
  const late: Step[] = []; // configuration inside namespaces
  const wave = (context: string) => (context === ROOT ? root : late);

  const observedNs = new Map(observed.namespaces.map((ns) => [ns.name, ns]));
  // By name, made once per namespace asked: the lab's root holds a port per namespace, and a
  // search of its list for each would make a plan quadratic at 1,000 namespaces. A namespace of a
  // few interfaces is searched instead: a map for each of 1,000 of them cost more than it saved.
  const byName = new Map<string, Map<string, ObservedInterface>>();
  const iface = (context: string, ifname: string) => {
    const list = observedNs.get(context)?.interfaces;
    if (!list) return undefined;
    if (list.length <= FEW_INTERFACES) return list.find((i) => i.ifname === ifname);
    let names = byName.get(context);
    if (!names) {
      names = new Map(list.map((i) => [i.ifname, i]));
      byName.set(context, names);
    }
    return names.get(ifname);
  };

  // --- namespaces -------------------------------------------------------------------------
  const desiredNs = new Set(resolved.namespaces.map((ns) => ns.name));
  const deletedNs = new Set<string>();
  const createdNs = new Set<string>();
  const notes: string[] = [];
  for (const ns of observed.namespaces) {
    if (ns.name === ROOT || !ns.managed || desiredNs.has(ns.name)) continue;
    // Deleting a namespace deletes everything in it: keep it if it holds something made by hand.
    const foreign = ns.interfaces.filter((i) => !i.managed && i.ifname !== 'lo').map((i) => i.ifname);
    if (foreign.length > 0)
      notes.push(
        `kept namespace "${ns.name}": it holds interfaces netcanvas did not make (${foreign.join(', ')})`,
      );
    else deletedNs.add(ns.name);
  }
  resolved.namespaces.forEach((ns, i) => {
    const seen = observedNs.get(ns.name);
    if (seen && !seen.managed)
      conflicts.push({
        path: `namespaces[${i}]`,
        message: `namespace "${ns.name}" exists and netcanvas did not make it; rename yours or adopt it`,
      });
    if (!seen) createdNs.add(ns.name);
  });
  const usable = (context: string) =>
    context === ROOT || createdNs.has(context) || observedNs.get(context)?.managed === true;

  // --- which existing interfaces stay -------------------------------------------------------
  const key = (context: string, ifname: string) => `${context}\0${ifname}`;
  const kept = new Set<string>();
  const vethMatches = ([a, b]: [DesiredVethEnd, DesiredVethEnd]) => {
    const oa = iface(a.context, a.ifname);
    const ob = iface(b.context, b.ifname);
    return (
      oa?.kind === 'veth' &&
      ob?.kind === 'veth' &&
      oa.managed &&
      ob.managed &&
      oa.peer?.namespace === b.context &&
      oa.peer.ifindex === ob.ifindex
    );
  };
  for (const pair of resolved.veths)
    if (vethMatches(pair)) for (const end of pair) kept.add(key(end.context, end.ifname));
  for (const br of resolved.bridges) {
    const seen = iface(br.context, br.ifname);
    if (seen?.kind === 'bridge' && seen.managed) kept.add(key(br.context, br.ifname));
  }

  // --- deletions of owned interfaces (namespaces going away take theirs with them) ------------
  const deleted = new Set<string>();
  const docOrder = resolved.namespaces.map((ns) => ns.name);
  const docRank = rankOf(docOrder);
  const rankNs = (name: string) => (name === ROOT ? -1 : docRank(name));
  const observedInOrder = [...observed.namespaces].sort(
    (x, y) => rankNs(x.name) - rankNs(y.name) || x.name.localeCompare(y.name),
  );
  for (const ns of observedInOrder) {
    // Inside a namespace the lab does not own, nothing is touched, even an interface in its group.
    if (deletedNs.has(ns.name) || !ns.managed) continue;
    for (const seen of ns.interfaces) {
      const k = key(ns.name, seen.ifname);
      if (!seen.managed || kept.has(k) || deleted.has(k)) continue;
      deleted.add(k);
      // A veth's peer goes with it.
      if (seen.peer?.namespace && seen.peer.ifname) deleted.add(key(seen.peer.namespace, seen.peer.ifname));
      const target = ns.name === ROOT ? root : early;
      target.push(
        cmd.linkDel(ns.name, seen.ifname, 'owned, not in the topology as it is', seen.kind === 'bridge'),
      );
    }
  }
  for (const name of [...deletedNs].sort()) root.push(cmd.netnsDel(name));
  for (const name of createdNs) root.push(cmd.netnsAdd(name), cmd.netnsSetAuto(name));

  // An interface that exists, is not ours and is not going away blocks a desired one of that name.
  const blocked = (context: string, ifname: string, path: string): boolean => {
    if (!usable(context)) return true;
    const seen = iface(context, ifname);
    if (!seen || deleted.has(key(context, ifname)) || kept.has(key(context, ifname))) return false;
    conflicts.push({
      path,
      message: `interface "${ifname}" in ${describe(context)} exists and netcanvas did not make it; rename it or adopt it`,
    });
    return true;
  };

  const blockedBridges = new Set<string>();
  // --- bridges ------------------------------------------------------------------------------
  for (const br of resolved.bridges) {
    const k = key(br.context, br.ifname);
    if (kept.has(k)) configureBridge(br, iface(br.context, br.ifname) as ObservedInterface, wave(br.context));
    else if (blocked(br.context, br.ifname, `${br.path}.name`)) blockedBridges.add(br.ifname);
    else {
      wave(br.context).push(cmd.bridgeAdd(br.context, br.ifname, { stp: br.stp }));
      configureBridge(br, undefined, wave(br.context));
    }
  }

  // --- veth pairs ---------------------------------------------------------------------------
  for (const pair of resolved.veths) {
    const [a, b] = pair;
    if (kept.has(key(a.context, a.ifname))) {
      for (const end of pair) configureVethEnd(end, iface(end.context, end.ifname), wave(end.context));
      continue;
    }
    // A port of a bridge that is not ours would attach our veth to someone else's bridge.
    if ((a.master && blockedBridges.has(a.master)) || (b.master && blockedBridges.has(b.master))) continue;
    const aBlocked = blocked(a.context, a.ifname, `${a.path}.ifname`);
    const bBlocked = blocked(b.context, b.ifname, `${b.path}.ifname`);
    if (aBlocked || bBlocked) continue;
    const creator = cmd.vethAdd(a, b);
    (creator.context === ROOT ? root : late).push(creator);
    for (const end of pair) configureVethEnd(end, undefined, wave(end.context));
  }

  // A bridge made before bridges' MTUs were set with `link set` follows its ports: a port
  // joining it changes its MTU; set it again after the ports (see configureBridge).
  const joined = new Set(
    [...root, ...late].flatMap((s) => (s.effect.joinsBridge ? [key(s.context, s.effect.joinsBridge)] : [])),
  );
  for (const br of resolved.bridges) {
    const joining = joined.has(key(br.context, br.ifname));
    if (br.mtu !== undefined && joining && kept.has(key(br.context, br.ifname)))
      wave(br.context).push(cmd.linkSetMtu(br.context, br.ifname, br.mtu, 'a new port would change it'));
  }

  // --- lo, per namespace, first in each namespace's batch ----------------------------------
  const loSteps: Step[] = [];
  for (const ns of resolved.namespaces) {
    if (!usable(ns.name)) continue;
    const lo = iface(ns.name, 'lo');
    const loUp = lo ? lo.up : false; // a new namespace's lo is down
    if (loUp !== ns.loUp)
      loSteps.push(cmd.linkSetUp(ns.name, 'lo', ns.loUp, ns.loUp ? 'lo is down' : 'lo is up'));
  }

  // --- forwarding, routes, firewall: after interfaces exist (routes after their addresses) ---
  const netfilterRoot: Step[] = [];
  const routes: Step[] = [];
  desired.namespaces.forEach((ns, i) => {
    if (!usable(ns.name)) return;
    const part = planNetfilter(ns, observedNs.get(ns.name), `namespaces[${i}]`, options);
    netfilterRoot.push(...part.root);
    routes.push(...part.inNamespace);
    conflicts.push(...part.conflicts);
  });

  // --- the lab's root's own firewall: plain `iptables` in the root ---------------------------
  const rootFirewall = planRootFirewall(desired, observed);
  conflicts.push(...rootFirewall.conflicts);

  // --- link effects: last, once every interface they act on exists -------------------------
  const effects = effectsInPlay(desired, observed.namespaces)
    ? planEffects(desired, iface, (c) => usable(c) && !deletedNs.has(c), observed.namespaces)
    : { steps: [], conflicts: [] };
  conflicts.push(...effects.conflicts);

  return {
    steps: [
      ...byContext(early, docOrder),
      ...root,
      ...netfilterRoot,
      ...rootFirewall.steps,
      ...byContext([...loSteps, ...late, ...routes], docOrder),
      ...effects.steps,
    ],
    conflicts,
    notes,
  };
}

/**
 * A bridge's MTU is set with `link set`, never in `link add`: the kernel follows its ports' MTU
 * (a new port of 1500 lifts a bridge of 1400) unless the MTU was *changed* by the user, which
 * only `link set` to a different value records.
 */
function configureBridge(br: DesiredBridge, seen: ObservedInterface | undefined, out: Step[]): void {
  if (seen && seen.stp !== null && seen.stp !== br.stp)
    out.push(cmd.bridgeSetStp(br.context, br.ifname, br.stp));
  if (br.mtu !== undefined && (!seen || seen.mtu !== br.mtu))
    out.push(cmd.linkSetMtu(br.context, br.ifname, br.mtu, seen ? 'MTU drift' : 'its MTU'));
  // Set by `link set`, the MAC stays when ports come and go (unset, the bridge takes the lowest
  // of its ports', or all zeros when the last one leaves).
  if (br.mac !== undefined && seen?.mac !== br.mac)
    out.push(cmd.linkSetAddress(br.context, br.ifname, br.mac, seen ? 'MAC drift' : 'its MAC'));
  configureAddressesAndState(br, seen, out);
}

function configureVethEnd(end: DesiredVethEnd, seen: ObservedInterface | undefined, out: Step[]): void {
  if (seen) {
    if (end.mtu !== undefined && seen.mtu !== end.mtu)
      out.push(cmd.linkSetMtu(end.context, end.ifname, end.mtu, 'MTU drift'));
    if (end.mac !== undefined && seen.mac !== end.mac)
      out.push(cmd.linkSetAddress(end.context, end.ifname, end.mac, 'MAC drift'));
  }
  const master = seen ? seen.master : null;
  if (end.master !== undefined && master !== end.master)
    out.push(
      cmd.linkSetMaster(
        end.context,
        end.ifname,
        end.master,
        seen ? 'not a port of its bridge' : 'port of its bridge',
      ),
    );
  else if (end.master === undefined && master !== null)
    out.push(cmd.linkSetNomaster(end.context, end.ifname, master, `a port of ${master}, not wanted there`));
  configureAddressesAndState(end, seen, out);
}

const isIpv6 = (cidr: string) => cidr.includes(':');

function configureAddressesAndState(
  want: { context: string; ifname: string; addresses: string[]; up: boolean },
  seen: ObservedInterface | undefined,
  out: Step[],
): void {
  // Most interfaces of a lab already are as wanted: at 1,000 namespaces the sets below, made for
  // each of 2,000 ends on every edit, were a fifth of the plan's time.
  if (seen && seen.up === want.up && sameAddresses(seen, want.addresses)) return;
  // Taking a link down makes the kernel drop its IPv6 addresses (keep_addr_on_down is 0): go
  // down first, then add them (back), so that a down interface keeps the addresses it should have.
  const goingDown = seen?.up === true && !want.up;
  if (goingDown) out.push(cmd.linkSetUp(want.context, want.ifname, false, 'is up'));
  const have = new Set((seen?.addresses ?? []).filter((cidr) => !(goingDown && isIpv6(cidr))));
  const wanted = new Set(want.addresses);
  const kernels = seen ? kernelLinkLocalOf(seen) : [];
  const removing = [...have].filter((cidr) => !wanted.has(cidr) && !kernels.includes(cidr));
  // Deleting an IPv4 address that is primary in its subnet makes the kernel delete the subnet's
  // secondary addresses too; those we keep are deleted first and added back, so the end state holds.
  // Only a primary: deleting a secondary leaves the others (and the routes through the primary,
  // which a delete and add again would take with it).
  const parsedRemoving = removing.flatMap((cidr) => {
    const p = parseCidr(cidr);
    return p.ok && p.value.family === 4 && isPrimary(cidr, seen?.addresses ?? []) ? [p.value] : [];
  });
  const sharesSubnet = (cidr: string) => {
    const p = parseCidr(cidr);
    return (
      p.ok &&
      p.value.family === 4 &&
      parsedRemoving.some((r) => r.prefix === p.value.prefix && inSubnet(p.value.ip, r))
    );
  };
  const readd = want.addresses.filter((cidr) => have.has(cidr) && sharesSubnet(cidr));
  for (const cidr of readd)
    out.push(
      cmd.addrDel(want.context, want.ifname, cidr, 'to add it back once its primary goes', { readd: true }),
    );
  for (const cidr of removing) out.push(cmd.addrDel(want.context, want.ifname, cidr));
  for (const cidr of want.addresses)
    if (!have.has(cidr) || readd.includes(cidr))
      out.push(
        cmd.addrAdd(
          want.context,
          want.ifname,
          cidr,
          have.has(cidr) ? 'address re-added: its subnet lost its primary' : undefined,
        ),
      );
  const up = seen ? seen.up : false; // new interfaces start down
  if (up !== want.up && !goingDown)
    out.push(
      cmd.linkSetUp(want.context, want.ifname, want.up, want.up ? (seen ? 'is down' : 'bring up') : 'is up'),
    );
}

/**
 * Whether an IPv4 address is the primary one of its subnet on its interface: the kernel lists an
 * interface's addresses primaries first, each secondary after the primary of its subnet (it
 * appends them), so the first address seen of a subnet is its primary.
 */
function isPrimary(cidr: string, seen: readonly string[]): boolean {
  const p = parseCidr(cidr);
  if (!p.ok) return false;
  const first = seen.find((other) => {
    const o = parseCidr(other);
    return o.ok && o.value.family === 4 && o.value.prefix === p.value.prefix && inSubnet(o.value.ip, p.value);
  });
  return first === cidr;
}

/**
 * The addresses wanted are those seen, the kernel's own link-local one aside: the kernel adds it to
 * every interface that comes up, so it is not drift. Any other fe80 address is (one the document
 * had, or one typed by hand): the reader tells them apart (`kernelLinkLocal`), not the prefix.
 */
function sameAddresses(seen: ObservedInterface, wanted: readonly string[]): boolean {
  const kernels = kernelLinkLocalOf(seen);
  return (
    wanted.every((cidr) => seen.addresses.includes(cidr)) &&
    seen.addresses.every((cidr) => wanted.includes(cidr) || kernels.includes(cidr))
  );
}

/**
 * Groups steps by namespace, in the document's order of namespaces (others after, by name), keeping
 * each namespace's own order: a plan reads the same every time, and each group is one batch.
 */
function byContext(steps: Step[], order: string[]): Step[] {
  const rank = rankOf(order);
  return steps
    .map((step, i) => ({ step, i }))
    .sort(
      (x, y) =>
        rank(x.step.context) - rank(y.step.context) ||
        x.step.context.localeCompare(y.step.context) ||
        x.i - y.i,
    )
    .map(({ step }) => step);
}

/** A name's place in `order` (names not in it after all), looked up in a map made once. */
function rankOf(order: readonly string[]): (name: string) => number {
  const index = new Map<string, number>();
  order.forEach((name, i) => {
    if (!index.has(name)) index.set(name, i);
  });
  return (name) => index.get(name) ?? order.length;
}

const describe = (context: string) => (context === ROOT ? "the lab's root" : `namespace "${context}"`);
