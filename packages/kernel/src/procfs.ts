import { readFileSync, readlinkSync } from 'node:fs';
import { readdir, readFile, readlink, stat } from 'node:fs/promises';

/** Facts about processes and namespaces read from /proc, without spawning anything. */

/** The process's start time in clock ticks since boot (field 22 of /proc/PID/stat); null if it is gone. */
export async function processStartTime(pid: number): Promise<number | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[19]);
  } catch {
    return null;
  }
}

/**
 * Whether this very process still runs in this network namespace (a pid is reused: its start time
 * says it is the same process). Synchronous on purpose: /proc is not a disk, and the agent asks
 * before every edit, where an async read queues behind the state folder's fsyncs in libuv's
 * threadpool (15 ms median, 167 ms p95 at load 15, docs/benchmarks.md).
 */
export function isSameProcessIn(pid: number, startTime: number, netns: string): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[19]) === startTime && readlinkSync(`/proc/${pid}/ns/net`) === netns;
  } catch {
    return false;
  }
}

/** The namespace a process is in, as "net:[4026532]" style text; null if it is gone. */
export async function namespaceOf(pid: number | 'self', kind: 'net' | 'mnt'): Promise<string | null> {
  try {
    return await readlink(`/proc/${pid}/ns/${kind}`);
  } catch {
    return null;
  }
}

/** The inode of a network namespace file (a /run/netns entry), in the form /proc/PID/ns/net links show. */
export async function netnsFileId(file: string): Promise<string | null> {
  try {
    return `net:[${(await stat(file)).ino}]`;
  } catch {
    return null;
  }
}

/** Every process whose namespace of `kind` is `id` (e.g. every process inside one lab namespace). */
export async function processesIn(kind: 'net' | 'mnt', ids: ReadonlySet<string>): Promise<number[]> {
  const found: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    const id = await namespaceOf(pid, kind);
    if (id !== null && ids.has(id)) found.push(pid);
  }
  return found;
}

/** Sends SIGKILL to each process and waits (up to `timeoutMs`) until they are gone. */
export async function killAndWait(pids: readonly number[], timeoutMs = 3000): Promise<void> {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  const deadline = Date.now() + timeoutMs;
  for (const pid of pids) {
    while (Date.now() < deadline && (await processStartTime(pid)) !== null) {
      // A zombie still has a stat file; its namespaces are already released once it exits.
      if (await isZombie(pid)) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

async function isZombie(pid: number): Promise<boolean> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}
