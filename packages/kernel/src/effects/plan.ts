import {
  ROOT,
  endpointPlacement,
  helperPart,
  sameHelperEffects,
  type EndpointSpec,
  type ObservedInterface,
  type ObservedNamespace,
  type PlanConflict,
  type Step,
  type Topology,
} from '@netcanvas/model';
import { fxStart, fxStop, qdiscDel, tbfSet, type FxDirection } from './commands';

/** Where an end's effects are done: the helper's interface and direction, and the rate's interface. */
interface EffectsPlace {
  /** The helper's namespace, interface and direction; null where it cannot run (two bridges). */
  helper: { context: string; dev: string; dir: FxDirection } | null;
  rate: { context: string; dev: string };
}

/**
 * A veth end in a namespace (or the lab's root) holds what leaves it. A bridge port's packets are
 * bridged, never seen by the IP hooks the helper queues from, so its delay, loss… are done where
 * they arrive: at the port's peer, on what comes in (docs/link-effects.md). A rate is tbf's on
 * the end itself, bridged or not.
 */
export function effectsPlace(doc: Topology, end: EndpointSpec, peer: EndpointSpec): EffectsPlace | null {
  const here = endpointPlacement(doc, end.node);
  const there = endpointPlacement(doc, peer.node);
  if (!here || !there) return null;
  const rate = { context: here.context, dev: end.ifname };
  if (here.master === undefined)
    return { helper: { context: here.context, dev: end.ifname, dir: 'out' }, rate };
  if (there.master === undefined)
    return { helper: { context: there.context, dev: peer.ifname, dir: 'in' }, rate };
  return { helper: null, rate };
}

type Seen = (context: string, ifname: string) => ObservedInterface | undefined;

/**
 * The steps that put each end's effects in force, after the plan's interfaces exist: nothing when
 * the kernel has them already (a re-apply runs no command). Only the lab's own are changed: the
 * helper (netcanvas-fx is only ever the lab's) and a root qdisc with the lab's handle; a qdisc
 * made by hand is left alone, and a rate wanted over it is a conflict, unless it is a tbf at that
 * very rate: the document took its value (adopt), and the lab's replaces it.
 */
export function planEffects(
  doc: Topology,
  seen: Seen,
  usable: (context: string) => boolean,
  observed: readonly ObservedNamespace[] = [],
): { steps: Step[]; conflicts: PlanConflict[] } {
  const steps: Step[] = [];
  const conflicts: PlanConflict[] = [];
  const wanted = new Set<string>();
  doc.links.forEach((link, i) => {
    for (const side of ['a', 'b'] as const) {
      const end = link[side];
      const place = effectsPlace(doc, end, link[side === 'a' ? 'b' : 'a']);
      if (!place) continue;
      if (place.helper) wanted.add(helperKey(place.helper.context, place.helper.dev, place.helper.dir));
      // Most ends have no effects and none in force: nothing to plan (and nothing to allocate).
      if (end.effects === undefined && !hasEffects(place, seen)) continue;
      const at = `links[${i}].${side}.effects`;
      if (place.helper && usable(place.helper.context)) steps.push(...planHelper(end, place.helper, seen));
      if (usable(place.rate.context)) {
        const rate = planRate(end, place.rate, seen, `${at}.rateKbit`);
        steps.push(...rate.steps);
        conflicts.push(...rate.conflicts);
      }
    }
  });
  steps.push(...strayHelpers(observed, wanted, usable));
  return { steps, conflicts };
}

/**
 * Whether `planEffects` can plan anything: an end of the document has effects, or an interface of
 * the kernel has some in force (a helper, a qdisc). Most labs have none; the plan then need not
 * place the 2,000 ends of 1,000 links (a third of a plan at 1,000 namespaces).
 */
export const effectsInPlay = (doc: Topology, observed: readonly ObservedNamespace[]): boolean =>
  doc.links.some((l) => l.a.effects !== undefined || l.b.effects !== undefined) ||
  observed.some((ns) =>
    ns.interfaces.some((i) => Boolean(i.effects?.out || i.effects?.in || i.effects?.qdisc)),
  );

const helperKey = (context: string, dev: string, dir: FxDirection) => `${context}\0${dev}\0${dir}`;

/** Whether the kernel has effects in force where an end's would be: a helper, or a qdisc. */
function hasEffects(place: EffectsPlace, seen: Seen): boolean {
  const { helper, rate } = place;
  if (helper && seen(helper.context, helper.dev)?.effects?.[helper.dir]) return true;
  return Boolean(seen(rate.context, rate.dev)?.effects?.qdisc);
}

/**
 * Helpers on the lab's interfaces that no end of the document wants any more (its link was
 * removed, or went to another end): stopped, or they would go on matching the name.
 */
function strayHelpers(
  observed: readonly ObservedNamespace[],
  wanted: ReadonlySet<string>,
  usable: (context: string) => boolean,
): Step[] {
  const steps: Step[] = [];
  for (const ns of observed) {
    if (!ns.managed || !usable(ns.name)) continue;
    for (const iface of ns.interfaces)
      for (const dir of ['out', 'in'] as const)
        if (iface.managed && iface.effects?.[dir] && !wanted.has(helperKey(ns.name, iface.ifname, dir)))
          steps.push(fxStop(ns.name, iface.ifname, dir, 'effects not in the topology'));
  }
  return steps;
}

function planHelper(end: EndpointSpec, where: NonNullable<EffectsPlace['helper']>, seen: Seen): Step[] {
  const { context, dev, dir } = where;
  const iface = seen(context, dev);
  if (iface && !iface.managed) return [];
  const want = helperPart(end.effects);
  const have = iface?.effects?.[dir] ?? null;
  if (sameHelperEffects(want, have)) return [];
  if (want === null) return [fxStop(context, dev, dir, 'effects not in the topology')];
  return [fxStart(context, dev, dir, want, have ? 'effects drift' : 'effects wanted')];
}

function planRate(
  end: EndpointSpec,
  where: EffectsPlace['rate'],
  seen: Seen,
  at: string,
): { steps: Step[]; conflicts: PlanConflict[] } {
  const { context, dev } = where;
  const iface = seen(context, dev);
  const none = { steps: [], conflicts: [] };
  if (iface && !iface.managed) return none;
  const want = end.effects?.rateKbit;
  const qdisc = iface?.effects?.qdisc ?? null;
  if (qdisc && !qdisc.managed) {
    if (want === undefined) return none;
    if (qdisc.kind === 'tbf' && qdisc.rateKbit === want)
      return {
        steps: [tbfSet(context, dev, want, "adopted: the tbf made by hand becomes the lab's")],
        conflicts: [],
      };
    const where = context === ROOT ? "the lab's root" : `namespace "${context}"`;
    return {
      steps: [],
      conflicts: [
        {
          path: at,
          message: `${dev} in ${where} has a ${qdisc.kind} qdisc netcanvas did not make; adopt it (its rate) or remove it`,
        },
      ],
    };
  }
  if (want === undefined) return qdisc ? { steps: [qdiscDel(context, dev)], conflicts: [] } : none;
  if (qdisc?.kind === 'tbf' && qdisc.rateKbit === want) return none;
  return { steps: [tbfSet(context, dev, want, qdisc ? 'rate drift' : 'rate wanted')], conflicts: [] };
}
