import { existsSync } from 'node:fs';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { hostName } from '../server/hosts';
import { CliError, EXIT_USAGE } from './errors';
import { addLabOptions, exitWith, labSelector, requireRoot, type LabOptions } from './options';
import { err, out, plural } from './output';
import { classSize, classStart, serveClass } from './serve-class';
import type { AgentOptions } from '../core/agent';
import type { Lesson } from '@netcanvas/model';

interface ServeOptions extends LabOptions {
  port: string;
  listen: string;
  allowHost?: string[];
  newLinks?: boolean;
  terminals?: boolean;
  lesson?: string;
  class?: string;
  classTopology?: string;
}

/** The built web app, if there is one (apps/web/dist), served at / by the agent. */
const WEB_ROOT = path.resolve(import.meta.dirname, '../../../web/dist');

export function registerServe(program: Command): void {
  addLabOptions(
    program
      .command('serve')
      .description('run the live agent: the web editor and its WebSocket, on one port')
      .addOption(new Option('--port <port>', 'TCP port (0: any free port)').default('7878'))
      .addOption(new Option('--listen <address>', 'address to listen on').default('127.0.0.1'))
      .option('--allow-host <name...>', 'extra host names the editor may be reached by (besides localhost)')
      .option('--new-links', 'renew the lab’s links: a new viewer link, and every earlier session is refused')
      .option(
        '--terminals',
        'let editors open shells in the lab’s namespaces from the page (confined: docs/security.md)',
      )
      .option(
        '--lesson <id|file>',
        'open a lesson: a built-in one by id (lessons/ID.lesson.yml) or a lesson file (docs/lessons.md)',
      )
      .option(
        '--class <students>',
        'also run a lab per student (1 to 40), each its own agent (docs/classroom.md)',
      )
      .option('--class-topology <file>', 'with --class: every student’s lab starts as this topology file'),
  ).action(exitWith(serve));
}

/** A usage error naming the option when `value` is not a host name (a DNS name or an IP address). */
function checkHostName(option: string, value: string): void {
  try {
    hostName(value);
  } catch {
    throw new CliError(
      `bad ${option} ${JSON.stringify(value)}: not a DNS name or an IP address (give it without a port or scheme)`,
      EXIT_USAGE,
    );
  }
}

async function serve(options: ServeOptions): Promise<number> {
  // Every option is checked before anything touches the kernel (or needs root).
  const port = Number(options.port);
  if (!/^\d{1,5}$/.test(options.port) || port > 65535)
    throw new CliError(`bad --port ${JSON.stringify(options.port)}: a number from 0 to 65535`, EXIT_USAGE);
  checkHostName('--listen', options.listen);
  for (const name of options.allowHost ?? []) checkHostName('--allow-host', name);
  const selector = labSelector(options);
  const lesson = options.lesson === undefined ? undefined : await readLessonOption(options.lesson);
  const size = options.class === undefined ? null : classSize(options.class);
  const start = size === null ? null : await classStart(options.classTopology);
  requireRoot();
  // Loaded here, not at the top: the agent (express, ws) is the command line's heaviest part, and
  // every other command would pay for it at start-up (docs/benchmarks.md).
  const { startAgent } = await import('../core/agent');
  const agentOptions: AgentOptions = {
    selector,
    port,
    listen: options.listen,
    allowedHosts: options.allowHost,
    newLinks: options.newLinks === true,
    terminals: options.terminals === true,
    webRoot: existsSync(path.join(WEB_ROOT, 'index.html')) ? WEB_ROOT : undefined,
    log: (line) => err(`[agent] ${line}`),
    ...(lesson ? { lesson } : {}),
  };
  // Listened for from here: a Ctrl-C while a class is being made still destroys it.
  const stopped = stopSignal();
  if (size !== null && start !== null) return serveClass(agentOptions, size, start, () => stopped);
  const agent = await startAgent(agentOptions);
  const { reconciled } = agent;
  out(`netcanvas agent for ${agent.lab.target.kind} lab "${agent.lab.name}"`);
  if (reconciled.records.length > 0)
    out(`reconciled the kernel with the saved topology: ${plural(reconciled.records.length, 'command')}`);
  for (const c of reconciled.conflicts) out(`could not reconcile: ${c}`);
  out(`listening on ${agent.server.origin}`);
  out(`editor (one-time link): ${agent.server.editorUrl}`);
  out(`viewer (share with a class): ${agent.server.viewerUrl}`);
  if (options.terminals)
    out('terminals: on (editors may open shells in the lab; each session is in the audit log)');
  await stopped;
  out('stopping');
  await agent.stop();
  return 0;
}

/** Resolves on the first SIGINT or SIGTERM. */
function stopSignal(): Promise<void> {
  return new Promise<void>((resolve) => {
    // `on`, not `once`: execa's exit hook kills the process at once if it is the only listener left.
    const stop = () => resolve();
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** `--lesson`: read and checked before anything runs; a bad file is a usage error naming each line. */
async function readLessonOption(idOrFile: string): Promise<Lesson> {
  const { LessonLoadError, loadLesson } = await import('../core/lesson-catalog');
  try {
    return await loadLesson(idOrFile);
  } catch (error) {
    if (error instanceof LessonLoadError) throw new CliError(`bad --lesson ${error.message}`, EXIT_USAGE);
    throw error;
  }
}
