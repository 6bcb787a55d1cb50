import type { Lab } from '@netcanvas/kernel';
import { ROOT } from '@netcanvas/model';
import { CliError } from './errors';
import { truncateList } from './output';

/** What `exec` and `shell` share: the namespace must exist, and the child owns the terminal's signals. */

/** A clear error instead of `ip netns exec`'s "Cannot open network namespace". */
export async function requireNamespace(lab: Lab, namespace: string): Promise<void> {
  if (namespace === ROOT) return;
  const names = await lab.namespaces();
  if (names.includes(namespace)) return;
  throw new CliError(
    `no namespace "${namespace}" in lab "${lab.name}"; ` +
      (names.length > 0
        ? `it has: ${truncateList(names.sort(), 60)} (or "${ROOT}" for the lab's root)`
        : `it has none yet, only its root ("${ROOT}")`),
  );
}

/**
 * Runs an attached child. Ctrl-C and Ctrl-\ go to the terminal's whole foreground group: the
 * child decides what they mean (bash ignores them, ping prints its summary), and netcanvas stays
 * to hand back the child's exit code rather than dying first and leaving it orphaned.
 */
export async function whileAttached<T>(work: () => Promise<T>): Promise<T> {
  const ignore = () => {};
  process.on('SIGINT', ignore);
  process.on('SIGQUIT', ignore);
  try {
    return await work();
  } finally {
    process.off('SIGINT', ignore);
    process.off('SIGQUIT', ignore);
  }
}
