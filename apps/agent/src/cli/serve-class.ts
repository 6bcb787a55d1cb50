import { classSizeProblem, emptyTopology, type Topology } from '@netcanvas/model';
import type { AgentOptions, RunningAgent } from '../core/agent';
import { CliError, EXIT_USAGE } from './errors';
import { labNameProblem } from './options';
import { out } from './output';
import { readTopologyFile } from './topology-file';

/** The page paths a trainer's link may lead to after its token is exchanged (http-app.ts). */
export const CLASS_OVERVIEW_PATH = '/class';
export const CLASS_LINKS_PATH = '/class/links';

/** `--class N`, checked before anything is touched: a whole number of students within the limit. */
export function classSize(text: string): number {
  const size = /^\d{1,3}$/.test(text) ? Number(text) : Number.NaN;
  const problem = classSizeProblem(size);
  if (problem !== null) throw new CliError(`bad --class ${JSON.stringify(text)}: ${problem}`, EXIT_USAGE);
  return size;
}

/** Every student's lab starts as this: the file's topology, or an empty lab. */
export async function classStart(file: string | undefined): Promise<Topology> {
  return file === undefined ? emptyTopology() : readTopologyFile(file);
}

/**
 * `serve --class N`: the trainer's agent (on --port, its own lab) holding a class of N students'
 * labs (each its own agent on the next ports, or any free ones with --port 0), all in this
 * process. Prints the trainer's links and each student's; on SIGINT or SIGTERM destroys the class
 * (every student's lab and saved state), then stops. docs/classroom.md.
 */
export async function serveClass(
  agentOptions: AgentOptions,
  size: number,
  start: Topology,
  waitForStop: () => Promise<void>,
): Promise<number> {
  const { startAgent } = await import('../core/agent');
  const { Classroom } = await import('../class/classroom');
  if (agentOptions.selector.host)
    throw new CliError('--class makes sandbox labs: name the class with --lab, not --host', EXIT_USAGE);
  const name = agentOptions.selector.lab;
  const longest = labNameProblem(`${name}-s${String(size).padStart(2, '0')}`);
  if (longest !== null)
    throw new CliError(`bad lab name for a class ${JSON.stringify(name)}: ${longest}`, EXIT_USAGE);
  const classroom = new Classroom({
    name,
    size,
    port: agentOptions.port,
    start,
    lesson: agentOptions.lesson ?? null,
    listen: agentOptions.listen,
    allowedHosts: agentOptions.allowedHosts,
    webRoot: agentOptions.webRoot,
    terminals: agentOptions.terminals === true,
    log: agentOptions.log ?? (() => undefined),
  });
  const trainer = await startAgent({ ...agentOptions, classroom });
  const made = Date.now();
  try {
    await classroom.make();
  } catch (error) {
    await trainer.stop();
    throw error;
  }
  printClass(trainer, classroom.status(), Date.now() - made);
  await waitForStop();
  out('stopping: destroying the class’s labs');
  try {
    await classroom.destroy();
  } finally {
    await trainer.stop();
  }
  out(`destroyed ${size} students’ labs`);
  return 0;
}

function printClass(
  trainer: RunningAgent,
  students: { id: string; lab: string; editorUrl: string | null }[],
  tookMs: number,
): void {
  out(
    `netcanvas class "${trainer.lab.name}": ${students.length} students’ labs made in ${(tookMs / 1000).toFixed(1)} s`,
  );
  out(`listening on ${trainer.server.origin}`);
  out(`editor (one-time link): ${trainer.server.editorUrl}`);
  out(`viewer (share with a class): ${trainer.server.viewerUrl}`);
  // Same token exchange, then straight to the class's pages (the token is one-time: each its own).
  out(`class overview (one-time link): ${trainer.server.newEditorUrl()}&next=${CLASS_OVERVIEW_PATH}`);
  out(`class links and QR codes (one-time link): ${trainer.server.newEditorUrl()}&next=${CLASS_LINKS_PATH}`);
  for (const s of students) out(`student ${s.id} (lab ${s.lab}, one-time link): ${s.editorUrl ?? '(none)'}`);
}
