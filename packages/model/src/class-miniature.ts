import { ROOT } from './names';
import type { ObservedInterface, ObservedState } from './observed';
import type { GoalSummary, MiniEdge, MiniNode, MiniState, Miniature } from './protocol-class';
import type { LessonProgress, LessonView } from './protocol-lesson';
import type { EndpointSpec, Topology } from './topology';

/**
 * A student's lab drawn small for the trainer's overview: each namespace and bridge of the
 * document (where the student put it), each veth, coloured by what the kernel has; namespaces the
 * kernel has and the document lacks (made in a terminal) as `unmanaged`. Pure: the agent computes
 * it from its document and live state; the page only draws it.
 */
export function classMiniature(document: Topology, observed: ObservedState | null): Miniature {
  const find = interfaceFinder(observed);
  const nodes: MiniNode[] = [];
  const place = placer(document);
  for (const ns of document.namespaces) {
    const there = observed === null || observed.namespaces.some((o) => o.name === ns.name);
    const ends = endsOn(document, ns.name);
    const state: MiniState = !there
      ? 'missing'
      : worst(ends.map((end) => endState(end, find(ns.name, end.ifname))));
    nodes.push({ name: ns.name, kind: 'namespace', ...place(ns.name, ns.position), state });
  }
  for (const bridge of document.bridges) {
    const found = find(bridge.namespace ?? ROOT, bridge.name);
    const state: MiniState = !found
      ? 'missing'
      : found.up === bridge.up
        ? bridge.up
          ? 'ok'
          : 'down'
        : 'drift';
    nodes.push({ name: bridge.name, kind: 'bridge', ...place(bridge.name, bridge.position), state });
  }
  for (const ns of observed?.namespaces ?? [])
    if (ns.name !== ROOT && !document.namespaces.some((d) => d.name === ns.name))
      nodes.push({ name: ns.name, kind: 'namespace', ...place(ns.name, undefined), state: 'unmanaged' });
  const edges: MiniEdge[] = document.links.map((link) => ({
    a: link.a.node,
    b: link.b.node,
    state: worst(
      [link.a, link.b].map((end) => endState(end, find(contextOf(document, end.node), end.ifname))),
    ),
  }));
  return { nodes, edges };
}

/** The namespace an end's interface lives in: its own, its bridge's, or the lab's root. */
function contextOf(document: Topology, node: string): string {
  const bridge = document.bridges.find((b) => b.name === node);
  return bridge ? (bridge.namespace ?? ROOT) : node;
}

function endsOn(document: Topology, node: string): EndpointSpec[] {
  return document.links.flatMap((l) => [l.a, l.b]).filter((end) => end.node === node);
}

function interfaceFinder(observed: ObservedState | null) {
  return (context: string, ifname: string): ObservedInterface | null | undefined => {
    // Not read yet: nothing to say against the document.
    if (observed === null) return undefined;
    const ns = observed.namespaces.find((n) => n.name === context);
    return ns?.interfaces.find((i) => i.ifname === ifname) ?? null;
  };
}

/** One end against the kernel: missing, wanted down, drifted (state or an address), or ok. */
function endState(end: EndpointSpec, found: ObservedInterface | null | undefined): MiniState {
  if (found === undefined) return 'ok';
  if (found === null) return 'missing';
  if (found.up !== end.up) return 'drift';
  if (end.addresses.some((a) => !found.addresses.includes(a))) return 'drift';
  return end.up ? 'ok' : 'down';
}

const SEVERITY: Record<MiniState, number> = { ok: 0, down: 1, unmanaged: 2, drift: 3, missing: 4 };

/** The worst of several states (none: ok). */
function worst(states: MiniState[]): MiniState {
  return states.reduce<MiniState>((w, s) => (SEVERITY[s] > SEVERITY[w] ? s : w), 'ok');
}

/** Where a node is drawn: where the student put it, else on a row below what was placed. */
function placer(document: Topology) {
  const placed = [...document.namespaces, ...document.bridges].flatMap((n) =>
    n.position ? [n.position] : [],
  );
  const below = placed.length === 0 ? 0 : Math.max(...placed.map((p) => p.y)) + 160;
  let next = 0;
  return (_name: string, position: { x: number; y: number } | undefined) => {
    if (position) return { x: position.x, y: position.y };
    const k = next++;
    return { x: (k % 4) * 300, y: below + Math.floor(k / 4) * 160 };
  };
}

/**
 * A student's lesson in one line's worth (the overview's card): the open step's goals met of its
 * total, which step of how many, its title. Null without a lesson or before its progress.
 */
export function classGoals(lesson: LessonView | null, progress: LessonProgress | null): GoalSummary | null {
  if (lesson === null || progress === null) return null;
  const step = lesson.steps[progress.step];
  return {
    met: progress.goals.filter((g) => g.state === 'met').length,
    total: progress.goals.length,
    step: progress.step + 1,
    steps: lesson.steps.length,
    stepTitle: step?.title ?? '',
    done: progress.complete,
  };
}
