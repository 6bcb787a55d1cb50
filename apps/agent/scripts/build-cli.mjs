#!/usr/bin/env node
// Bundles the command line (src/cli/main.ts, the workspace packages and the dependencies) into one
// file that plain `node` runs: dist/netcanvas.cjs. Run through pnpm and tsx, every start pays
// about 1.5 s before the command does anything; the bundle starts in a fraction of that
// (docs/benchmarks.md, "Command-line start-up").
//
//   node apps/agent/scripts/build-cli.mjs             build it
//   node apps/agent/scripts/build-cli.mjs --if-stale  only if it is missing or a source is newer
import { mkdirSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CLI_BUNDLE, CLI_CODE_CACHE, CLI_INPUTS, cliBundleStaleness, watchedFiles } from './cli-bundle.cjs';

const agentDir = path.resolve(import.meta.dirname, '..');
const outDir = path.dirname(CLI_BUNDLE);

/**
 * Native addons cannot be bundled: they stay imports. The terminal's node-pty is not even an
 * import: the kernel loads it with `createRequire(import.meta.url)` (process.ts), which resolves
 * from the kernel's own folder (import.meta is rewritten below), so it is listed only in case.
 */
const NATIVE = ['node-pty', '*.node'];

/**
 * A source that locates files next to itself (serve.ts finds apps/web/dist from
 * `import.meta.dirname`) keeps meaning its own folder: the bundle is CommonJS, where `import.meta`
 * is empty, so each use becomes the source's folder, resolved from the bundle's (`__dirname`).
 */
const sourceLocation = {
  name: 'source-location',
  setup(build) {
    build.onLoad({ filter: /\.[cm]?ts$/ }, async (args) => {
      if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      const source = await readFile(args.path, 'utf8');
      if (!source.includes('import.meta.')) return { contents: source, loader: 'ts' };
      const fromBundle = (p) => JSON.stringify(path.relative(outDir, p).split(path.sep).join('/'));
      const dir = `require('node:path').resolve(__dirname, ${fromBundle(path.dirname(args.path))})`;
      const file = `require('node:path').resolve(__dirname, ${fromBundle(args.path)})`;
      const contents = source
        .replaceAll('import.meta.dirname', dir)
        .replaceAll('import.meta.filename', file)
        .replaceAll('import.meta.url', `require('node:url').pathToFileURL(${file}).href`);
      return { contents, loader: 'ts' };
    });
  },
};

/**
 * zod's messages in 40-odd languages are a sixth of the bundle, parsed at every start; netcanvas
 * speaks English (zod's default), so only `en` is kept.
 */
const englishOnly = {
  name: 'zod-english-only',
  setup(build) {
    build.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, (args) => ({
      contents: "export { default as en } from './en.js';",
      resolveDir: path.dirname(args.path),
      loader: 'js',
    }));
  },
};

/**
 * Modules that a command may never need, but that load wherever a module imports them, so at
 * every start: `--help` needs none of them. Node's own (tens of ms each, child_process and crypto
 * most) and execa (a hundred files, with its signal and figure tables), which only a command that
 * runs something uses. Each is replaced by a stand-in whose properties load the real module on
 * first use. Only modules whose export is a plain object of functions and values (not a class,
 * like `events` or `stream`).
 */
const LAZY_BUILTINS = [
  'child_process',
  'crypto',
  'dgram',
  'dns',
  'http',
  'https',
  'net',
  'readline',
  'readline/promises',
  'timers/promises',
  'tls',
  'v8',
  'worker_threads',
  'zlib',
];
const LAZY_PACKAGES = ['execa'];

/** The stand-in for a module with these keys, `require(real)` loading it. */
function standInSource(real, module) {
  // Every name the module has, each a getter: reading one loads the module. A function read
  // before that (`promisify(execFile)` at a module's top, in unicorn-magic) is a stand-in that
  // loads it when called; classes (capitalised) load at once, for `new` and `instanceof`.
  const keys = Object.keys(module).filter((key) => key !== 'default');
  const functions = keys.filter((key) => typeof module[key] === 'function' && /^[a-z]/.test(key));
  const promisifiable = functions.filter((key) => module[key][promisify.custom] !== undefined);
  return [
    "const { promisify } = require('node:util');",
    'let real;',
    `const load = () => (real ??= require(${JSON.stringify(real)}));`,
    `const functions = new Set(${JSON.stringify(functions)});`,
    'const standIn = (key) => {',
    '  const call = function (...args) { return load()[key].apply(this, args); };',
    // execFile's promisified form resolves to { stdout, stderr }: kept, and as lazy.
    `  if (${JSON.stringify(promisifiable)}.includes(key))`,
    '    call[promisify.custom] = function (...args) { return load()[key][promisify.custom].apply(this, args); };',
    '  return call;',
    '};',
    `for (const key of ${JSON.stringify(keys)}) {`,
    '  const get = functions.has(key) ? () => (real ? real[key] : standIn(key)) : () => load()[key];',
    '  Object.defineProperty(module.exports, key, { enumerable: true, get });',
    '}',
  ].join('\n');
}

const lazyModules = {
  name: 'lazy-modules',
  setup(build) {
    const names = [...LAZY_BUILTINS.map((m) => `(?:node:)?${m}`), ...LAZY_PACKAGES];
    const filter = new RegExp(`^(${names.join('|').replaceAll('/', '\\/')})$`);
    build.onResolve({ filter }, (args) => {
      const builtin = !LAZY_PACKAGES.includes(args.path);
      // The stand-in's own require of the real module: Node's stays a require, a package's is
      // bundled (found as usual, as is the one onLoad looks up).
      if (args.namespace === 'lazy') return builtin ? { path: args.path, external: true } : undefined;
      if (args.pluginData === 'real') return undefined;
      const name = args.path.replace(/^node:/, '');
      return { path: name, namespace: 'lazy', pluginData: { builtin, resolveDir: args.resolveDir } };
    });
    build.onLoad({ filter: /.*/, namespace: 'lazy' }, async ({ path: name, pluginData }) => {
      if (pluginData.builtin) {
        const real = `node:${name}`;
        return { loader: 'js', contents: standInSource(real, await import(real)) };
      }
      const { resolveDir } = pluginData;
      const resolved = await build.resolve(name, { resolveDir, kind: 'require-call', pluginData: 'real' });
      if (resolved.errors.length > 0) return { errors: resolved.errors };
      const module = await import(pathToFileURL(resolved.path).href);
      return { loader: 'js', contents: standInSource(name, module), resolveDir };
    });
  },
};

/** Builds dist/netcanvas.cjs and the list of files that say when to build it again; returns its inputs. */
export async function buildCli() {
  const startedAt = new Date();
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    absWorkingDir: agentDir,
    entryPoints: ['src/cli/main.ts'],
    outfile: CLI_BUNDLE,
    bundle: true,
    platform: 'node',
    // CommonJS, not an ES module: Node 20 keeps compiled code only for scripts (cli-bundle.cjs), and
    // Node's own modules are then loaded when a command first needs them, not all at start.
    format: 'cjs',
    target: 'node20.19',
    external: NATIVE,
    plugins: [sourceLocation, englishOnly, lazyModules],
    // Escapes what is not ASCII, so the bin may read the bundle as latin1 (faster than UTF-8).
    charset: 'ascii',
    // Whitespace and syntax only: names stay, so a --debug stack trace still reads.
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'none',
    metafile: true,
    write: false,
    logLevel: 'warning',
  });
  // Files only: not esbuild's own (`<runtime>`) nor a stand-in (`lazy-builtin:crypto`).
  const inputs = Object.keys(result.metafile.inputs).filter((p) => !p.startsWith('<') && !/^[\w-]+:/.test(p));
  mkdirSync(outDir, { recursive: true });
  // Written aside and renamed: a command starting meanwhile runs the old bundle or the new, never half.
  writeAtomically(CLI_INPUTS, watchedFiles(inputs).join('\n') + '\n');
  const [bundle] = result.outputFiles;
  writeAtomically(CLI_BUNDLE, bundle.contents);
  utimesSync(CLI_BUNDLE, startedAt, startedAt);
  rmSync(CLI_CODE_CACHE, { force: true });
  return inputs;
}

function writeAtomically(file, contents) {
  const aside = `${file}.${process.pid}.tmp`;
  writeFileSync(aside, contents);
  renameSync(aside, file);
}

if (path.resolve(process.argv[1] ?? '') === import.meta.filename) {
  const ifStale = process.argv.includes('--if-stale');
  const why = cliBundleStaleness();
  if (!ifStale || why !== undefined) {
    const inputs = await buildCli();
    const shown = path.relative(process.cwd(), CLI_BUNDLE);
    console.log(`netcanvas: built ${shown} from ${inputs.length} files${ifStale ? ` (${why})` : ''}`);
  }
}
