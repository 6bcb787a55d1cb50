import type { LabSelector } from '@netcanvas/kernel';
import { shellScript, type Plan } from '@netcanvas/model';
import { commandName, labFlags, plural } from './output';

export interface ScriptContext {
  selector: LabSelector;
  /** The topology file as the person named it. */
  file: string;
  /** False when the sandbox does not exist yet and the plan starts from an empty one. */
  labExists: boolean;
}

/**
 * A dry run as a shell script a person could read and run by hand: `#!/bin/sh`, how to run it,
 * `set -e`, then each command under a comment saying why. With nothing to do, only comments.
 */
export function planScript(planned: Plan, context: ScriptContext): string[] {
  const { selector, file } = context;
  const lab = selector.host ? 'host' : selector.lab;
  if (planned.steps.length === 0)
    return [
      `# lab "${lab}" already matches ${file}: nothing to do`,
      ...planned.notes.map((n) => `# note: ${n}`),
    ];

  const about: string[] = [];
  if (selector.host) {
    about.push(
      `netcanvas plan: make this machine's root network namespace (lab "host") match ${file}`,
      `${plural(planned.steps.length, 'command')}; they change the real machine. Run as root: sh plan.sh`,
    );
  } else {
    about.push(
      `netcanvas plan: make sandbox lab "${lab}" match ${file} (${plural(planned.steps.length, 'command')})`,
    );
    if (!context.labExists)
      about.push(`The lab does not exist yet: this plan starts from a new, empty sandbox.`);
    about.push(
      `Run it inside the lab${context.labExists ? '' : ' (once it exists)'}: ` +
        `${commandName()} shell${labFlags(selector)} < plan.sh`,
    );
  }
  about.push(...byHandWarning(planned), ...planned.notes.map((note) => `note: ${note}`));
  return shellScript(
    about,
    planned.steps.map((step) => ({ argv: step.argv, why: step.reason })),
  );
}

/** Said in a script that adds namespaces: run by hand, it makes them without the lab's record. */
export function byHandWarning(planned: Plan): string[] {
  return planned.steps.some((step) => step.effect.createsNamespace !== undefined)
    ? [
        "By hand, the namespaces it adds are not recorded as the lab's (apply records them), so",
        'netcanvas will treat them as made by someone else.',
      ]
    : [];
}
