import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from './atomic-file';
import { labDir, labsDir } from './paths';
import { killAndWait, namespaceOf, netnsFileId, processesIn, processStartTime } from './procfs';
import { spawnDetached } from './process';
import { helperFileInode } from './effects/parse';

/**
 * A sandbox is a private network namespace plus a private mount namespace (with its own tmpfs on
 * /run/netns, so `ip netns` inside it sees only the lab's namespaces), held open by one sleeping
 * holder process. Killing every process in it removes the whole lab; the host never changes.
 */

export const SandboxRecord = z.object({
  lab: z.string(),
  pid: z.number().int().positive(),
  /** Guards against pid reuse: the holder's start time and namespaces when it was made. */
  startTime: z.number(),
  netns: z.string(),
  mntns: z.string(),
  createdAt: z.string(),
});
export type SandboxRecord = z.infer<typeof SandboxRecord>;

const recordFile = (lab: string) => path.join(labDir(lab), 'sandbox.json');

// Runs inside the new namespaces. /run/netns is created on the host if missing (an empty folder,
// as `ip netns add` would make), then covered by a tmpfs that only this sandbox sees.
const HOLDER_SCRIPT = [
  'set -e',
  'mkdir -p /run/netns',
  'mount -t tmpfs -o mode=0755,size=4m netcanvas-lab /run/netns',
  'ip link set lo up',
  'echo ready',
  'exec sleep infinity </dev/null >/dev/null 2>&1',
].join('\n');

export async function createSandbox(lab: string): Promise<SandboxRecord> {
  const pid = await spawnDetached(
    ['unshare', '--net', '--mount', '--propagation', 'private', '--', 'sh', '-c', HOLDER_SCRIPT],
    'ready',
  );
  const [startTime, netns, mntns] = await Promise.all([
    processStartTime(pid),
    namespaceOf(pid, 'net'),
    namespaceOf(pid, 'mnt'),
  ]);
  if (startTime === null || netns === null || mntns === null)
    throw new Error(`sandbox holder ${pid} died at start`);
  const record: SandboxRecord = { lab, pid, startTime, netns, mntns, createdAt: new Date().toISOString() };
  await writeFileAtomic(recordFile(lab), JSON.stringify(record, null, 2) + '\n');
  return record;
}

/** The lab's sandbox if its holder is still alive (and is the same process), else null. */
export async function findSandbox(lab: string): Promise<SandboxRecord | null> {
  let record: SandboxRecord;
  try {
    record = SandboxRecord.parse(JSON.parse(await readFile(recordFile(lab), 'utf8')));
  } catch {
    return null;
  }
  const [startTime, netns] = await Promise.all([
    processStartTime(record.pid),
    namespaceOf(record.pid, 'net'),
  ]);
  if (startTime !== record.startTime || netns !== record.netns) return null;
  return record;
}

export async function listSandboxes(): Promise<SandboxRecord[]> {
  let names: string[];
  try {
    names = await readdir(labsDir());
  } catch {
    return [];
  }
  const found = await Promise.all(names.map((name) => findSandbox(name)));
  return found.filter((r): r is SandboxRecord => r !== null);
}

/**
 * Ends the sandbox: every process inside its mount namespace (shells, pings, the holder), which
 * frees its network namespaces; then forgets its records.
 */
export async function removeSandbox(record: SandboxRecord): Promise<void> {
  // Only while the holder is the same process are the recorded namespace ids the lab's: once
  // its namespaces are freed the kernel gives their inode numbers to new namespaces (another
  // lab's, made a moment later), and killing by those ids would end that lab. A lab whose holder
  // is gone was destroyed already; only its records are left to forget.
  if ((await processStartTime(record.pid)) === record.startTime) {
    const netIds = new Set([record.netns, ...(await sandboxNamespaceIds(record))]);
    await forgetEffectHelpers(record, netIds);
    const inside = [
      ...(await processesIn('mnt', new Set([record.mntns]))),
      ...(await processesIn('net', netIds)),
    ];
    await killAndWait([...new Set([record.pid, ...inside])]);
  }
  await forgetLab(record.lab);
}

/**
 * Removes the state files of the lab's link-effect helpers (netcanvas-fx), which are killed with
 * the sandbox and cannot remove their own. Left, a file named by a freed namespace inode would be
 * read as the helper of a namespace made later with that inode; and where the host's pid 1 does
 * not reap orphans, the killed helper stays a zombie whose name still reads `netcanvas-fx`.
 */
async function forgetEffectHelpers(record: SandboxRecord, netIds: ReadonlySet<string>): Promise<void> {
  const dir = `/proc/${record.pid}/root/run/netcanvas-fx`;
  const inodes = new Set([...netIds].map((id) => /\[(\d+)\]/.exec(id)?.[1]));
  const names = await readdir(dir).catch(() => [] as string[]);
  await Promise.all(
    names
      .filter((name) => inodes.has(helperFileInode(name) ?? undefined))
      .map((name) => rm(path.join(dir, name), { force: true })),
  );
}

export async function forgetLab(lab: string): Promise<void> {
  await rm(labDir(lab), { recursive: true, force: true });
}

/** The prefix that runs argv inside the sandbox: network and mount namespaces of the holder. */
export const sandboxPrefix = (record: SandboxRecord): string[] => [
  'nsenter',
  '-t',
  String(record.pid),
  '-n',
  '-m',
  '--',
];

/** The ids of the named namespaces inside the sandbox, read through the holder's view of /run/netns. */
export async function sandboxNamespaceIds(record: SandboxRecord): Promise<string[]> {
  const dir = `/proc/${record.pid}/root/run/netns`;
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const ids = await Promise.all(names.map((name) => netnsFileId(path.join(dir, name))));
  return ids.filter((id): id is string => id !== null);
}
