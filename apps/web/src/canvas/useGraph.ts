import { buildGraph, type GraphInput } from '../adapters/graph';
import type { Graph } from '../adapters/types';
import { useLayout } from '../store/layout';
import { useSession } from '../store/session';

let last: { input: GraphInput; graph: Graph } | null = null;

/** Built once per change of its inputs, however many components ask (the canvas and the inspector). */
function graphFor(input: GraphInput): Graph {
  if (
    last &&
    last.input.document === input.document &&
    last.input.observed === input.observed &&
    last.input.editable === input.editable &&
    last.input.pending === input.pending &&
    last.input.local === input.local
  )
    return last.graph;
  last = { input, graph: buildGraph(input) };
  return last.graph;
}

/** The adapter's output for what the agent last said. */
export function useGraph(): Graph {
  const document = useSession((s) => s.document);
  const observed = useSession((s) => s.observed);
  const editable = useSession((s) => s.role === 'editor');
  const pending = useLayout((s) => s.pending);
  const local = useLayout((s) => s.local);
  return graphFor({ document, observed, editable, pending, local });
}
