// Where the bundled command line lives, whether it still matches what it was built from, and how
// the bin runs it fast. No dependencies, and CommonJS (loaded with require, faster than an ES
// module's loader): the bin loads this on every start.
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose, see above */
const { existsSync, readFileSync, renameSync, statSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const path = require('node:path');
const vm = require('node:vm');

const agentDir = path.resolve(__dirname, '..');

/** The one-file command line: `node apps/agent/dist/netcanvas.cjs`. */
const CLI_BUNDLE = (exports.CLI_BUNDLE = path.join(agentDir, 'dist/netcanvas.cjs'));
/** Every file the bundle was built from (workspace sources and node_modules), one per line. */
const CLI_INPUTS = (exports.CLI_INPUTS = path.join(agentDir, 'dist/netcanvas.inputs'));
/** V8's compiled code for the bundle, kept by the bin after its first run. */
const CLI_CODE_CACHE = (exports.CLI_CODE_CACHE = path.join(agentDir, 'dist/netcanvas.v8cache'));
/** The build's own configuration is an input too: a changed option rebuilds. */
const BUILD_SCRIPT = path.join(agentDir, 'scripts/build-cli.mjs');

const mtime = (file) => {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return Infinity; // gone (a file renamed, a dependency upgraded): rebuild
  }
};

/**
 * Why the bundle must be rebuilt, or undefined when it is current (a stat per input: a few ms). The
 * bundle's time is the time its build started, so a source saved during a build still counts.
 */
function cliBundleStaleness() {
  if (!existsSync(CLI_BUNDLE) || !existsSync(CLI_INPUTS)) return 'it is missing';
  const builtAt = mtime(CLI_BUNDLE);
  const inputs = readFileSync(CLI_INPUTS, 'utf8').split('\n').filter(Boolean);
  const newer = [BUILD_SCRIPT, ...inputs.map((p) => path.resolve(agentDir, p))].find(
    (file) => mtime(file) > builtAt,
  );
  return newer === undefined ? undefined : `${path.relative(process.cwd(), newer)} is newer`;
}

/**
 * Runs the bundle as Node runs a CommonJS file, but with V8's code cache: compiling 1.6 MB of
 * JavaScript is a good part of each start. V8 checks the cache against the source's length only,
 * so the cache carries the bundle's time and size and is ignored when either differs.
 */
function runCliBundle() {
  const { mtimeMs, size } = statSync(CLI_BUNDLE);
  const stamp = Buffer.alloc(16);
  stamp.writeDoubleLE(mtimeMs, 0);
  stamp.writeDoubleLE(size, 8);
  let cachedData;
  try {
    const cache = readFileSync(CLI_CODE_CACHE);
    if (cache.subarray(0, 16).equals(stamp)) cachedData = cache.subarray(16);
  } catch {
    // no cache yet: this run makes it
  }
  // CommonJS's own wrapper, on the source's first line so line numbers in stack traces hold.
  const source = `(function (exports, require, module, __filename, __dirname) { ${readFileSync(CLI_BUNDLE, 'utf8')}\n});`;
  const script = new vm.Script(source, {
    filename: CLI_BUNDLE,
    ...(cachedData ? { cachedData } : {}),
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  // Made at exit, so it holds the functions this command compiled, not only the top level.
  if (cachedData === undefined || script.cachedDataRejected)
    process.once('exit', () => saveCache(script, stamp));
  const module = { exports: {}, filename: CLI_BUNDLE, id: '.', loaded: false };
  const run = script.runInThisContext();
  run.call(
    module.exports,
    module.exports,
    createRequire(CLI_BUNDLE),
    module,
    CLI_BUNDLE,
    path.dirname(CLI_BUNDLE),
  );
}

function saveCache(script, stamp) {
  const aside = `${CLI_CODE_CACHE}.${process.pid}.tmp`;
  try {
    writeFileSync(aside, Buffer.concat([stamp, script.createCachedData()]));
    renameSync(aside, CLI_CODE_CACHE);
  } catch {
    // a read-only checkout or another user's dist/: the next run compiles again, nothing worse
  }
}

exports.cliBundleStaleness = cliBundleStaleness;
exports.runCliBundle = runCliBundle;
