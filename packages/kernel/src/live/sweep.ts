import { ROOT } from '@netcanvas/model';

/**
 * How long one slice of the background sweep may take (its namespaces' dumps and
 * `iptables-save`): an edit that arrives during a slice waits about this. The slice's size follows
 * what the last one cost per namespace (12 to start; one when the machine is loaded).
 */
export const SLICE_BUDGET_MS = 30;
export const FIRST_SLICE = 12;
const MAX_SLICE = 32;

/**
 * The background's whole-lab read, cut into slices: the namespaces still to read, the root first
 * (its ids and the list come with it). A namespace that went meanwhile is skipped; one that came
 * is read by the read that saw it appear, so it is not added here.
 */
export class Sweep {
  private left: string[] = [];
  private size = FIRST_SLICE;

  get running(): boolean {
    return this.left.length > 0;
  }

  /** Starts a sweep over these namespaces, unless one is still going (false then). */
  start(names: readonly string[]): boolean {
    if (this.running) return false;
    this.left = [ROOT, ...names.filter((n) => n !== ROOT)].reverse();
    return true;
  }

  /** The next slice of namespaces still in `present`; null when the sweep is done. */
  take(present: readonly string[]): Set<string> | null {
    const here = new Set(present);
    const slice = new Set<string>();
    while (slice.size < this.size && this.left.length > 0) {
      const name = this.left.pop() as string;
      if (here.has(name)) slice.add(name);
    }
    return slice.size > 0 ? slice : null;
  }

  /** What a slice of `count` namespaces took: the next one is sized to the budget. */
  took(count: number, ms: number): void {
    const perNamespace = ms / Math.max(1, count);
    this.size = Math.max(1, Math.min(MAX_SLICE, Math.floor(SLICE_BUDGET_MS / Math.max(perNamespace, 0.1))));
  }

  /** A whole read made it moot. */
  clear(): void {
    this.left = [];
  }
}
