import type { CanvasNode, EdgeEnds, Graph, GraphSkeleton, NodeBox, VethEdge } from './types';

/** A node or edge of the graph: what is known of it cheaply, and how its object is made. */
export interface Part<B, T> {
  box: B;
  make: () => T;
}

/** Objects made once each, on first ask, in `parts`' order; by id, the first part with it. */
function madeOnce<B extends { id: string }, T>(parts: readonly Part<B, T>[]) {
  const made: (T | undefined)[] = new Array<T | undefined>(parts.length);
  const at = (i: number): T => (made[i] ??= parts[i]!.make());
  const indexOf = new Map<string, number>();
  parts.forEach((p, i) => {
    if (!indexOf.has(p.box.id)) indexOf.set(p.box.id, i);
  });
  let all: T[] | undefined;
  return {
    boxes: parts.map((p) => p.box),
    byId: (id: string): T | undefined => {
      const i = indexOf.get(id);
      return i === undefined ? undefined : at(i);
    },
    all: (): T[] => (all ??= parts.map((_, i) => at(i))),
  };
}

/**
 * A graph whose `nodes` and `edges` are made when first read, every one then, and whose skeleton
 * (not enumerable: equality, spreading and JSON see nodes and edges only) gives every box and
 * edge's ends at once and each object alone: the same object `nodes` or `edges` later holds.
 */
export function lazyGraph(
  nodes: readonly Part<NodeBox, CanvasNode>[],
  edges: readonly Part<EdgeEnds, VethEdge>[],
): Graph {
  const n = madeOnce(nodes);
  const e = madeOnce(edges);
  const skeleton: GraphSkeleton = { boxes: n.boxes, links: e.boxes, node: n.byId, edge: e.byId };
  const graph = {
    get nodes() {
      return n.all();
    },
    get edges() {
      return e.all();
    },
  } as Graph;
  Object.defineProperty(graph, 'skeleton', { value: skeleton, enumerable: false });
  return graph;
}

const boxOf = (n: CanvasNode): NodeBox => ({
  id: n.id,
  type: n.type === 'bridge' ? 'bridge' : 'card',
  position: n.position,
  width: n.width ?? 0,
  height: n.height ?? 0,
});

/** A graph's skeleton: the adapter's own, or one read off a graph made another way (tests). */
export function skeletonOf(graph: Graph): GraphSkeleton {
  if (graph.skeleton) return graph.skeleton;
  const nodes = new Map(graph.nodes.map((x) => [x.id, x]));
  const edges = new Map(graph.edges.map((x) => [x.id, x]));
  return {
    boxes: graph.nodes.map(boxOf),
    links: graph.edges.map(({ id, source, target }) => ({ id, source, target })),
    node: (id) => nodes.get(id),
    edge: (id) => edges.get(id),
  };
}
