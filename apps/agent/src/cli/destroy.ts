import type { Command } from 'commander';
import { LabNotFoundError, type Lab } from '@netcanvas/kernel';
import { addLabOptions, exitWith, labSelector, openLab, usingLab, type LabOptions } from './options';
import { commandName, labFlags, ms, out, plural, printApplyFailure, stepLine } from './output';

interface DestroyOptions extends LabOptions {
  force?: boolean;
}

export function registerDestroy(program: Command): void {
  addLabOptions(
    program
      .command('destroy')
      .description('remove what the lab made (the sandbox, unless it holds things made by hand)')
      .option('--force', 'remove the sandbox even if it holds things netcanvas did not make'),
  ).action(exitWith(destroy));
}

async function destroy(options: DestroyOptions): Promise<number> {
  const selector = labSelector(options);
  let lab: Lab;
  try {
    lab = await openLab(selector, { create: false });
  } catch (error) {
    if (!(error instanceof LabNotFoundError)) throw error;
    // Destroying twice, or what never existed, is success (CONVENTIONS.md: idempotent steps).
    out(`no sandbox lab named "${error.lab}"; nothing to destroy`);
    return 0;
  }
  if (options.force && lab.target.kind === 'host')
    out('note: --force only applies to sandboxes; on the host netcanvas removes only what it made');

  const report = await usingLab(lab, () => lab.destroy({ force: options.force === true }));
  if (report.sandboxRemoved) {
    out(`removed sandbox lab "${lab.name}"`);
    return 0;
  }
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
  } else if (lab.target.kind === 'host')
    out(`lab "${lab.name}" owns nothing on this machine; nothing to destroy`);
  if (lab.target.kind === 'host') for (const item of report.kept) out(`note: ${item}`);
  else if (report.kept.length > 0) {
    out(`kept sandbox lab "${lab.name}": it holds what netcanvas did not make:`);
    for (const item of report.kept) out(`  ${item}`);
    out(`(${commandName()} destroy${labFlags(selector)} --force removes the sandbox with them)`);
  }
  return 0;
}
