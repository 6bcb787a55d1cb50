import { ROOT, type Topology } from '@netcanvas/model';
import type { XYPosition } from '@xyflow/react';
import { create } from 'zustand';

/**
 * Positions the document does not hold yet. `pending`: a node dropped by this page, until the
 * agent's document carries its new place (so it does not jump back meanwhile). `local`: nodes the
 * document has no place for at all (namespaces made outside netcanvas), kept by this browser and
 * surviving a reload. (The lab's root's place is in the document; an older page kept it here, and
 * that is still used until the root is moved again.)
 *
 * `laidOut`: the places this browser's layout gave each node (Lay out, the placement of a new
 * node, an example's own), the last few, kept per lab across reloads. A node whose place is not
 * one of them was placed by a person (dragged here or by another editor, or a file's place):
 * "Lay out new" leaves it where it is. A few, not one: undoing a layout brings back the one before.
 */
interface LayoutState {
  pending: Record<string, XYPosition>;
  local: Record<string, XYPosition>;
  laidOut: Record<string, string[]>;
  /**
   * Replaces of the whole lab (an example, an imported file) in flight. Meanwhile the kernel shows
   * the new lab's namespaces and bridges before the agent's new document, which holds their
   * places, reaches the page (it is saved before the apply and sent after it): the page must not
   * place them as if made by hand, or its places race the file's (canvas/use-place-new.ts).
   */
  replacing: number;
}

const key = (lab: string) => `netcanvas.layout.${lab}`;
const laidOutKey = (lab: string) => `netcanvas.laid-out.${lab}`;
/** How many of a node's laid-out places are remembered (undo goes back through them). */
const LAID_OUT_KEPT = 8;
const placeText = (p: XYPosition) => `${Math.round(p.x)},${Math.round(p.y)}`;

export const useLayout = create<LayoutState>(() => ({ pending: {}, local: {}, laidOut: {}, replacing: 0 }));

function readJson<T>(storageKey: string): T | null {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(storageKey) ?? 'null');
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as T) : null;
  } catch {
    return null;
  }
}

let laidOutLab: string | null = null;

export const layoutActions = {
  /** Runs a replace of the whole lab with the placement of new nodes held (see `replacing`). */
  async whileReplacing<T>(replace: () => Promise<T>): Promise<T> {
    useLayout.setState((s) => ({ replacing: s.replacing + 1 }));
    try {
      return await replace();
    } finally {
      useLayout.setState((s) => ({ replacing: s.replacing - 1 }));
    }
  },
  load(lab: string): void {
    laidOutLab = lab;
    useLayout.setState({
      local: readJson<Record<string, XYPosition>>(key(lab)) ?? {},
      laidOut: readJson<Record<string, string[]>>(laidOutKey(lab)) ?? {},
    });
  },
  /** These places were given by the layout, not by a person. */
  markLaidOut(positions: ReadonlyMap<string, XYPosition>): void {
    if (positions.size === 0) return;
    const laidOut = { ...useLayout.getState().laidOut };
    for (const [id, p] of positions) {
      const text = placeText(p);
      laidOut[id] = [...(laidOut[id] ?? []).filter((t) => t !== text), text].slice(-LAID_OUT_KEPT);
    }
    useLayout.setState({ laidOut });
    if (laidOutLab !== null) localStorage.setItem(laidOutKey(laidOutLab), JSON.stringify(laidOut));
  },
  /** True when a person put the node at `position` (no layout of this browser's did). */
  placedByHand(id: string, position: XYPosition | undefined): boolean {
    if (!position) return false;
    return !(useLayout.getState().laidOut[id] ?? []).includes(placeText(position));
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

/** The places a document holds (its namespaces', bridges' and root's). */
export function documentPositions(document: Topology): Map<string, XYPosition> {
  const out = new Map<string, XYPosition>();
  if (document.rootPosition) out.set(ROOT, document.rootPosition);
  for (const n of document.namespaces) if (n.position) out.set(n.name, n.position);
  for (const b of document.bridges) if (b.position) out.set(b.name, b.position);
  return out;
}
