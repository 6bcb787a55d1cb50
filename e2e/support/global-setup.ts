import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from './paths';

/**
 * Builds the web app and the command line when their sources are newer than what was built (the
 * agent serves apps/web/dist; the specs start it from apps/agent/dist/netcanvas.cjs through its
 * bin), and tags this run. Built here, once, not by the first tests' bins, several at once.
 */
export default function globalSetup(): void {
  if (process.getuid?.() !== 0)
    throw new Error('e2e tests need root: the agent builds real namespaces (in sandboxes)');
  process.env.NETCANVAS_E2E_RUN ??= Math.random().toString(16).slice(2, 8);
  execFileSync(process.execPath, [path.join(repoRoot, 'scripts/build-web-if-stale.mjs')], {
    cwd: repoRoot,
    stdio: 'inherit',
  });
  execFileSync(process.execPath, [path.join(repoRoot, 'apps/agent/scripts/build-cli.mjs'), '--if-stale'], {
    cwd: repoRoot,
    stdio: 'inherit',
  });
}
