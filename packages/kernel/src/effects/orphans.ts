import { rm, stat } from 'node:fs/promises';
import { ROOT } from '@netcanvas/model';
import { listNamespaceNames } from '../observe';
import { netnsDirOf, type Target } from '../target';
import { parseHelperState } from './parse';
import { fxDirOf, helperFileNames, inodeOf, isRunningHelper, readText } from './observe';

/**
 * Ends the link-effect helpers (netcanvas-fx) left in a namespace of the lab that was deleted by
 * hand (`ip netns del`), and removes their state files. A helper holds its network namespace: left
 * running, the deleted namespace lived on unseen with its links, and the root's end of its veth
 * stayed a port of its bridge (the lab's `ip -batch` sessions are closed for the same reason:
 * lab.ts `newObserver`). Returns the pids ended.
 *
 * Only this lab's helpers: the state folder is the host's /run/netcanvas-fx, shared by every lab
 * on the machine. A helper is this lab's when its /run/netns is the lab's (the same file system:
 * each sandbox mounts a tmpfs of its own there; not its mount namespace, which `ip netns exec`
 * makes anew for it), and orphaned when its network namespace is neither the lab's root nor one
 * the lab names now. The names are listed again after the state files are read: a helper starts only
 * in a namespace already named, so one whose file was read is named in that list unless deleted.
 */
export async function endOrphanedHelpers(target: Target): Promise<number[]> {
  const files = await helperFileNames(target);
  if (files.size === 0) return [];
  const names = await listNamespaceNames(target);
  const inodes = await Promise.all([ROOT, ...names].map((name) => inodeOf(target, name)));
  const named = new Set(inodes.filter((inode): inode is string => inode !== null));
  const labNetns = await deviceOf(netnsDirOf(target));
  const ended: number[] = [];
  for (const [inode, fileNames] of files) {
    if (named.has(inode)) continue;
    for (const file of fileNames) {
      const path = `${fxDirOf(target)}/${file}`;
      const state = parseHelperState(await readText(path));
      if (!state || !(await isRunningHelper(state.pid))) continue;
      if (labNetns === null || (await deviceOf(`/proc/${state.pid}/root/run/netns`)) !== labNetns) continue;
      try {
        process.kill(state.pid, 'SIGKILL');
        ended.push(state.pid);
      } catch {
        // Ended meanwhile: nothing holds the namespace.
      }
      await rm(path, { force: true });
    }
  }
  return ended;
}

/** The file system a path is on (its device number); null when it cannot be read. */
const deviceOf = (path: string): Promise<number | null> =>
  stat(path).then(
    (s) => s.dev,
    () => null,
  );
