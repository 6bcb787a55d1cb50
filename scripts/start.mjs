#!/usr/bin/env node
// `pnpm start [serve options]`: builds the web app if it is missing or stale, then runs
// `netcanvas serve` (the agent serves the editor, its API and its WebSocket on one port) from the
// bundled command line, which the bin rebuilds first if a source is newer.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const built = spawnSync(process.execPath, [path.join(root, 'scripts/build-web-if-stale.mjs')], {
  cwd: root,
  stdio: 'inherit',
});
if (built.status !== 0) process.exit(built.status ?? 1);

const args = process.argv.slice(2).filter((a) => a !== '--');
const bin = path.join(root, 'apps/agent/bin/netcanvas.js');
const agent = spawn(process.execPath, [bin, 'serve', ...args], { cwd: root, stdio: 'inherit' });
// Ctrl-C reaches the agent through the terminal's process group; a SIGTERM sent to us is passed on.
process.on('SIGTERM', () => agent.kill('SIGTERM'));
process.on('SIGINT', () => undefined);
agent.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
