import { Command, CommanderError } from 'commander';
import agentPackage from '../../package.json' with { type: 'json' };
import { registerAdopt } from './adopt';
import { registerApply } from './apply';
import { registerClass } from './class';
import { registerDestroy } from './destroy';
import { EXIT_USAGE, formatError } from './errors';
import { registerExport } from './export';
import { registerExec } from './exec';
import { registerImportClab } from './import-clab';
import { registerLabs } from './labs';
import { registerObserve } from './observe';
import { commandName, err } from './output';
import { registerServe } from './serve';
import { registerShell } from './shell';

export function buildProgram(): Command {
  const name = commandName();
  const program = new Command(name)
    .description('netcanvas: build, watch and tear down Linux virtual networks (runs as root)')
    .version(agentPackage.version, '-V, --version', 'the version of netcanvas')
    // Usage errors exit 2 (set in runCli); commander's own "error:" becomes the program's name.
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(text.replace(/^error: /, 'netcanvas: ')) })
    .showSuggestionAfterError()
    .addHelpText(
      'after',
      [
        '',
        'Every command but labs acts on one lab: a sandbox (--lab NAME, default "default") or',
        "this machine's own root namespace (--host).",
        '',
        'Examples:',
        `  ${name} apply examples/veth-pair.json`,
        `  ${name} apply examples/veth-pair.json --dry-run > plan.sh`,
        `  ${name} exec ns1 -- ping -c 1 10.0.1.1`,
        `  ${name} shell ns0`,
        `  ${name} observe`,
        `  ${name} export --lab class -o class.json`,
        `  ${name} destroy`,
        `  ${name} serve --lab class`,
        `  ${name} serve --lab week3 --class 12 --class-topology examples/bridge.json`,
        `  ${name} class destroy --lab week3`,
      ].join('\n'),
    );
  registerApply(program);
  registerObserve(program);
  registerExport(program);
  registerImportClab(program);
  registerAdopt(program);
  registerExec(program);
  registerShell(program);
  registerLabs(program);
  registerDestroy(program);
  registerServe(program);
  registerClass(program);
  return program;
}

/** Parses argv (without node and the script), runs the command, and returns the exit code. */
export async function runCli(args: readonly string[]): Promise<number> {
  process.exitCode = undefined;
  const end = args.indexOf('--');
  // Known before parsing, so even an error in parsing the rest honours it.
  const debug = (end === -1 ? args : args.slice(0, end)).includes('--debug');
  try {
    await buildProgram().parseAsync([...args], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    // Commander has already printed its message (or the help it was asked for).
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : EXIT_USAGE;
    const { lines, exitCode } = formatError(error, debug);
    for (const line of lines) err(line);
    return exitCode;
  }
}
