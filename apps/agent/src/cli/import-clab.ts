import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { importClab } from '@netcanvas/model';
import { CliError, EXIT_USAGE } from './errors';
import { exitWith } from './options';
import { commandName, err, out, plural } from './output';
import { writeOutputFile } from './output-file';
import { displayName } from './topology-file';

interface ImportClabOptions {
  output?: string;
}

export function registerImportClab(program: Command): void {
  program
    .command('import-clab')
    .description('read a containerlab topology (.clab.yml) as a netcanvas topology document')
    .argument('<file>', 'the containerlab file ("-": standard input)')
    .option('-o, --output <file>', 'write the document to FILE (atomically) instead of printing it')
    .addHelpText(
      'after',
      [
        '',
        "Nodes become namespaces, kind bridge nodes bridges in the lab's root, links veths (host:IF",
        "an end in the lab's root). exec lines that set addresses, link settings, routes, forwarding",
        'or iptables rules are read; images, configs, binds and the management network are left out,',
        'each with a note on standard error. Nothing is changed: apply the document to build it.',
        '',
        'Examples:',
        `  ${commandName()} import-clab srl02.clab.yml -o srl02.json && ${commandName()} apply srl02.json`,
      ].join('\n'),
    )
    .action(exitWith((file: string, options: ImportClabOptions) => importClabFile(file, options)));
}

async function importClabFile(file: string, options: ImportClabOptions): Promise<number> {
  const shown = displayName(file);
  let text: string;
  try {
    text = file === '-' ? await readAll(process.stdin) : await readFile(file, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${shown}: ${(error as Error).message}`, EXIT_USAGE);
  }
  const result = importClab(text);
  if (!result.ok)
    throw new CliError(
      `${shown} is not a containerlab topology netcanvas can read (${plural(result.errors.length, 'problem')}); nothing was written`,
      EXIT_USAGE,
      result.errors.map((e) => `${shown}: ${e}`),
    );
  for (const note of result.notes) err(`note: ${note}`);
  const json = `${JSON.stringify(result.document, null, 2)}\n`;
  if (options.output === undefined) {
    process.stdout.write(json);
    return 0;
  }
  await writeOutputFile(options.output, json);
  const { namespaces, bridges, links } = result.document;
  out(
    `wrote ${options.output}: ${plural(namespaces.length, 'namespace')}, ${plural(bridges.length, 'bridge')}, ` +
      `${plural(links.length, 'link')} from ${shown}`,
  );
  return 0;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
