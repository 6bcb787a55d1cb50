/**
 * What start-up has begun, undone in reverse when a later step fails: the agent either starts
 * whole or leaves nothing behind (no lock held, no port bound, no monitor running).
 */
export class StartUndo {
  private readonly steps: (() => Promise<unknown>)[] = [];

  /** Registers how to undo what was just started. */
  push(step: () => Promise<unknown>): void {
    this.steps.push(step);
  }

  /** The step's result; if it fails, everything started so far is undone, in reverse, and the error rethrown. */
  guard<T>(step: Promise<T>): Promise<T> {
    return step.catch(async (error: unknown): Promise<never> => {
      for (const undo of this.steps.reverse()) await undo().catch(() => undefined);
      throw error;
    });
  }
}
