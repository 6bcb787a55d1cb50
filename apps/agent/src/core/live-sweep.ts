import { ROOT } from '@netcanvas/model';

/**
 * How many namespaces one slice of the background sweep reads (their dump and `iptables-save`):
 * ~25 ms on an idle two-core machine, so an edit that arrives during a slice waits about that.
 */
export const SWEEP_SLICE = 12;

/**
 * The background's whole-lab read, cut into slices: the namespaces still to read, the root first
 * (its ids and the list come with it). A namespace that went meanwhile is skipped; one that came
 * is read by the read that saw it appear, so it is not added here.
 */
export class Sweep {
  private left: string[] = [];

  get running(): boolean {
    return this.left.length > 0;
  }

  /** Starts a sweep over these namespaces, unless one is still going (false then). */
  start(names: readonly string[]): boolean {
    if (this.running) return false;
    this.left = [ROOT, ...names.filter((n) => n !== ROOT)];
    return true;
  }

  /** The next slice of namespaces still in `present`; null when the sweep is done. */
  take(present: readonly string[]): Set<string> | null {
    const here = new Set(present);
    const slice = new Set<string>();
    while (slice.size < SWEEP_SLICE && this.left.length > 0) {
      const name = this.left.shift() as string;
      if (here.has(name)) slice.add(name);
    }
    return slice.size > 0 ? slice : null;
  }

  /** A whole read made it moot. */
  clear(): void {
    this.left = [];
  }
}
