#!/usr/bin/env node
// The installed `netcanvas` command: runs the bundled command line (dist/netcanvas.cjs), built
// first when it is missing or older than its sources (after a `git pull`, say), with V8's code
// cache. `pnpm netcanvas` runs the sources through tsx instead: the developer's path.
import { ensureCliBundle, runCliBundle } from '../scripts/cli-bundle.mjs';

try {
  await ensureCliBundle();
} catch (error) {
  process.stderr.write(`netcanvas: could not build the command line: ${error.message}\n`);
  process.exit(1);
}
runCliBundle();
