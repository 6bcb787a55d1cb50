import { readFile, readdir, readlink } from 'node:fs/promises';
import type { Target } from '@netcanvas/kernel';

/**
 * The agent's helper processes for one lab: its `ip -batch` sessions and its `ip monitor`. The agent
 * runs inside this test process, so they are our children. They are told apart from other labs'
 * (another test file, another agent on the machine) by their mount namespace: every helper joins
 * the lab's sandbox holder's mount namespace (`nsenter -t HOLDER -m` or `--mount=/proc/HOLDER/ns/mnt`).
 * (Their argv no longer shows the holder's pid: setpriv and nsenter exec into `ip`.) The holder
 * itself (`sleep infinity`, also our child, in that namespace) is never a helper: it runs neither
 * `-batch` nor `monitor`.
 */
export interface LabHelper {
  pid: number;
  kind: 'session' | 'monitor';
  /** The helper's network namespace (which of the lab's namespaces its session serves). */
  netns: string;
}

async function parentOf(pid: number): Promise<number | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null;
  }
}

export async function labHelpers(target: Target): Promise<LabHelper[]> {
  if (target.kind !== 'sandbox') throw new Error('the fault suite only kills helpers of a sandbox lab');
  const mntns = target.sandbox.mntns;
  const found: LabHelper[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === target.sandbox.pid || (await parentOf(pid)) !== process.pid) continue;
    try {
      const [argv, mnt, netns] = await Promise.all([
        readFile(`/proc/${pid}/cmdline`, 'utf8').then((text) => text.split('\0')),
        readlink(`/proc/${pid}/ns/mnt`),
        readlink(`/proc/${pid}/ns/net`),
      ]);
      if (mnt !== mntns || argv[0] !== 'ip') continue;
      if (argv.includes('-batch')) found.push({ pid, kind: 'session', netns });
      else if (argv.includes('monitor')) found.push({ pid, kind: 'monitor', netns });
    } catch {
      // gone meanwhile
    }
  }
  return found.sort((x, y) => x.pid - y.pid);
}

/**
 * SIGKILLs the given helpers and waits (up to `timeoutMs`) until each is reaped: then the agent's
 * child-process objects have seen them end, as they would after an OOM kill.
 */
export async function killHelpers(helpers: readonly LabHelper[], timeoutMs = 3000): Promise<void> {
  for (const h of helpers) {
    try {
      process.kill(h.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  const deadline = Date.now() + timeoutMs;
  for (const h of helpers) {
    while ((await parentOf(h.pid)) === process.pid) {
      if (Date.now() > deadline)
        throw new Error(`helper ${h.pid} (${h.kind}) was not reaped in ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}
