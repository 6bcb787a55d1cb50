import type { PathCommand } from '@netcanvas/model';
import { inLabNamespace } from '../lab-tools';
import { run, type RunResult } from '../process';
import type { Target } from '../target';
import { shownIn } from './path-commands';

/** The longest any one of the path's commands may run (a probe waits 1 s; a read takes milliseconds). */
const COMMAND_LIMIT_MS = 5_000;

/**
 * Runs the path's commands in the lab's namespaces and keeps each as the log shows it (the
 * command as typed in the lab, its exit code, stderr and time), for the hop it belongs to.
 */
export class PathRunner {
  constructor(private readonly target: Target) {}

  async run(
    into: PathCommand[],
    context: string,
    argv: readonly string[],
    options: { input?: string } = {},
  ): Promise<RunResult> {
    const result = await run(inLabNamespace(this.target, context, argv).argv, {
      timeoutMs: COMMAND_LIMIT_MS,
      ...(options.input !== undefined ? { input: options.input } : {}),
    });
    into.push(pathCommand(context, argv, result));
    return result;
  }
}

export const pathCommand = (context: string, argv: readonly string[], result: RunResult): PathCommand => ({
  context,
  argv: shownIn(context, argv),
  exitCode: result.exitCode,
  stderr: result.stderr.trim(),
  durationMs: Math.round(result.durationMs),
});
