import type { LiveState } from '@netcanvas/kernel';
import { ROOT, type ObservedState } from '@netcanvas/model';

/** 8 looks 200 ms apart: at least 1.5 s, longer when each fresh reading is slow. */
const LOOKS = 8;
const LOOK_MS = 200;

export type LookOutcome = 'gone' | 'there' | 'cancelled';

/**
 * Whether something's place (a namespace, an interface) is gone from the kernel, looked at again a
 * few times. A shell or a tcpdump that ended by itself often ended because what it ran in is being
 * deleted: the kernel ends the processes (or takes the interface) a moment before the namespace
 * goes, and the live state sees it later still. Each look is a fresh reading (`fresh()` waits for a
 * read of what is marked), so on a loaded machine slow reads stretch the looks instead of a
 * wall-clock budget running out before the live state has looked at all (a CI rehearsal at load 27:
 * a capture whose namespace was deleted was told "failed" after 2 s of watching a stale state).
 */
export async function lookAgain(
  live: Pick<LiveState, 'fresh' | 'observed'>,
  gone: (observed: ObservedState) => boolean,
  cancelled: () => boolean = () => false,
): Promise<LookOutcome> {
  for (let look = 0; look < LOOKS; look++) {
    if (look > 0) await new Promise((resolve) => setTimeout(resolve, LOOK_MS));
    if (cancelled()) return 'cancelled';
    if (gone(await readingNow(live))) return 'gone';
  }
  return 'there';
}

/**
 * Whether the lab has this namespace (the root always): the last reading, and when it lacks the
 * name, a fresh one. A tool asked for right after the edit that made the namespace (a terminal in
 * a namespace just added) must not be refused on a reading from before that edit.
 */
export async function hasNamespaceNow(
  live: Pick<LiveState, 'fresh' | 'observed'>,
  name: string,
): Promise<boolean> {
  const has = (observed: ObservedState) => observed.namespaces.some((ns) => ns.name === name);
  if (name === ROOT || has(live.observed)) return true;
  return has(await readingNow(live));
}

/** A fresh reading of the kernel (`fresh()`), or the last one when that read fails. */
export function readingNow(live: Pick<LiveState, 'fresh' | 'observed'>): Promise<ObservedState> {
  return live.fresh().catch(() => live.observed);
}
