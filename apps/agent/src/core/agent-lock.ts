import { mkdir, open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { labStateDir } from './state-dir';

/**
 * One agent per lab: two writers of one document would each reconcile the kernel to their own
 * idea of it. The lock is a file holding the agent's pid, made with O_EXCL; a lock whose process
 * is gone (an agent killed with SIGKILL) is taken over.
 */
export class LabBusyError extends Error {
  readonly code = 'ERR_LAB_BUSY';
  constructor(
    readonly lab: string,
    readonly pid: number,
  ) {
    super(
      `another agent (pid ${pid}) is serving lab "${lab}"; stop it first, or serve another lab with --lab`,
    );
  }
}

const alive = async (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

export async function lockLab(lab: string): Promise<() => Promise<void>> {
  const file = path.join(labStateDir(lab), 'agent.lock');
  await mkdir(path.dirname(file), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(file, 'wx', 0o600);
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return async () => {
        await rm(file, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number((await readFile(file, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(pid) && pid > 0 && (await alive(pid))) throw new LabBusyError(lab, pid);
      await rm(file, { force: true }); // left by an agent that is gone
    }
  }
  throw new Error(`could not lock lab "${lab}"`);
}
