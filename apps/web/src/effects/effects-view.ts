import {
  effectsDrift,
  effectsInForce,
  effectsLabel,
  endpointPlacement,
  findInterface,
  type EndpointSpec,
  type LinkEffects,
  type LinkSpec,
  type ObservedQdisc,
  type ObservedState,
  type Topology,
} from '@netcanvas/model';

/** One end's effects as the inspector and the edge's badge show them. */
export interface EndEffects {
  end: EndpointSpec;
  /** The document's. */
  wanted: LinkEffects | undefined;
  /** The kernel's (the helper's and the lab's tbf); undefined when none or not read. */
  inForce: LinkEffects | undefined;
  /** A sentence when they differ, once the kernel has been read. */
  drift: string | null;
  /** A root qdisc made by hand on the end, which adopting takes the rate of. */
  handMade: ObservedQdisc | null;
}

/** The document's links by each end's `node:ifname`, made once per document (every edge asks). */
const indexes = new WeakMap<Topology, Map<string, LinkSpec>>();
function linkIndex(doc: Topology): Map<string, LinkSpec> {
  let index = indexes.get(doc);
  if (!index) {
    index = new Map(
      doc.links.flatMap((l) => [
        [`${l.a.node}:${l.a.ifname}`, l] as const,
        [`${l.b.node}:${l.b.ifname}`, l] as const,
      ]),
    );
    indexes.set(doc, index);
  }
  return index;
}

/**
 * The effects of the document's end `node:ifname`, and what the kernel has for it. A bridge port's
 * helper runs at its peer, on what comes in (docs/link-effects.md); its rate is on the port itself.
 */
export function endEffects(
  doc: Topology,
  observed: ObservedState | null,
  node: string,
  ifname: string,
): EndEffects | null {
  const link = linkIndex(doc).get(`${node}:${ifname}`);
  if (!link) return null;
  const [end, peer] = link.a.node === node && link.a.ifname === ifname ? [link.a, link.b] : [link.b, link.a];
  const here = endpointPlacement(doc, end.node);
  const there = endpointPlacement(doc, peer.node);
  if (!here || !there) return null;
  const self = observed ? findInterface(observed, here.context, end.ifname) : undefined;
  const helperAt =
    here.master === undefined
      ? self?.effects?.out
      : observed && findInterface(observed, there.context, peer.ifname)?.effects?.in;
  const qdisc = self?.effects?.qdisc ?? null;
  const inForce = effectsInForce(helperAt ?? null, qdisc);
  return {
    end,
    wanted: end.effects,
    inForce,
    drift: self ? effectsDrift(end.ifname, end.effects, inForce) : null,
    handMade: qdisc && !qdisc.managed ? qdisc : null,
  };
}

/** The badge of a link: each end's effects that are set, named by end when both have some. */
export function linkBadge(
  a: EndEffects | null,
  b: EndEffects | null,
): { text: string; drift: boolean } | null {
  const parts = [a, b].flatMap((e) =>
    e?.wanted ? [{ who: e.end.ifname, text: effectsLabel(e.wanted) }] : [],
  );
  const drift = [a, b].some((e) => e?.drift);
  if (parts.length === 0) return drift ? { text: 'effects drift', drift } : null;
  const text =
    parts.length === 1 ? (parts[0]?.text ?? '') : parts.map((p) => `${p.who}: ${p.text}`).join('  ');
  return { text, drift };
}
