import { shellScript, type CommandRecord } from '@netcanvas/model';

/**
 * The command log as a shell script a student can read and run on their own machine: the
 * commands that succeeded, in order, as a person would type them (pings left out).
 */
export function logToScript(log: readonly CommandRecord[], lab: string): string {
  const ran = log.filter((r) => r.exitCode === 0 && r.reason !== 'ping tool');
  const about = [
    `netcanvas lab "${lab}": the commands the agent ran, in order (${new Date().toISOString()})`,
  ];
  return `${shellScript(
    about,
    // A bridge command says its brctl form too, as the log does (brctl ≡ ip).
    ran.map((r) => ({ argv: r.argv, why: `${r.reason} (${r.by})${r.brctl ? `; ≡ ${r.brctl}` : ''}` })),
  ).join('\n')}\n`;
}
