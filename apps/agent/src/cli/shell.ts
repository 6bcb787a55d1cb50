import type { Command } from 'commander';
import { ROOT } from '@netcanvas/model';
import { requireNamespace, whileAttached } from './interactive';
import {
  addLabOptions,
  exitWith,
  labSelector,
  namespaceArgument,
  openLab,
  usingLab,
  type LabOptions,
} from './options';
import { err } from './output';

export function registerShell(program: Command): void {
  addLabOptions(
    program
      .command('shell')
      .description("open a shell in the lab's root or one of its namespaces")
      .argument('[namespace]', 'a namespace of the lab, or "root" for the lab\'s root', ROOT),
  ).action(exitWith(shell));
}

async function shell(namespace: string, options: LabOptions): Promise<number> {
  const selector = labSelector(options);
  const ns = namespaceArgument(namespace);
  const lab = await openLab(selector, { create: false });
  return usingLab(lab, async () => {
    await requireNamespace(lab, ns);
    if (process.stdin.isTTY)
      err(`netcanvas: shell in lab "${lab.name}", namespace ${ns}; "exit" or Ctrl-D leaves it`);
    return whileAttached(() => lab.shell(ns));
  });
}
