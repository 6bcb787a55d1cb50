import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ObservedState, findInterface } from '@netcanvas/model';

/**
 * The built command line: apps/agent/dist/netcanvas.cjs, one file that plain `node` runs, and the
 * bin that runs it. Built afresh here from today's sources, then used as a person uses it, on real
 * sandbox labs (`t-clib-...`, destroyed with --force afterwards, pass or fail).
 */

const repoRoot = path.resolve(import.meta.dirname, '../../..');
const bundle = path.join(repoRoot, 'apps/agent/dist/netcanvas.cjs');
const bin = path.join(repoRoot, 'apps/agent/bin/netcanvas.js');
const example = path.join(repoRoot, 'examples/veth-pair.json');
const webIndex = path.join(repoRoot, 'apps/web/dist/index.html');
const codeCache = path.join(repoRoot, 'apps/agent/dist/netcanvas.v8cache');
const buildScript = path.join(repoRoot, 'apps/agent/scripts/build-cli.mjs');
const stateDir = mkdtempSync(path.join(tmpdir(), 'netcanvas-bundle-'));
const lab = `t-clib-${randomBytes(3).toString('hex')}`;

/** A web build from scratch: ~20 s on two quiet cores, minutes on a loaded machine. */
const WEB_BUILD_MS = 180_000;

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** `node FILE ARGS` in a neutral folder, so nothing depends on the working directory. */
const node = (file: string, args: string[], timeout = 60_000): Promise<Ran> =>
  new Promise((resolve) => {
    const env = { ...process.env, NETCANVAS_STATE_DIR: stateDir };
    execFile(process.execPath, [file, ...args], { cwd: tmpdir(), env, timeout }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });

const ok = async (file: string, args: string[], timeout?: number): Promise<string> => {
  const ran = await node(file, args, timeout);
  expect(ran.code, `${path.basename(file)} ${args.join(' ')}\n${ran.stdout}\n${ran.stderr}`).toBe(0);
  return ran.stdout;
};

beforeAll(async () => {
  await ok(buildScript, []);
}, 120_000);

afterAll(async () => {
  await node(bin, ['destroy', '--force', '--purge', '--lab', lab]);
  rmSync(stateDir, { recursive: true, force: true });
});

describe('the bundled command line', () => {
  test('is one file, with every workspace package inside it', () => {
    expect(statSync(bundle).isFile()).toBe(true);
    const text = readFileSync(bundle, 'utf8');
    expect(text).not.toMatch(/require\("@netcanvas\//);
    expect(text).not.toContain('import.meta.dirname');
  });

  test('node runs it: --version is the agent package version, --help lists the commands', async () => {
    const { version } = JSON.parse(readFileSync(path.join(repoRoot, 'apps/agent/package.json'), 'utf8')) as {
      version: string;
    };
    expect((await ok(bundle, ['--version'])).trim()).toBe(version);
    const help = await ok(bundle, ['--help']);
    expect(help).toMatch(/^Usage: netcanvas \[options\] \[command\]$/m);
    for (const command of [
      'apply',
      'observe',
      'export',
      'adopt',
      'exec',
      'shell',
      'labs',
      'destroy',
      'serve',
    ])
      expect(help).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
  });

  test("--help loads none of Node's modules that only some commands need", async () => {
    // Node lists every module of its own it has loaded; the bundle's stand-ins load them on use.
    const preload = path.join(stateDir, 'loaded.cjs');
    writeFileSync(
      preload,
      "process.on('exit', () => process.stderr.write(JSON.stringify(process.moduleLoadList)));",
    );
    const ran = await node('--require', [preload, bundle, '--help']);
    expect(ran.code, ran.stderr).toBe(0);
    const loaded = (JSON.parse(ran.stderr) as string[]).filter((m) => m.startsWith('NativeModule '));
    for (const heavy of ['child_process', 'crypto', 'readline', 'http', 'zlib'])
      expect(loaded).not.toContain(`NativeModule ${heavy}`);
    // …and a command that spawns still has them: labs runs through child_process.
    expect(Array.isArray(JSON.parse(await ok(bundle, ['labs', '--json'])))).toBe(true);
  });

  test('a usage error exits 2 and names the option', async () => {
    const ran = await node(bundle, ['serve', '--port', 'ten']);
    expect(ran.code).toBe(2);
    expect(ran.stderr).toContain('bad --port "ten"');
  });
});

describe('the bin', () => {
  test('rebuilds the bundle when what it is built from is newer, saying why', async () => {
    // Newer than the bundle, never in the future (the rebuilt bundle must then be current).
    const later = new Date(Math.min(Date.now(), statSync(bundle).mtimeMs + 1_000));
    utimesSync(buildScript, later, later);
    const ran = await node(bin, ['--version']);
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stderr).toContain('building the command line (');
    expect(ran.stderr).toContain('build-cli.mjs is newer)');
    expect(statSync(bundle).mtimeMs).toBeGreaterThanOrEqual(later.getTime());
    expect((await node(bin, ['--version'])).stderr).toBe('');
  });

  test('rebuilds when the dependencies are installed anew (pnpm rewrites node_modules/.modules.yaml)', async () => {
    const record = path.join(repoRoot, 'node_modules/.modules.yaml');
    expect(readFileSync(path.join(repoRoot, 'apps/agent/dist/netcanvas.inputs'), 'utf8')).toContain(record);
    const later = new Date(Math.min(Date.now(), statSync(bundle).mtimeMs + 1_000));
    utimesSync(record, later, later);
    const ran = await node(bin, ['--version']);
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stderr).toContain('.modules.yaml is newer)');
    expect((await node(bin, ['--version'])).stderr).toBe('');
  });

  test("keeps V8's code cache, and ignores one made for another bundle", async () => {
    await ok(bin, ['--version']);
    const stamp = readFileSync(codeCache).subarray(0, 16);
    writeFileSync(codeCache, Buffer.concat([Buffer.alloc(16), randomBytes(4096)]));
    expect((await ok(bin, ['--version'])).trim()).toMatch(/^\d+\.\d+\.\d+$/);
    expect(readFileSync(codeCache).subarray(0, 16).equals(stamp)).toBe(true);
  });
});

describe.skipIf(process.getuid?.() !== 0)('the bin, on a real kernel', () => {
  test('labs --json prints JSON', async () => {
    expect(Array.isArray(JSON.parse(await ok(bin, ['labs', '--json'])))).toBe(true);
  });

  test('apply, observe and destroy a sandbox lab', async () => {
    expect(await ok(bin, ['apply', example, '--lab', lab])).toMatch(/^applied \d+ commands in \d+ ms$/m);
    const state = ObservedState.parse(JSON.parse(await ok(bin, ['observe', '--json', '--lab', lab])));
    expect(findInterface(state, 'ns0', 'veth0')?.addresses).toContain('10.0.1.1/24');
    const labs = JSON.parse(await ok(bin, ['labs', '--json'])) as { lab: string }[];
    expect(labs.map((l) => l.lab)).toContain(lab);
    expect(await ok(bin, ['destroy', '--lab', lab])).toContain(`removed sandbox lab "${lab}"`);
    const after = JSON.parse(await ok(bin, ['labs', '--json'])) as { lab: string }[];
    expect(after.map((l) => l.lab)).not.toContain(lab);
  });

  describe('serve', () => {
    let agent: ChildProcess | undefined;
    afterAll(() => void agent?.kill('SIGTERM'));

    // The agent finds apps/web/dist from its source's folder; from dist/ that must still be the web app.
    test(
      'serves the web app from apps/web/dist',
      async () => {
        // Built when stale, as the e2e tests and `pnpm start` do. A build is not what is tested
        // here: it has its own time (a CI rehearsal at load 27 killed it at 60 s).
        await ok(path.join(repoRoot, 'scripts/build-web-if-stale.mjs'), [], WEB_BUILD_MS);
        const env = { ...process.env, NETCANVAS_STATE_DIR: stateDir };
        agent = spawn(process.execPath, [bin, 'serve', '--port', '0', '--lab', lab], { cwd: tmpdir(), env });
        let printed = '';
        agent.stdout?.on('data', (chunk: Buffer) => (printed += chunk.toString()));
        const origin = await new Promise<string>((resolve, reject) => {
          agent?.stdout?.on('data', () => {
            const listening = /^listening on (http:\/\/\S+)$/m.exec(printed);
            if (listening?.[1]) resolve(listening[1]);
          });
          agent?.on('exit', (code) => reject(new Error(`serve exited ${code}: ${printed}`)));
        });
        expect(existsSync(webIndex)).toBe(true);
        const page = await fetch(`${origin}/`);
        expect(page.status).toBe(200);
        expect(await page.text()).toBe(readFileSync(webIndex, 'utf8'));
      },
      WEB_BUILD_MS + 60_000,
    );
  });
});
