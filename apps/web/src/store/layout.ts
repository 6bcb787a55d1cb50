import { ROOT, type Topology } from '@netcanvas/model';
import type { XYPosition } from '@xyflow/react';
import { create } from 'zustand';

/**
 * Positions the document does not hold yet. `pending`: a node dropped by this page, until the
 * agent's document carries its new place (so it does not jump back meanwhile). `local`: nodes the
 * document has no place for at all (namespaces made outside netcanvas), kept by this browser and
 * surviving a reload. (The lab's root's place is in the document; an older page kept it here, and
 * that is still used until the root is moved again.)
 */
interface LayoutState {
  pending: Record<string, XYPosition>;
  local: Record<string, XYPosition>;
}

const key = (lab: string) => `netcanvas.layout.${lab}`;

export const useLayout = create<LayoutState>(() => ({ pending: {}, local: {} }));

export const layoutActions = {
  load(lab: string): void {
    try {
      const saved = JSON.parse(localStorage.getItem(key(lab)) ?? '{}') as Record<string, XYPosition>;
      useLayout.setState({ local: saved });
    } catch {
      useLayout.setState({ local: {} });
    }
  },
  setLocal(lab: string | null, id: string, position: XYPosition): void {
    const local = { ...useLayout.getState().local, [id]: position };
    useLayout.setState({ local });
    if (lab !== null) localStorage.setItem(key(lab), JSON.stringify(local));
  },
  setPending(positions: Record<string, XYPosition>): void {
    useLayout.setState((s) => ({ pending: { ...s.pending, ...positions } }));
  },
  /** Drops pending places the document now has (or that the agent refused). */
  settle(docPositions: ReadonlyMap<string, XYPosition | undefined>, all = false): void {
    const pending = { ...useLayout.getState().pending };
    let changed = false;
    for (const [id, p] of Object.entries(pending)) {
      const doc = docPositions.get(id);
      if (
        all ||
        !docPositions.has(id) ||
        (doc && Math.round(doc.x) === Math.round(p.x) && Math.round(doc.y) === Math.round(p.y))
      ) {
        delete pending[id];
        changed = true;
      }
    }
    if (changed) useLayout.setState({ pending });
  },
  /** A new document arrived: the places it now holds are no longer pending. */
  settleFrom(document: Topology): void {
    layoutActions.settle(
      new Map([
        [ROOT, document.rootPosition] as const,
        ...document.namespaces.map((n) => [n.name, n.position] as const),
        ...document.bridges.map((b) => [b.name, b.position] as const),
      ]),
    );
  },
};
