import type { Command } from 'commander';
import { Lab, LabNotFoundError, findSandbox, plan, type LabSelector } from '@netcanvas/kernel';
import type { Plan, PlanConflict, Topology } from '@netcanvas/model';
import { CliError } from './errors';
import {
  addLabOptions,
  exitWith,
  labSelector,
  openLab,
  requireRoot,
  usingLab,
  type LabOptions,
} from './options';
import { ms, out, plural, printApplyFailure, stepLine } from './output';
import { planScript } from './plan-script';
import { displayName, readTopologyFile } from './topology-file';

interface ApplyOptions extends LabOptions {
  dryRun?: boolean;
}

export function registerApply(program: Command): void {
  addLabOptions(
    program
      .command('apply')
      .description('make the lab match a topology file (creates the sandbox if needed)')
      .argument('<file>', 'topology JSON file; "-" reads standard input')
      .option('--dry-run', 'print the plan as a shell script and change nothing'),
  ).action(exitWith(apply));
}

async function apply(file: string, options: ApplyOptions): Promise<number> {
  const selector = labSelector(options);
  const doc = await readTopologyFile(file);
  const shown = displayName(file);
  if (options.dryRun) return dryRun(selector, doc, shown);

  requireRoot();
  const existed = selector.host || (await findSandbox(selector.lab)) !== null;
  const lab = await openLab(selector, { create: true });
  if (!existed && lab.target.kind === 'sandbox')
    out(`created sandbox lab "${lab.name}" (holder pid ${lab.target.sandbox.pid})`);

  const { plan: planned, report } = await usingLab(lab, () => lab.converge(doc, { dryRun: false }));
  refuseConflicts(planned.conflicts, lab.name);
  for (const note of planned.notes) out(`note: ${note}`);
  if (report === null) {
    out(`lab "${lab.name}" already matches ${shown}`);
    return 0;
  }
  if (!report.ok) {
    printApplyFailure(report, `apply to lab "${lab.name}"`);
    return 1;
  }
  for (const outcome of report.done) out(stepLine(outcome.step));
  out(`applied ${plural(report.done.length, 'command')} in ${ms(report.durationMs)}`);
  return 0;
}

/** Plans without changing anything; a lab that does not exist is planned from an empty sandbox. */
async function dryRun(selector: LabSelector, doc: Topology, shown: string): Promise<number> {
  requireRoot();
  let planned: Plan;
  let labExists = true;
  try {
    const lab = await Lab.open(selector, { create: false });
    planned = (await usingLab(lab, () => lab.converge(doc, { dryRun: true }))).plan;
  } catch (error) {
    if (!(error instanceof LabNotFoundError)) throw error;
    labExists = false;
    planned = plan(doc, Lab.emptyState(error.lab));
  }
  refuseConflicts(planned.conflicts, selector.host ? 'host' : selector.lab);
  for (const line of planScript(planned, { selector, file: shown, labExists })) out(line);
  return 0;
}

function refuseConflicts(conflicts: readonly PlanConflict[], lab: string): void {
  if (conflicts.length === 0) return;
  throw new CliError(
    `nothing was run: ${plural(conflicts.length, 'conflict')} with objects in lab "${lab}" that netcanvas ` +
      'did not make; rename yours in the file, or remove those objects by hand',
    1,
    conflicts.map((c) => `${c.path}: ${c.message}`),
  );
}
