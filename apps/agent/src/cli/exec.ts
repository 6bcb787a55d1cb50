import type { Command } from 'commander';
import { CliError, EXIT_USAGE } from './errors';
import { requireNamespace, whileAttached } from './interactive';
import {
  addLabOptions,
  exitWith,
  labSelector,
  namespaceArgument,
  openLab,
  usingLab,
  type LabOptions,
} from './options';
import { commandName } from './output';

export function registerExec(program: Command): void {
  addLabOptions(
    program
      .command('exec')
      .description("run a command in one of the lab's namespaces, with its exit code")
      .argument('<namespace>', 'a namespace of the lab, or "root" for the lab\'s root')
      .argument('<command...>', 'the command and its arguments, after --')
      .showHelpAfterError(
        `(the command goes after --, e.g. ${commandName()} exec ns1 -- ping -c 1 10.0.1.1)`,
      ),
  ).action(exitWith(exec));
}

async function exec(namespace: string, command: string[], options: LabOptions): Promise<number> {
  const selector = labSelector(options);
  const ns = namespaceArgument(namespace);
  if (command.length === 0) throw new CliError('give a command to run after --', EXIT_USAGE);
  const lab = await openLab(selector, { create: false });
  return usingLab(lab, async () => {
    await requireNamespace(lab, ns);
    return whileAttached(() => lab.exec(ns, command));
  });
}
