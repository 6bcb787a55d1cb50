import { shellQuote } from './steps';

/** One command of a script, with why it is there (the step's reason, the log's record). */
export interface ScriptCommand {
  argv: readonly string[];
  why: string;
}

/**
 * A shell script a person can read and run: `#!/bin/sh`, comment lines saying what it is and how
 * to run it, `set -e`, then each command under a comment saying why, quoted so every line pastes.
 * The command log's "copy", `apply --dry-run` and `export --format script` all print this one.
 */
export function shellScript(about: readonly string[], commands: readonly ScriptCommand[]): string[] {
  return [
    '#!/bin/sh',
    ...about.map((line) => `# ${line}`),
    'set -e',
    ...commands.flatMap((c) => [`# ${c.why}`, shellQuote(c.argv)]),
  ];
}
