import type { ServerLimits } from './types';

export const DEFAULT_LIMITS: Readonly<ServerLimits> = {
  // A whole topology at its model limits stays well under this; the edits are capped at 500.
  maxPayload: 256 * 1024,
  messagesPerSecond: 20,
  burst: 40,
  // Per role: a class of viewers fills its own cap, never the editors'.
  maxEditorConnections: 50,
  maxViewerConnections: 200,
  helloTimeoutMs: 5000,
  // A welcome with a large observed state is a few hundred KiB; 8 MiB queued means the client stopped reading.
  maxBufferedBytes: 8 * 1024 * 1024,
};

/** Fills in defaults and refuses nonsense early, so a typo cannot silently disable a limit. */
export function resolveLimits(partial: Partial<ServerLimits> | undefined): ServerLimits {
  const limits: ServerLimits = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(DEFAULT_LIMITS) as (keyof ServerLimits)[]) {
    const value = partial?.[key];
    if (value === undefined) continue;
    if (!Number.isFinite(value) || value <= 0)
      throw new RangeError(`server limit ${key} must be a positive number, not ${String(value)}`);
    limits[key] = value;
  }
  return limits;
}
