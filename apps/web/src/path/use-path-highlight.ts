import { useMemo } from 'react';
import { endKey, pathSteps, type PathSteps } from './path-steps';
import { usePath } from './path-store';

/** The path being shown on the canvas, or null (none asked, still tracing, or hidden). */
export function usePathSteps(): PathSteps | null {
  const result = usePath((s) => (s.shown ? (s.run?.result ?? null) : null));
  return useMemo(() => (result ? pathSteps(result) : null), [result]);
}

/** A node's numbers on the path (a namespace passed twice has two), and whether the path ends there. */
export function usePathNode(id: string): { numbers: number[]; end: 'delivered' | 'stopped' | null } | null {
  const steps = usePathSteps();
  if (!steps) return null;
  const numbers = steps.nodes.filter((s) => s.id === id).map((s) => s.n);
  if (numbers.length === 0) return null;
  return { numbers, end: steps.end.id === id ? steps.end.kind : null };
}

/** Whether a veth (by its two ends) carried the packet. */
export function usePathEdge(
  a: { context: string; ifname: string } | undefined,
  b: { context: string; ifname: string } | undefined,
): boolean {
  const steps = usePathSteps();
  if (!steps || !a || !b) return false;
  return steps.ends.has(endKey(a.context, a.ifname)) || steps.ends.has(endKey(b.context, b.ifname));
}
