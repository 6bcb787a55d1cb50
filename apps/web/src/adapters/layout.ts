import type { XYPosition } from '@xyflow/react';
import type { Graph } from './types';

/**
 * Auto layout with elkjs (layered). Loaded on demand: it is a 1.5 MB chunk nobody needs until the
 * button is pressed. Bridges on top and namespaces below when there are bridges; left to right
 * otherwise (the tutorial's pair side by side).
 */
export async function autoLayout(graph: Graph): Promise<Map<string, XYPosition>> {
  const { default: ELK } = await import('elkjs/lib/elk.bundled.js');
  const elk = new ELK();
  const hasBridge = graph.nodes.some((n) => n.type === 'bridge');
  const ids = new Set(graph.nodes.map((n) => n.id));
  const result = await elk.layout({
    id: 'lab',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': hasBridge ? 'DOWN' : 'RIGHT',
      'elk.spacing.nodeNode': '64',
      'elk.layered.spacing.nodeNodeBetweenLayers': hasBridge ? '140' : '160',
      'elk.spacing.componentComponent': '96',
      // Keep the document's order (ns1, ns2, ns3 left to right), as a person reading it expects.
      'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
      'elk.layered.crossingMinimization.forceNodeModelOrder': 'true',
    },
    children: graph.nodes.map((n) => ({ id: n.id, width: n.width ?? 264, height: n.height ?? 120 })),
    edges: graph.edges
      .filter((e) => ids.has(e.source) && ids.has(e.target) && e.source !== e.target)
      .map((e) => ({ id: e.id, sources: [e.source], targets: [e.target] })),
  });
  const out = new Map<string, XYPosition>();
  for (const child of result.children ?? [])
    out.set(child.id, { x: Math.round(child.x ?? 0), y: Math.round(child.y ?? 0) });
  return out;
}
