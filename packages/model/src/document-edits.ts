import { applyEdits, type Edit } from './edits';
import type { Topology } from './topology';

/** The document a client holds, and its version. */
export interface HeldDocument {
  version: number;
  document: Topology;
}

/**
 * A `documentEdits` message followed by a client, as the agent applied the edits (`applyEdits`):
 * what it holds after. `held` itself when it has that version already; null when the edits are
 * for a version it does not hold, or do not apply: it missed something, and only a new welcome
 * puts it right. The page's store and the strict test client both follow the agent through this.
 */
export function followDocumentEdits(
  held: HeldDocument,
  message: { version: number; baseVersion: number; edits: readonly Edit[] },
): HeldDocument | null {
  if (message.version <= held.version) return held;
  if (message.baseVersion !== held.version) return null;
  const next = applyEdits(held.document, message.edits);
  return next.ok ? { version: message.version, document: next.value } : null;
}
