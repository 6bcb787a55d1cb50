import { Option, type Command } from 'commander';
import { Lab, plan } from '@netcanvas/kernel';
import { exportClab, shellScript, type Topology } from '@netcanvas/model';
import { DocumentStore } from '../core/document-store';
import { CliError } from './errors';
import { addLabOptions, exitWith, labSelector, selectedLabName, type LabOptions } from './options';
import { commandName, err, labFlags, out, plural } from './output';
import { writeOutputFile } from './output-file';
import { byHandWarning } from './plan-script';

interface ExportOptions extends LabOptions {
  output?: string;
  format: 'json' | 'script' | 'clab';
  clab?: boolean;
}

export function registerExport(program: Command): void {
  addLabOptions(
    program
      .command('export')
      .description("print the lab's saved document (positions included), or a script that rebuilds it")
      .addOption(
        new Option(
          '--format <format>',
          'json: the document, as apply takes it; script: a shell script; clab: a containerlab topology',
        )
          .choices(['json', 'script', 'clab'])
          .default('json'),
      )
      .option('--clab', 'the same as --format clab (what containerlab cannot hold is noted on stderr)')
      .option('-o, --output <file>', 'write it to FILE (atomically) instead of printing it')
      .addHelpText(
        'after',
        [
          '',
          'The saved document is the truth even while an agent serves the lab: the agent writes it',
          'before it changes the kernel. Nothing is read from the kernel, and nothing is changed.',
          '',
          'Examples:',
          `  ${commandName()} export --lab class -o class.json   # then: apply class.json --lab copy`,
          `  ${commandName()} export --lab class --format script > class.sh`,
          `  ${commandName()} export --lab class --clab -o class.clab.yml   # import-clab reads it back`,
        ].join('\n'),
      ),
  ).action(exitWith(exportLab));
}

async function exportLab(options: ExportOptions): Promise<number> {
  const selector = labSelector(options);
  const lab = selectedLabName(selector);
  const store = new DocumentStore(lab);
  const loaded = await store.load();
  if (loaded.status === 'missing')
    throw new CliError(
      `lab "${lab}" has no saved document (${store.file}): only the agent saves one ` +
        `(${commandName()} serve${labFlags(selector)}); a lab built with apply has its document in the file applied`,
    );
  if (loaded.status === 'unreadable')
    throw new CliError(
      `the saved document of lab "${lab}" (${store.file}) cannot be exported: ${loaded.reason}; ` +
        `${commandName()} serve${labFlags(selector)} recovers it from what the lab holds`,
    );
  const { document, version } = loaded.state;
  const format = options.clab ? 'clab' : options.format;
  const text = exportText(document, lab, version, format);
  if (options.output === undefined) {
    process.stdout.write(text);
    return 0;
  }
  await writeOutputFile(options.output, text);
  out(`wrote ${options.output}: lab "${lab}" (saved document, version ${version}) as ${format}`);
  return 0;
}

function exportText(
  document: Topology,
  lab: string,
  version: number,
  format: ExportOptions['format'],
): string {
  if (format === 'script') return `${rebuildScript(document, lab, version).join('\n')}\n`;
  if (format === 'json') return `${JSON.stringify(document, null, 2)}\n`;
  const { text, notes } = exportClab(document, lab);
  for (const note of notes) err(`note: ${note}`);
  return text;
}

/**
 * The commands that build the document in a new, empty sandbox, as the command log's script: run
 * inside a fresh lab (`netcanvas shell --lab NEW < lab.sh`) it rebuilds the same network.
 */
export function rebuildScript(document: Topology, lab: string, version: number): string[] {
  const planned = plan(document, Lab.emptyState(lab));
  return shellScript(
    [
      `netcanvas lab "${lab}": its saved document (version ${version}), built from an empty sandbox ` +
        `(${plural(planned.steps.length, 'command')})`,
      `Run it inside a new, empty lab: echo '{"schemaVersion": 1}' | ${commandName()} apply - --lab NEW`,
      `then: ${commandName()} shell --lab NEW < ${lab}.sh`,
      ...byHandWarning(planned),
    ],
    planned.steps.map((step) => ({ argv: step.argv, why: step.reason })),
  );
}
