#!/usr/bin/env node
// Builds apps/web (vite) when apps/web/dist is missing or older than anything it is built from:
// the web app's sources and config, the model it bundles, and the examples it embeds.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const built = path.join(root, 'apps/web/dist/index.html');
const inputs = [
  'apps/web/src',
  'apps/web/index.html',
  'apps/web/vite.config.ts',
  'apps/web/package.json',
  'packages/model/src',
  'examples',
].map((p) => path.join(root, p));

function newest(p) {
  let stat;
  try {
    stat = statSync(p);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let max = stat.mtimeMs;
  for (const entry of readdirSync(p)) max = Math.max(max, newest(path.join(p, entry)));
  return max;
}

export function webIsStale() {
  let builtAt;
  try {
    builtAt = statSync(built).mtimeMs;
  } catch {
    return true;
  }
  return inputs.some((p) => newest(p) > builtAt);
}

if (webIsStale()) {
  console.log('netcanvas: building the web app (apps/web/dist is missing or older than its sources)');
  const result = spawnSync('pnpm', ['run', 'build:web'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
