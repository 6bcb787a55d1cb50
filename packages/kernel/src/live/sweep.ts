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
 * After a sweep, a rest this many times its reading time before the next: the sweep takes at most
 * a quarter of the time. At 200 namespaces a sweep lasts a few seconds and one starts every tenth
 * second as before; at 1,000 one lasted longer than ten seconds, so sweeps ran back to back and the
 * agent used a whole core at rest (docs/benchmarks.md, "The agent at rest"). What raises no event
 * (a rule typed in a terminal) is then seen within a sweep and its rest, not ten seconds.
 * Its reading time, not its length: slices run only when nothing else waits, and a sweep that
 * waited 40 s between slices for the lab's first apply (1,000 namespaces) rested two minutes
 * after it, reading no firewall meanwhile (session 16's trace).
 */
export const REST_FACTOR = 3;

/**
 * The background's whole-lab read, cut into slices: the namespaces still to read, the root first
 * (its ids and the list come with it). A namespace that went meanwhile is skipped; one that came
 * is read by the read that saw it appear, so it is not added here.
 */
export class Sweep {
  private left: string[] = [];
  private size = FIRST_SLICE;
  /** What this sweep's slices took to read so far (ms): its rest follows from it. */
  private readingMs = 0;
  /** Its last slice is taken and not read yet: its rest is set when it is. */
  private ending = false;
  /** No new sweep before this (see REST_FACTOR). */
  private restUntil = 0;

  get running(): boolean {
    return this.left.length > 0;
  }

  /**
   * Starts a sweep over these namespaces, unless one is still going or the last one's rest is not
   * over (false then).
   */
  start(names: readonly string[], now = Date.now()): boolean {
    if (this.running || this.ending || now < this.restUntil) return false;
    this.left = [ROOT, ...names.filter((n) => n !== ROOT)].reverse();
    this.readingMs = 0;
    return true;
  }

  /** The next slice of namespaces still in `present`; null when the sweep is done. */
  take(present: readonly string[], now = Date.now()): Set<string> | null {
    if (this.left.length === 0) return null;
    const here = new Set(present);
    const slice = new Set<string>();
    while (slice.size < this.size && this.left.length > 0) {
      const name = this.left.pop() as string;
      if (here.has(name)) slice.add(name);
    }
    // This took the last ones: the rest follows once the slice is read (`took`), or now if none was left.
    if (this.left.length === 0) {
      if (slice.size > 0) this.ending = true;
      else this.restUntil = now + REST_FACTOR * this.readingMs;
    }
    return slice.size > 0 ? slice : null;
  }

  /** What a slice of `count` namespaces took: the next one is sized to the budget. */
  took(count: number, ms: number, now = Date.now()): void {
    this.readingMs += ms;
    if (this.ending) {
      this.ending = false;
      this.restUntil = now + REST_FACTOR * this.readingMs;
    }
    const perNamespace = ms / Math.max(1, count);
    this.size = Math.max(1, Math.min(MAX_SLICE, Math.floor(SLICE_BUDGET_MS / Math.max(perNamespace, 0.1))));
  }

  /** A whole read made it moot. */
  clear(): void {
    this.left = [];
    this.ending = false;
    this.readingMs = 0;
  }
}
