import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Lab, listSandboxes } from '@netcanvas/kernel';
import { repoRoot, runTag } from './paths';

const cliBin = path.join(repoRoot, 'apps/agent/bin/netcanvas.js');

/** `netcanvas serve --class N`, as a trainer starts it, with the links it printed. */
export interface RunningClass {
  name: string;
  /** One-time links of the trainer's, each to its page. */
  overviewUrl: string;
  linksUrl: string;
  /** Each student's one-time editor link, s01 first. */
  students: string[];
  /** The sandboxes of the class's students alive now. */
  labs(): Promise<string[]>;
  /** Ctrl-C: the class destroys its labs and the agent exits. */
  stop(): Promise<void>;
}

export async function startClass(tag: string, size: number, serveArgs: string[] = []): Promise<RunningClass> {
  const name = `e2e-${runTag()}-${tag}-${randomBytes(2).toString('hex')}`;
  const stateDir = await mkdtemp(path.join(tmpdir(), 'netcanvas-e2e-class-'));
  const child = spawn(
    process.execPath,
    [cliBin, 'serve', '--lab', name, '--port', '0', '--class', String(size), ...serveArgs],
    {
      cwd: repoRoot,
      env: { ...process.env, NETCANVAS_STATE_DIR: stateDir },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const labs = async () =>
    (await listSandboxes()).map((s) => s.lab).filter((lab) => lab.startsWith(`${name}-s`));
  const cleanUp = async () => {
    await stopChild(child);
    for (const lab of [name, ...(await labs())])
      await (await Lab.open({ lab }, { create: false }).catch(() => null))?.destroy({ force: true });
    await rm(stateDir, { recursive: true, force: true });
  };
  try {
    const text = await printed(child, (out) => (out.match(/^student s\d\d /gm)?.length ?? 0) === size);
    const link = (label: string) => new RegExp(`${label} \\(one-time link\\): (\\S+)`).exec(text)![1]!;
    return {
      name,
      overviewUrl: link('class overview'),
      linksUrl: link('class links and QR codes'),
      students: [...text.matchAll(/^student s\d\d \(lab \S+, one-time link\): (\S+)$/gm)].map((m) => m[1]!),
      labs,
      async stop() {
        // The agent alone, not its process group: what goes must go because the class destroyed it.
        await stopChild(child, false);
        await cleanUp();
      },
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}

/** What the process printed, once `done` says it is all there. */
function printed(child: ChildProcess, done: (text: string) => boolean): Promise<string> {
  let text = '';
  let errors = '';
  child.stderr?.on('data', (d: Buffer) => (errors += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the class did not start:\n${text}\n${errors}`)), 90_000);
    child.stdout?.on('data', (d: Buffer) => {
      text += d.toString();
      if (done(text)) {
        clearTimeout(timer);
        resolve(text);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the class's agent exited (${code}):\n${text}\n${errors}`));
    });
  });
}

/** SIGTERM (the class destroys its labs), SIGKILL if it lingers past 30 s; to its group unless `group` is false. */
async function stopChild(child: ChildProcess, group = true): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(group ? -child.pid! : child.pid!, s);
    } catch {
      // already gone
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), 30_000);
  await exited;
  clearTimeout(timer);
}
