import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { LabNotFoundError, type Lab, type LabSelector } from '@netcanvas/kernel';
import { findServingAgent, type AgentLockHolder } from '../core/agent-lock';
import { labStateDir } from '../core/state-dir';
import { CliError } from './errors';
import {
  addLabOptions,
  exitWith,
  labSelector,
  openLab,
  requireRoot,
  selectedLabName,
  usingLab,
  type LabOptions,
} from './options';
import { commandName, labFlags, ms, out, plural, printApplyFailure, stepLine } from './output';

interface DestroyOptions extends LabOptions {
  force?: boolean;
  purge?: boolean;
}

/** How long `--force` waits for the serving agent to stop after SIGTERM. */
const AGENT_STOP_TIMEOUT_MS = 10_000;

export function registerDestroy(program: Command): void {
  addLabOptions(
    program
      .command('destroy')
      .description('remove what the lab made (the sandbox, unless it holds things made by hand)')
      .option(
        '--force',
        'stop the agent serving the lab first, and remove the sandbox even if it holds things netcanvas did not make',
      )
      .option(
        '--purge',
        "also delete the lab's saved state (the document serve rebuilds it from, the audit log)",
      ),
  ).action(exitWith(destroy));
}

async function destroy(options: DestroyOptions): Promise<number> {
  const selector = labSelector(options);
  requireRoot();
  const name = selectedLabName(selector);
  // Pulling the lab from under a running agent would crash it (its sessions and monitor die).
  const agent = await findServingAgent(name);
  if (agent !== null) {
    if (!options.force)
      throw new CliError(
        `lab "${name}" is served by the agent pid ${agent.pid}; stop it first, or use --force to stop it and destroy`,
      );
    await stopAgent(name, agent);
    out(`stopped the agent serving lab "${name}" (pid ${agent.pid})`);
  }
  const code = await destroyLab(selector, options);
  if (code === 0) await savedState(name, options.purge === true);
  return code;
}

/** SIGTERM, then wait until it has let go of the lab (its lock released, or the process gone). */
async function stopAgent(lab: string, agent: AgentLockHolder): Promise<void> {
  try {
    process.kill(agent.pid, 'SIGTERM');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
  const deadline = Date.now() + AGENT_STOP_TIMEOUT_MS;
  while ((await findServingAgent(lab))?.pid === agent.pid) {
    if (Date.now() > deadline)
      throw new CliError(
        `the agent pid ${agent.pid} serving lab "${lab}" did not stop within ${AGENT_STOP_TIMEOUT_MS / 1000} s ` +
          `after SIGTERM; nothing was destroyed (see its log, or end it with kill -KILL ${agent.pid})`,
      );
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function destroyLab(selector: LabSelector, options: DestroyOptions): Promise<number> {
  let lab: Lab;
  try {
    lab = await openLab(selector, { create: false });
  } catch (error) {
    if (!(error instanceof LabNotFoundError)) throw error;
    // Destroying twice, or what never existed, is success (every step is idempotent: a retry after a failure must not fail).
    out(`no sandbox lab named "${error.lab}"; nothing to destroy`);
    return 0;
  }
  if (options.force && lab.target.kind === 'host')
    out('note: --force only applies to sandboxes; on the host netcanvas removes only what it made');

  const report = await usingLab(lab, () => lab.destroy({ force: options.force === true }));
  if (report.apply !== null && !report.apply.ok) {
    printApplyFailure(report.apply, `destroy of lab "${lab.name}"`);
    return 1;
  }
  if (report.apply !== null) {
    for (const outcome of report.apply.done) out(stepLine(outcome.step));
    out(
      `removed what lab "${lab.name}" made: ${plural(report.apply.done.length, 'command')} ` +
        `in ${ms(report.apply.durationMs)}`,
    );
  }
  if (report.goneWith.length > 0) {
    out('made by hand, and gone with what the lab made:');
    for (const item of report.goneWith) out(`  ${item}`);
  }
  if (report.sandboxRemoved) {
    out(`removed sandbox lab "${lab.name}"`);
    return 0;
  }
  if (report.apply === null && lab.target.kind === 'host')
    out(`lab "${lab.name}" owns nothing on this machine; nothing to destroy`);
  if (lab.target.kind === 'host') for (const item of report.kept) out(`note: ${item}`);
  else if (report.kept.length > 0) {
    out(`kept sandbox lab "${lab.name}": it holds what netcanvas did not make:`);
    for (const item of report.kept) out(`  ${item}`);
    out(`(${commandName()} destroy${labFlags(selector)} --force removes the sandbox with them)`);
  }
  return 0;
}

/**
 * The agent's saved state outlives the lab (`serve` rebuilds the lab from the document): say where
 * it stays, or with --purge delete it.
 */
async function savedState(lab: string, purge: boolean): Promise<void> {
  const dir = labStateDir(lab);
  const document = path.join(dir, 'topology.json');
  if (!existsSync(dir)) return;
  if (purge) {
    await rm(dir, { recursive: true, force: true });
    out(`deleted the saved state of lab "${lab}": ${dir}`);
  } else if (existsSync(document))
    out(`the saved document stays: ${document} (serve rebuilds the lab from it; destroy --purge deletes it)`);
  else out(`the lab's saved state stays in ${dir} (destroy --purge deletes it)`);
}
