import type { Command } from 'commander';
import { addLabOptions, exitWith, labSelector, openLab, usingLab, type LabOptions } from './options';
import { renderObserved } from './observed-listing';
import { out } from './output';

interface ObserveOptions extends LabOptions {
  json?: boolean;
}

export function registerObserve(program: Command): void {
  addLabOptions(
    program
      .command('observe')
      .description('show what the kernel has in the lab')
      .option('--json', 'print the observed state as one JSON document'),
  ).action(exitWith(observe));
}

async function observe(options: ObserveOptions): Promise<number> {
  const lab = await openLab(labSelector(options), { create: false });
  const state = await usingLab(lab, () => lab.observe());
  if (options.json) out(JSON.stringify(state));
  else for (const line of renderObserved(state)) out(line);
  return 0;
}
