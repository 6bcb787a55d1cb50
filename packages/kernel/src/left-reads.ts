/**
 * Reads a caller may stop waiting for, whose result is kept for the next read instead of lost.
 *
 * The second's sample reads bridges' learned MACs with one `bridge fdb show` per namespace: at
 * 1,000 namespaces the root's is ~70–190 ms, one command that cannot be cut short. An edit that
 * asked for a read while it ran waited for all of it (docs/benchmarks.md, "Edits, session 14").
 * Now the read stops waiting once someone waits for the read after it: the command goes on, and
 * its answer is taken by the next read of that namespace's table (`takeEnded`).
 */

/** How often a read checks whether someone waits behind it. */
export const LEAVE_POLL_MS = 5;

export interface EndedRead<T> {
  value: T;
  /** When the command started and ended (performance.now()), for the read's schedule. */
  started: number;
  ended: number;
}

type InFlight<T> = { started: number; settled: EndedRead<T> | 'failed' | null };

export class LeftReads<T> {
  private readonly left = new Map<string, InFlight<T>>();

  /**
   * An answer left by an earlier read that has come in since (taken once); undefined when there
   * is none, or it is still running, or it failed (dropped: the read runs again when due).
   */
  takeEnded(name: string): EndedRead<T> | undefined {
    const read = this.left.get(name);
    if (!read?.settled) return undefined;
    this.left.delete(name);
    return read.settled === 'failed' ? undefined : read.settled;
  }

  /** Whether a read of `name` left earlier still runs (another is not started beside it). */
  running(name: string): boolean {
    return this.left.get(name)?.settled === null;
  }

  /**
   * Runs `read`, waiting for it unless `leave()` turns true first (checked every LEAVE_POLL_MS):
   * undefined then, and its answer is kept for `takeEnded`. Without `leave`, simply waited for. A
   * read that fails while waited for rejects as it would have.
   */
  async run(name: string, read: () => Promise<T>, leave?: () => boolean): Promise<EndedRead<T> | undefined> {
    const started = performance.now();
    const promise = read();
    if (!leave) return { value: await promise, started, ended: performance.now() };
    let poll: ReturnType<typeof setInterval> | undefined;
    const left = new Promise<'left'>((resolve) => {
      poll = setInterval(() => {
        if (leave()) resolve('left');
      }, LEAVE_POLL_MS);
    });
    try {
      const first = await Promise.race([promise, left]);
      if (first !== 'left') return { value: first, started, ended: performance.now() };
    } finally {
      clearInterval(poll);
    }
    const inFlight: InFlight<T> = { started, settled: null };
    this.left.set(name, inFlight);
    promise.then(
      (value) => (inFlight.settled = { value, started, ended: performance.now() }),
      () => (inFlight.settled = 'failed'),
    );
    return undefined;
  }

  /** Forgets what was left for namespaces no longer here. */
  keepOnly(present: ReadonlySet<string>): void {
    for (const name of this.left.keys()) if (!present.has(name)) this.left.delete(name);
  }
}
