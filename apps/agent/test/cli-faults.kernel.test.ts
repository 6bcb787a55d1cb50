import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { run, type RunResult } from '@netcanvas/kernel/testing';
import { netcanvasCommand } from './helpers/cli';
import { ObservedState, findInterface } from '@netcanvas/model';
import { testLabName } from '../../../packages/kernel/test/lab-fixture';

/**
 * What the command line does when something else is in the way: an agent serving the lab that
 * `destroy` is asked to remove, hand-made things that depend on the lab's own, the agent's saved
 * state, and `serve` options that cannot work. The CLI and the agents run as subprocesses, each
 * with a temporary NETCANVAS_STATE_DIR; every lab is `t-RUN-...` and removed afterwards.
 */

const repoRoot = path.resolve(import.meta.dirname, '../../..');
const bridgeExample = path.join(repoRoot, 'examples/bridge.json');
const vethExample = path.join(repoRoot, 'examples/veth-pair.json');

const scratch = mkdtempSync(path.join(tmpdir(), 'netcanvas-cli-faults-'));
const stateDir = path.join(scratch, 'state');
const labs: string[] = [];
const agents: ChildProcess[] = [];
const servers: Server[] = [];

const newLab = (tag: string): string => {
  const name = testLabName(tag);
  labs.push(name);
  return name;
};

const cli = (args: string[], options: { stateDir?: string } = {}): Promise<RunResult> =>
  run(['env', `NETCANVAS_STATE_DIR=${options.stateDir ?? stateDir}`, ...netcanvasCommand, ...args], {
    timeoutMs: 45_000,
  });

const listedLabs = async (): Promise<string[]> => {
  const result = await cli(['labs', '--json']);
  expect(result.exitCode, result.stderr).toBe(0);
  return (JSON.parse(result.stdout) as { lab: string }[]).map((l) => l.lab);
};

interface ServeProcess {
  child: ChildProcess;
  origin: string;
  exited: Promise<number | null>;
  output(): string;
}

/** `netcanvas serve --port 0` on `lab`, once it says where it listens. */
async function serve(lab: string): Promise<ServeProcess> {
  const [node, bundle] = netcanvasCommand as [string, string];
  const child = spawn(node, [bundle, 'serve', '--lab', lab, '--port', '0'], {
    env: { ...process.env, NETCANVAS_STATE_DIR: stateDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  agents.push(child);
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const origin = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start in 45 s:\n${text}`)), 45_000);
    const look = () => {
      const found = /^listening on (http:\/\/\S+)$/m.exec(text);
      if (found) {
        clearTimeout(timer);
        resolve(found[1] as string);
      }
    };
    child.stdout?.on('data', look);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited (${code}) before listening:\n${text}`));
    });
  });
  return { child, origin, exited, output: () => text };
}

const within = <T>(promise: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([
    promise,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms),
    ),
  ]);

/** Writes what an agent keeps for a lab: its document and audit log. */
function writeSavedState(lab: string): { dir: string; document: string } {
  const dir = path.join(stateDir, 'labs', lab);
  mkdirSync(dir, { recursive: true });
  const document = path.join(dir, 'topology.json');
  writeFileSync(document, JSON.stringify({ version: 1, document: { schemaVersion: 1 } }) + '\n');
  writeFileSync(path.join(dir, 'audit.log'), '');
  return { dir, document };
}

describe.skipIf(process.getuid?.() !== 0)('the CLI when something is in the way', () => {
  afterAll(async () => {
    // Whatever happened above: no agent, listener, lab or state folder outlives the file.
    for (const child of agents) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await within(gone, 10_000, 'agent stop').catch(() => child.kill('SIGKILL'));
    }
    for (const server of servers) server.close();
    for (const name of labs) await cli(['destroy', '--force', '--lab', name]);
    rmSync(scratch, { recursive: true, force: true });
  });

  describe('destroy while an agent serves the lab', () => {
    test('is refused, naming the agent pid, and the agent keeps serving', async () => {
      const lab = newLab('served');
      const agent = await serve(lab);
      // Asked with another state folder: the lock is the lab's, wherever the agent keeps its state.
      const other = path.join(scratch, 'other-state');
      const result = await cli(['destroy', '--lab', lab], { stateDir: other });
      expect(result.exitCode, result.stdout + result.stderr).toBe(1);
      expect(result.stderr).toContain(
        `lab "${lab}" is served by the agent pid ${agent.child.pid}; stop it first, or use --force to stop it and destroy`,
      );
      expect(result.stdout).toBe('');

      const health = await fetch(`${agent.origin}/api/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ ok: true, lab });
      expect(agent.child.exitCode).toBeNull();
      expect(await listedLabs()).toContain(lab);
    });

    test('--force stops the agent cleanly, then removes the lab', async () => {
      const lab = newLab('forced');
      const agent = await serve(lab);
      const result = await cli(['destroy', '--force', '--lab', lab]);
      expect(result.exitCode, result.stdout + result.stderr).toBe(0);
      expect(result.stdout).toContain(`stopped the agent serving lab "${lab}" (pid ${agent.child.pid})`);
      expect(result.stdout).toContain(`removed sandbox lab "${lab}"`);
      // It stopped on SIGTERM the way it stops on Ctrl-C: exit 0, after saying so.
      expect(await within(agent.exited, 5_000, 'agent exit')).toBe(0);
      expect(agent.output()).toMatch(/^stopping$/m);
      expect(await listedLabs()).not.toContain(lab);
    });
  });

  describe('what destroy says it keeps', () => {
    test('a macvlan made by hand on the lab bridge went with it: not reported as kept', async () => {
      const lab = newLab('macvlan');
      const applied = await cli(['apply', bridgeExample, '--lab', lab]);
      expect(applied.exitCode, applied.stderr).toBe(0);
      const made = await cli(['exec', 'root', '--lab', lab, '--', 'ip', 'link', 'add', 'mv0', 'link', 'br0', 'type', 'macvlan', 'mode', 'bridge']); // prettier-ignore
      expect(made.exitCode, made.stderr).toBe(0);

      const result = await cli(['destroy', '--lab', lab]);
      expect(result.exitCode, result.stdout + result.stderr).toBe(0);
      expect(result.stdout).not.toContain('kept');
      expect(result.stdout).toContain("made by hand, and gone with what the lab made:\n  interface mv0 in the lab's root\n"); // prettier-ignore
      // Nothing made by hand is left, so the sandbox went too.
      expect(result.stdout).toContain(`removed sandbox lab "${lab}"`);
      expect(await listedLabs()).not.toContain(lab);
    });

    test('lists exactly what really remains when something made by hand does', async () => {
      const lab = newLab('kept');
      const applied = await cli(['apply', bridgeExample, '--lab', lab]);
      expect(applied.exitCode, applied.stderr).toBe(0);
      for (const argv of [
        ['ip', 'link', 'add', 'mv0', 'link', 'br0', 'type', 'macvlan', 'mode', 'bridge'],
        ['ip', 'link', 'add', 'hand0', 'type', 'veth', 'peer', 'name', 'hand1'],
      ]) {
        const made = await cli(['exec', 'root', '--lab', lab, '--', ...argv]);
        expect(made.exitCode, made.stderr).toBe(0);
      }

      const result = await cli(['destroy', '--lab', lab]);
      expect(result.exitCode, result.stdout + result.stderr).toBe(0);
      const lines = result.stdout.split('\n');
      const at = lines.indexOf(`kept sandbox lab "${lab}": it holds what netcanvas did not make:`);
      expect(at, result.stdout).toBeGreaterThanOrEqual(0);
      const kept = lines.slice(at + 1).filter((line) => line.startsWith('  '));
      expect(kept.sort()).toEqual([
        "  interface hand0 in the lab's root",
        "  interface hand1 in the lab's root",
      ]);

      const observed = await cli(['observe', '--json', '--lab', lab]);
      expect(observed.exitCode, observed.stderr).toBe(0);
      const state = ObservedState.parse(JSON.parse(observed.stdout));
      expect(findInterface(state, 'root', 'hand0')).toBeDefined();
      expect(findInterface(state, 'root', 'hand1')).toBeDefined();
      expect(findInterface(state, 'root', 'mv0')).toBeUndefined();
      expect(findInterface(state, 'root', 'br0')).toBeUndefined();
    });
  });

  describe("the agent's saved state", () => {
    test('destroy says where the saved document stays, and keeps it', async () => {
      const lab = newLab('doc');
      const applied = await cli(['apply', vethExample, '--lab', lab]);
      expect(applied.exitCode, applied.stderr).toBe(0);
      const { document } = writeSavedState(lab);

      const result = await cli(['destroy', '--lab', lab]);
      expect(result.exitCode, result.stdout + result.stderr).toBe(0);
      expect(result.stdout).toContain(`removed sandbox lab "${lab}"`);
      expect(result.stdout).toContain(`the saved document stays: ${document}`);
      expect(existsSync(document)).toBe(true);
    });

    test('destroy --purge also deletes the saved state folder, even once the lab is gone', async () => {
      const lab = newLab('purge');
      const applied = await cli(['apply', vethExample, '--lab', lab]);
      expect(applied.exitCode, applied.stderr).toBe(0);
      const { dir } = writeSavedState(lab);

      const result = await cli(['destroy', '--purge', '--lab', lab]);
      expect(result.exitCode, result.stdout + result.stderr).toBe(0);
      expect(result.stdout).toContain(`removed sandbox lab "${lab}"`);
      expect(result.stdout).toContain(`deleted the saved state of lab "${lab}": ${dir}`);
      expect(existsSync(dir)).toBe(false);
      expect(await listedLabs()).not.toContain(lab);

      writeSavedState(lab);
      const again = await cli(['destroy', '--purge', '--lab', lab]);
      expect(again.exitCode, again.stdout + again.stderr).toBe(0);
      expect(again.stdout).toContain(`no sandbox lab named "${lab}"; nothing to destroy`);
      expect(existsSync(dir)).toBe(false);
    });
  });

  describe('serve with an option that cannot work creates no lab', () => {
    test.each([
      ['--listen', 'evil;x'],
      ['--allow-host', 'a b'],
    ])('%s %j: exit 2, naming the option', async (option, value) => {
      const lab = newLab('badopt');
      const result = await cli(['serve', '--lab', lab, '--port', '0', option, value]);
      expect(result.exitCode, result.stdout + result.stderr).toBe(2);
      expect(result.stderr).toContain(`bad ${option} ${JSON.stringify(value)}`);
      expect(result.stdout).toBe('');
      expect(await listedLabs()).not.toContain(lab);
    });

    // Needs startAgent to bind the port before it touches the kernel.
    test('a port already in use: exits non-zero naming the port', async () => {
      const taken = createServer();
      servers.push(taken);
      await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
      const port = (taken.address() as { port: number }).port;
      const lab = newLab('port');
      const result = await cli(['serve', '--lab', lab, '--port', String(port)]);
      expect(result.exitCode, result.stdout + result.stderr).not.toBe(0);
      expect(result.stderr).toContain(String(port));
      expect(await listedLabs()).not.toContain(lab);
    });
  });
});
