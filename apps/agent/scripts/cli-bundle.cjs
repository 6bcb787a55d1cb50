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
/** The files that say whether the bundle is current (watchedFiles), one absolute path per line. */
const CLI_INPUTS = (exports.CLI_INPUTS = path.join(agentDir, 'dist/netcanvas.inputs'));
/** V8's compiled code for the bundle, kept by the bin after its first run. */
const CLI_CODE_CACHE = (exports.CLI_CODE_CACHE = path.join(agentDir, 'dist/netcanvas.v8cache'));
/** The build's own configuration is an input too: a changed option rebuilds. */
const BUILD_SCRIPT = path.join(agentDir, 'scripts/build-cli.mjs');

const mtime = (file) => {
  // Gone (a file renamed, a dependency upgraded): rebuild. No exception: a few hundred stats.
  return statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? Infinity;
};

/**
 * The files whose times say whether the bundle is current, from the files it was built from (as
 * esbuild names them, relative to apps/agent): every workspace source, and for the dependencies
 * one file per node_modules, pnpm's record of its last install (`.modules.yaml`, rewritten by
 * every install): about a hundred stats at each start, not one per dependency file. Where that
 * record is missing (not pnpm), the dependency files themselves. Absolute, so the bin resolves
 * nothing: a checkout moved elsewhere finds none of them, and rebuilds.
 */
function watchedFiles(inputs) {
  const out = new Set();
  const records = new Map(); // node_modules folder → its install record, or null
  for (const input of inputs) {
    const file = path.resolve(agentDir, input);
    const at = file.indexOf(`${path.sep}node_modules${path.sep}`);
    if (at < 0) {
      out.add(file);
      continue;
    }
    const folder = file.slice(0, at);
    if (!records.has(folder)) {
      const record = path.join(folder, 'node_modules/.modules.yaml');
      records.set(folder, existsSync(record) ? record : null);
    }
    out.add(records.get(folder) ?? file);
  }
  return [...out];
}

/**
 * Why the bundle must be rebuilt, or undefined when it is current (a stat per watched file: a
 * few ms). The bundle's time is the time its build started, so a source saved during a build
 * still counts.
 */
function cliBundleStaleness() {
  const builtAt = statSync(CLI_BUNDLE, { throwIfNoEntry: false })?.mtimeMs;
  if (builtAt === undefined || !existsSync(CLI_INPUTS)) return 'it is missing';
  const watched = readFileSync(CLI_INPUTS, 'utf8').split('\n').filter(Boolean);
  for (const file of [BUILD_SCRIPT, ...watched])
    if (mtime(file) > builtAt) return `${path.relative(process.cwd(), file)} is newer`;
  return undefined;
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
  // latin1: the bundle is ASCII (build-cli.mjs), and decoding it as UTF-8 costs more.
  const source = `(function (exports, require, module, __filename, __dirname) { ${readFileSync(CLI_BUNDLE, 'latin1')}\n});`;
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
exports.watchedFiles = watchedFiles;
exports.runCliBundle = runCliBundle;
