import type { LabSelector } from '@netcanvas/kernel';
import { shellQuote, type Plan } from '@netcanvas/model';
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
  const notes = planned.notes.map((note) => `# note: ${note}`);
  if (planned.steps.length === 0) return [`# lab "${lab}" already matches ${file}: nothing to do`, ...notes];

  const lines = ['#!/bin/sh'];
  if (selector.host) {
    lines.push(
      `# netcanvas plan: make this machine's root network namespace (lab "host") match ${file}`,
      `# ${plural(planned.steps.length, 'command')}; they change the real machine. Run as root: sh plan.sh`,
    );
  } else {
    lines.push(
      `# netcanvas plan: make sandbox lab "${lab}" match ${file} (${plural(planned.steps.length, 'command')})`,
    );
    if (!context.labExists)
      lines.push(`# The lab does not exist yet: this plan starts from a new, empty sandbox.`);
    lines.push(
      `# Run it inside the lab${context.labExists ? '' : ' (once it exists)'}: ` +
        `${commandName()} shell${labFlags(selector)} < plan.sh`,
    );
  }
  if (planned.steps.some((step) => step.argv[1] === 'netns' && step.argv[2] === 'add'))
    lines.push(
      "# By hand, the namespaces it adds are not recorded as the lab's (apply records them), so",
      '# netcanvas will treat them as made by someone else.',
    );
  lines.push(...notes, 'set -e');
  for (const step of planned.steps) lines.push(`# ${step.reason}`, shellQuote(step.argv));
  return lines;
}
