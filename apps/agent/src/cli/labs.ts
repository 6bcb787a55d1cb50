import type { Command } from 'commander';
import { listLabs } from '@netcanvas/kernel';
import { addDebugOption, exitWith, requireRoot, type DebugOptions } from './options';
import { localTime, out, table, truncateList } from './output';

interface LabsOptions extends DebugOptions {
  json?: boolean;
}

export function registerLabs(program: Command): void {
  addDebugOption(
    program
      .command('labs')
      .description('list the sandbox labs on this machine')
      .option('--json', 'print the list as one JSON document'),
  ).action(exitWith(labs));
}

async function labs(options: LabsOptions): Promise<number> {
  requireRoot();
  const list = (await listLabs()).sort((a, b) => a.lab.localeCompare(b.lab));
  if (options.json) out(JSON.stringify(list));
  else if (list.length === 0) out('no sandbox labs');
  else
    for (const line of table([
      ['LAB', 'PID', 'CREATED', 'NAMESPACES', 'ROOT INTERFACES'],
      ...list.map((lab) => [
        lab.lab,
        String(lab.pid),
        localTime(lab.createdAt),
        truncateList(lab.namespaces, 32),
        truncateList(lab.rootInterfaces, 28),
      ]),
    ]))
      out(line);
  return 0;
}
