import { shellQuote, type CommandRecord } from '@netcanvas/model';

/**
 * The command log as a shell script a student can read and run on their own machine: the
 * commands that succeeded, in order, as a person would type them (pings left out).
 */
export function logToScript(log: readonly CommandRecord[], lab: string): string {
  const lines = [
    '#!/bin/sh',
    `# netcanvas lab "${lab}": the commands the agent ran, in order (${new Date().toISOString()})`,
    'set -e',
    '',
  ];
  for (const r of log) {
    if (r.exitCode !== 0 || r.reason === 'ping tool') continue;
    lines.push(`# ${r.reason} (${r.by})`);
    lines.push(shellQuote(r.argv));
  }
  return `${lines.join('\n')}\n`;
}
