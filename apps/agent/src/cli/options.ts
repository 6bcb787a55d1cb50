import { Option, type Command } from 'commander';
import { HOST_LAB, Lab, type LabSelector } from '@netcanvas/kernel';
import { RESERVED_WORDS, ROOT, namespaceNameProblem } from '@netcanvas/model';
import { CliError, EXIT_USAGE } from './errors';

/** Lab selection (`--lab NAME` / `--host`), `--debug`, and the checks every command makes first. */

export const DEFAULT_LAB = 'default';

export interface DebugOptions {
  debug?: boolean;
}

export interface LabOptions extends DebugOptions {
  lab: string;
  host?: boolean;
}

export const addDebugOption = (command: Command): Command =>
  command.option('--debug', 'print the stack trace of an error');

export const addLabOptions = (command: Command): Command =>
  addDebugOption(
    command
      .addOption(new Option('--lab <name>', 'the sandbox lab to act on').default(DEFAULT_LAB))
      .addOption(
        new Option('--host', "act on this machine's own root network namespace, not a sandbox").conflicts(
          'lab',
        ),
      ),
  );

/**
 * Why `name` cannot name a sandbox lab, or null. A lab name becomes a directory under
 * /run/netcanvas/labs, so it gets the namespace-name allowlist; iproute2's keywords are fine (the
 * name is never an iproute2 argument), which is what lets the default lab be called "default".
 */
export function labNameProblem(name: string): string | null {
  if (name === HOST_LAB) return `"${HOST_LAB}" is the machine's own namespace: use --host instead of --lab`;
  if (RESERVED_WORDS.has(name.toLowerCase())) return null;
  return namespaceNameProblem(name);
}

export function labSelector(options: LabOptions): LabSelector {
  if (options.host) return { host: true };
  const problem = labNameProblem(options.lab);
  if (problem !== null)
    throw new CliError(`bad lab name ${JSON.stringify(options.lab)}: ${problem}`, EXIT_USAGE);
  return { lab: options.lab };
}

export const selectedLabName = (selector: LabSelector): string => (selector.host ? HOST_LAB : selector.lab);

/** A namespace argument (exec, shell): a namespace name, or "root" for the lab's root. */
export function namespaceArgument(name: string): string {
  if (name === ROOT) return name;
  const problem = namespaceNameProblem(name);
  if (problem !== null)
    throw new CliError(
      `bad namespace name ${JSON.stringify(name)}: ${problem}; name one of the lab's namespaces, or "${ROOT}"`,
      EXIT_USAGE,
    );
  return name;
}

/** Checked before any lab is opened: reading a sandbox (nsenter) and changing the kernel both need root. */
export function requireRoot(): void {
  if (process.getuid?.() !== 0)
    throw new CliError("netcanvas must run as root (it changes the kernel's network state); try sudo");
}

/** Opens the lab (root checked first). Throws LabNotFoundError for a missing sandbox unless `create`. */
export async function openLab(selector: LabSelector, options: { create: boolean }): Promise<Lab> {
  requireRoot();
  return Lab.open(selector, options);
}

/**
 * Runs `work` with an open lab and closes it after, whatever happens: a lab keeps `ip -batch`
 * sessions open, and the process would not exit while they run.
 */
export async function usingLab<T>(lab: Lab, work: (lab: Lab) => Promise<T>): Promise<T> {
  try {
    return await work(lab);
  } finally {
    await lab.close();
  }
}

/** Wraps a command's action so its result becomes the process's exit code. */
export const exitWith =
  <A extends unknown[]>(action: (...args: A) => Promise<number>) =>
  async (...args: A): Promise<void> => {
    process.exitCode = await action(...args);
  };
