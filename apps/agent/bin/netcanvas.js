#!/usr/bin/env node
// The installed `netcanvas` command: runs the bundled command line (dist/netcanvas.cjs) with V8's
// code cache, building it first when it is missing or older than its sources (after a `git pull`,
// say). CommonJS (bin/package.json), as an ES module's loader costs start-up time. `pnpm netcanvas`
// runs the sources through tsx instead: the developer's path.
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose, see above */
const path = require('node:path');
const { CLI_BUNDLE, cliBundleStaleness, runCliBundle } = require('../scripts/cli-bundle.cjs');

const why = cliBundleStaleness();
if (why === undefined) runCliBundle();
else {
  process.stderr.write(
    `netcanvas: building the command line (${path.relative(process.cwd(), CLI_BUNDLE)}: ${why})\n`,
  );
  import('../scripts/build-cli.mjs')
    .then(({ buildCli }) => buildCli())
    .then(runCliBundle, (error) => {
      process.stderr.write(`netcanvas: could not build the command line: ${error.message}\n`);
      process.exitCode = 1;
    });
}
