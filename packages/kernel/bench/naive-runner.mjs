import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/**
 * The naive baseline, run *inside* the sandbox so it pays no nsenter: one `ip` process per command,
 * spawned one after another, the way a program following the tutorial line by line would.
 */
const commands = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const started = performance.now();
for (const [file, ...args] of commands) execFileSync(file, args, { stdio: 'ignore' });
process.stdout.write(JSON.stringify({ ms: performance.now() - started, commands: commands.length }) + '\n');
