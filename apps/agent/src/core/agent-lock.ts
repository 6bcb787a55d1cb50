import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { agentLockFile, processStartTime } from '@netcanvas/kernel';

/**
 * One agent per lab: two writers of one document would each reconcile the kernel to their own
 * idea of it, and `destroy` must know whom it would pull the lab from.
 *
 * The lock lives where the lab does, not with the agent's saved state: `/run/netcanvas/agents/LAB.pid`
 * (`NETCANVAS_RUN_DIR` moves it), so two agents with different NETCANVAS_STATE_DIR still meet
 * there. It holds the agent's pid and the process's start time (`{"pid":N,"startTime":T}`); a lock
 * whose process is gone, or whose pid now belongs to another process, is taken over.
 */
export class LabBusyError extends Error {
  constructor(
    readonly lab: string,
    readonly pid: number,
  ) {
    super(
      `another agent (pid ${pid}) is serving lab "${lab}"; stop it first, or serve another lab with --lab`,
    );
  }
}

export interface AgentLockHolder {
  pid: number;
  /** Clock ticks since boot (/proc/PID/stat): tells this process from a later one given the same pid. */
  startTime: number;
}

function parseHolder(text: string): AgentLockHolder | null {
  try {
    const value = JSON.parse(text) as Partial<AgentLockHolder> | null;
    if (
      typeof value?.pid === 'number' &&
      Number.isInteger(value.pid) &&
      value.pid > 0 &&
      typeof value.startTime === 'number'
    )
      return { pid: value.pid, startTime: value.startTime };
  } catch {
    // not a lock we wrote: stale
  }
  return null;
}

/** The process is alive, is the one that took the lock (not a later one with its pid), and is not a zombie. */
async function running(holder: AgentLockHolder): Promise<boolean> {
  if ((await processStartTime(holder.pid)) !== holder.startTime) return false;
  const stat = await readFile(`/proc/${holder.pid}/stat`, 'utf8').catch(() => '');
  return stat !== '' && !stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
}

/** The agent serving `lab` (any state directory), or null when none is. */
export async function findServingAgent(lab: string): Promise<AgentLockHolder | null> {
  const text = await readFile(agentLockFile(lab), 'utf8').catch(() => null);
  const holder = text === null ? null : parseHolder(text);
  return holder !== null && (await running(holder)) ? holder : null;
}

/**
 * Takes the lab's lock for this process; the returned function releases it. Throws LabBusyError
 * naming the pid of the agent that holds it.
 */
export async function lockLab(lab: string): Promise<() => Promise<void>> {
  const file = agentLockFile(lab);
  await mkdir(path.dirname(file), { recursive: true });
  const startTime = await processStartTime(process.pid);
  if (startTime === null) throw new Error("cannot read this process's start time in /proc");
  const text = JSON.stringify({ pid: process.pid, startTime } satisfies AgentLockHolder) + '\n';
  // Written whole under a name of our own, then linked into place: link() fails if the lock
  // exists (like O_EXCL), and nobody ever reads a half-written lock and takes it for stale.
  const draft = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await writeFile(draft, text, { mode: 0o644 });
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await link(draft, file);
        return () => releaseIfMine(file, text);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const seen = await readFile(file, 'utf8').catch(() => null);
      if (seen === null) continue; // released meanwhile
      const holder = parseHolder(seen);
      if (holder !== null && (await running(holder))) throw new LabBusyError(lab, holder.pid);
      await removeStale(file, seen);
    }
  } finally {
    await rm(draft, { force: true });
  }
  throw new Error(`could not lock lab "${lab}": ${file} keeps changing`);
}

/**
 * Removes a lock left by an agent that is gone. Moved aside first and checked: if another agent
 * took the stale lock over between our read and now, what we moved is its live lock, which goes
 * back (unless a third one got in, which then holds the lab).
 */
async function removeStale(file: string, seen: string): Promise<void> {
  const aside = `${file}.stale.${process.pid}.${randomBytes(4).toString('hex')}`;
  try {
    await rename(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if ((await readFile(aside, 'utf8').catch(() => seen)) !== seen)
    await link(aside, file).catch(() => undefined);
  await rm(aside, { force: true });
}

/** Only our own lock: after a takeover (we were judged gone) the file is someone else's. */
async function releaseIfMine(file: string, text: string): Promise<void> {
  if ((await readFile(file, 'utf8').catch(() => null)) === text) await rm(file, { force: true });
}
