import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Lab } from '@netcanvas/kernel';
import { repoRoot, runTag } from './paths';

const cliBin = path.join(repoRoot, 'apps/agent/bin/netcanvas.js');

/**
 * The real agent, as a person starts it (`netcanvas serve --port 0`), on its own sandbox lab with
 * its own state folder. `stop()` ends the agent and destroys the lab, whatever happened.
 */
export interface RunningLab {
  name: string;
  origin: string;
  /** One-time: the first GET exchanges it for the editor's session cookie. */
  editorUrl: string;
  viewerUrl: string;
  stateDir: string;
  /** `netcanvas <command> --lab NAME <rest>`: what a person at a terminal would type. */
  cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  /** `netcanvas exec NS --lab NAME -- argv`, failing on a non-zero exit. */
  exec(namespace: string, argv: string[]): Promise<string>;
  /**
   * Stops the agent (SIGTERM, as Ctrl-C would) and starts it again on the same port and lab, as
   * a person restarting `pnpm start` would; `--new-links` with `newLinks`. Resolves with the new
   * run's links.
   */
  restart(options?: { newLinks?: boolean }): Promise<{ editorUrl: string; viewerUrl: string }>;
  stop(): Promise<void>;
}

/** `serveArgs`: more options for `serve` (e.g. `--terminals`), kept across a restart. */
export async function startLab(tag: string, serveArgs: string[] = []): Promise<RunningLab> {
  const name = `e2e-${runTag()}-${tag}-${randomBytes(2).toString('hex')}`;
  const stateDir = await mkdtemp(path.join(tmpdir(), 'netcanvas-e2e-'));
  const env = { ...process.env, NETCANVAS_STATE_DIR: stateDir };
  let agent: ChildProcess | null = null;
  const stop = async () => {
    if (agent) await kill(agent);
    const lab = await Lab.open({ lab: name }, { create: false }).catch(() => null);
    await lab?.destroy({ force: true });
    await rm(stateDir, { recursive: true, force: true });
  };
  /**
   * Starts `serve` and resolves with the links it prints. The built command line (the installed
   * `netcanvas`), not `pnpm netcanvas` (pnpm + tsx): ~1.2 s less for each of the ~50 starts and
   * restarts; the global setup has built it from the current sources.
   */
  const serve = (port: string, extra: string[] = []) => {
    const child = spawn(process.execPath, [cliBin, 'serve', '--lab', name, '--port', port, ...extra], {
      cwd: repoRoot,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    agent = child;
    let output = '';
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    return new Promise<{ editor: string; viewer: string }>((resolve, reject) => {
      let text = '';
      const timer = setTimeout(
        () => reject(new Error(`the agent did not start:\n${text}\n${output}`)),
        60_000,
      );
      child.stdout?.on('data', (d: Buffer) => {
        text += d.toString();
        const editor = /editor \(one-time link\): (\S+)/.exec(text)?.[1];
        const viewer = /viewer \(share with a class\): (\S+)/.exec(text)?.[1];
        if (editor && viewer) {
          clearTimeout(timer);
          resolve({ editor, viewer });
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the agent exited (${code}):\n${text}\n${output}`));
      });
    });
  };
  try {
    const urls = await serve('0', serveArgs);
    const cli = (args: string[]) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        // The built command line too: ~1.2 s less per call, and the specs make ~50 of them.
        execFile(
          process.execPath,
          [cliBin, ...args.slice(0, 1), '--lab', name, ...args.slice(1)],
          { cwd: repoRoot, env, timeout: 60_000 },
          (error, stdout, stderr) => {
            const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
            resolve({ code, stdout, stderr });
          },
        );
      });
    return {
      name,
      origin: new URL(urls.editor).origin,
      editorUrl: urls.editor,
      viewerUrl: urls.viewer,
      stateDir,
      cli,
      async restart(options = {}) {
        if (agent) await kill(agent);
        const again = await serve(new URL(urls.editor).port, [
          ...serveArgs,
          ...(options.newLinks ? ['--new-links'] : []),
        ]);
        return { editorUrl: again.editor, viewerUrl: again.viewer };
      },
      async exec(namespace, argv) {
        const r = await cli(['exec', namespace, '--', ...argv]);
        if (r.code !== 0)
          throw new Error(`netcanvas exec ${namespace} -- ${argv.join(' ')}: exit ${r.code}\n${r.stderr}`);
        return r.stdout;
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** SIGTERM to the agent's process group (node and whatever it started), then SIGKILL if it lingers. */
async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, s);
    } catch {
      // already gone
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** The lab's namespaces as the kernel lists them (`ip netns list`), sorted. */
export async function kernelNamespaces(lab: RunningLab): Promise<string[]> {
  return (await lab.exec('root', ['ip', 'netns', 'list']))
    .split('\n')
    .map((l) => l.split(' ')[0] ?? '')
    .filter(Boolean)
    .sort();
}
