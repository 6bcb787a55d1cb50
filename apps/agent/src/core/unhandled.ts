/**
 * A root agent must not die because one promise somewhere was rejected with nobody listening
 * (Node's default for an unhandled rejection is to exit). While an agent runs, such rejections
 * are logged and counted instead; the tests read the count (and vitest, which listens too, fails
 * the run), so a missing handler is found by the tests, not by a user whose agent died.
 *
 * Uncaught exceptions are not caught here: after one, the process's state is unknown.
 */
export interface UnhandledWatch {
  readonly seen: readonly string[];
  stop(): void;
}

export function watchUnhandled(log: (line: string) => void): UnhandledWatch {
  const seen: string[] = [];
  const onRejection = (reason: unknown) => {
    const text = reason instanceof Error ? (reason.stack ?? reason.message) : String(reason);
    seen.push(text);
    log(`unhandled rejection (a bug; the agent goes on): ${text}`);
  };
  process.on('unhandledRejection', onRejection);
  return {
    seen,
    stop: () => void process.off('unhandledRejection', onRejection),
  };
}
