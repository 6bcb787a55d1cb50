import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from './paths';

/** Builds the web app when its sources are newer than dist/ (the agent serves dist/), and tags this run. */
export default function globalSetup(): void {
  if (process.getuid?.() !== 0)
    throw new Error('e2e tests need root: the agent builds real namespaces (in sandboxes)');
  process.env.NETCANVAS_E2E_RUN ??= Math.random().toString(16).slice(2, 8);
  execFileSync(process.execPath, [path.join(repoRoot, 'scripts/build-web-if-stale.mjs')], {
    cwd: repoRoot,
    stdio: 'inherit',
  });
}
