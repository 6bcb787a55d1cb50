import { rm } from 'node:fs/promises';
import type { Command } from 'commander';
import { Lab, listLabs } from '@netcanvas/kernel';
import { findServingAgent } from '../core/agent-lock';
import { labStateDir } from '../core/state-dir';
import { CliError } from './errors';
import {
  addDebugOption,
  DEFAULT_LAB,
  exitWith,
  labSelector,
  requireRoot,
  type DebugOptions,
} from './options';
import { out, plural } from './output';

interface ClassDestroyOptions extends DebugOptions {
  lab: string;
  force?: boolean;
}

/** A student's lab of the class `name`: `<name>-s01` … (class/classroom.ts `studentLab`). */
const isStudentLab = (name: string, lab: string): boolean =>
  lab.startsWith(`${name}-s`) && /^\d{2}$/.test(lab.slice(name.length + 2));

export function registerClass(program: Command): void {
  const group = program.command('class').description('a class: a lab per student (serve --class N)');
  addDebugOption(
    group
      .command('destroy')
      .description(
        'destroy every student’s lab of a class, and their saved state (after a crash: serve destroys them when it stops)',
      )
      .option('--lab <name>', 'the class (the trainer’s lab, as given to serve --class)', DEFAULT_LAB)
      .option('--force', 'stop the class’s serving agent first (it destroys its labs as it stops)'),
  ).action(exitWith(destroyClass));
}

async function destroyClass(options: ClassDestroyOptions): Promise<number> {
  const selector = labSelector({ lab: options.lab });
  if (selector.host) throw new CliError('a class is made of sandbox labs: name it with --lab');
  const name = selector.lab;
  requireRoot();
  const all = (await listLabs()).map((l) => l.lab);
  const labs = all.filter((lab) => isStudentLab(name, lab));
  for (const lab of labs) {
    const agent = await findServingAgent(lab);
    if (agent === null) continue;
    if (!options.force)
      throw new CliError(
        `class "${name}" is being served (pid ${agent.pid}): stop it (Ctrl-C destroys its labs), or use --force`,
      );
    process.kill(agent.pid, 'SIGTERM');
    out(`asked the serving agent (pid ${agent.pid}) to stop; it destroys the class as it stops`);
    return 0;
  }
  for (const lab of labs) {
    const opened = await Lab.open({ lab }, { create: false }).catch(() => null);
    if (opened) await opened.destroy({ force: true });
    await rm(labStateDir(lab), { recursive: true, force: true });
    out(`removed sandbox lab "${lab}" and its saved state`);
  }
  out(classDestroyedText(name, labs.length, all.includes(name)));
  return 0;
}

/**
 * What `class destroy` did. The trainer's lab is a lab of its own (serve keeps it when it stops,
 * as any lab): said so, since "nothing to destroy" beside it in `netcanvas labs` reads as a fault.
 */
export function classDestroyedText(name: string, studentLabs: number, trainerLabExists: boolean): string {
  const done =
    studentLabs === 0
      ? `class "${name}" has no student labs; nothing to destroy`
      : `destroyed ${plural(studentLabs, 'student lab')}`;
  if (!trainerLabExists) return done;
  return `${done}\nthe trainer's lab "${name}" is a lab of its own and is kept: netcanvas destroy --lab ${name} removes it`;
}
