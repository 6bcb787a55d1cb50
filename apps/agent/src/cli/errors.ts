import { LabNotFoundError } from '@netcanvas/kernel';
import { LabBusyError } from '../core/agent-lock';
import { commandName, labFlags } from './output';

/** Exit codes: 1 when something failed or is missing, 2 when the input itself is wrong (nothing ran). */
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/**
 * An error the CLI expects and explains: one line saying what is wrong, where, and what to do,
 * optionally after some detail lines (one per validation issue, for instance).
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT_FAILURE,
    readonly details: readonly string[] = [],
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** The lines to print on stderr for an error, and the exit code. Stacks only with --debug. */
export function formatError(error: unknown, debug: boolean): { lines: string[]; exitCode: number } {
  const stack = debug && error instanceof Error && error.stack ? [error.stack] : [];
  if (error instanceof CliError)
    return { lines: [...error.details, prefixed(error.message), ...stack], exitCode: error.exitCode };
  if (error instanceof LabNotFoundError)
    return {
      lines: [
        prefixed(
          `no sandbox lab named "${error.lab}" is running; create one with: ` +
            `${commandName()} apply FILE${labFlags({ lab: error.lab })}`,
        ),
        ...stack,
      ],
      exitCode: EXIT_FAILURE,
    };
  if (error instanceof LabBusyError)
    return { lines: [prefixed(error.message), ...stack], exitCode: EXIT_FAILURE };
  const code = systemErrorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'EADDRINUSE' || code === 'EADDRNOTAVAIL') {
    const where = /(\S+:\d+)\s*$/.exec(message)?.[1] ?? 'the address';
    const why = code === 'EADDRINUSE' ? 'is in use' : 'is not an address of this machine';
    return {
      lines: [
        prefixed(`cannot listen on ${where}: it ${why}; choose another with --port or --listen`),
        ...stack,
      ],
      exitCode: EXIT_FAILURE,
    };
  }
  if (code === 'EACCES' || code === 'EPERM')
    return {
      lines: [prefixed(`permission denied: ${message}; netcanvas must run as root`), ...stack],
      exitCode: EXIT_FAILURE,
    };
  return {
    lines: [
      prefixed(
        `unexpected error: ${firstLine(message)}${debug ? '' : ' (run again with --debug for details)'}`,
      ),
      ...stack,
    ],
    exitCode: EXIT_FAILURE,
  };
}

/** Node's system errors (fs, spawn) carry a code such as ENOENT. */
export function systemErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

// The root check's sentence already starts with the program's name.
const prefixed = (message: string) => (message.startsWith('netcanvas ') ? message : `netcanvas: ${message}`);

const firstLine = (text: string) => text.split('\n', 1)[0] ?? '';
