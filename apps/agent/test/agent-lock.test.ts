import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { agentLockFile, processStartTime } from '@netcanvas/kernel';
import { LabBusyError, findServingAgent, lockLab } from '../src/core/agent-lock';

/**
 * The agent lock is per lab, wherever each agent keeps its saved state: it lives in the run
 * directory (NETCANVAS_RUN_DIR here, a temporary folder), not under NETCANVAS_STATE_DIR.
 */

let scratch: string;
const saved = { run: process.env.NETCANVAS_RUN_DIR, state: process.env.NETCANVAS_STATE_DIR };
const lab = 'class';

beforeEach(() => {
  scratch = mkdtempSync(path.join(tmpdir(), 'netcanvas-lock-'));
  process.env.NETCANVAS_RUN_DIR = path.join(scratch, 'run');
  process.env.NETCANVAS_STATE_DIR = path.join(scratch, 'state-a');
});

afterEach(() => {
  for (const [key, value] of [
    ['NETCANVAS_RUN_DIR', saved.run],
    ['NETCANVAS_STATE_DIR', saved.state],
  ] as const)
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  rmSync(scratch, { recursive: true, force: true });
});

/** The pid of a process that has come and gone. */
const deadPid = (): number => {
  const child = spawnSync(process.execPath, ['-e', '0']);
  expect(child.status).toBe(0);
  return child.pid as number;
};

const writeLock = (holder: unknown) => {
  mkdirSync(path.dirname(agentLockFile(lab)), { recursive: true });
  writeFileSync(agentLockFile(lab), typeof holder === 'string' ? holder : JSON.stringify(holder));
};

describe('lockLab', () => {
  test('lives in the run directory, records the pid and start time, and is released', async () => {
    const unlock = await lockLab(lab);
    const file = path.join(scratch, 'run', 'agents', `${lab}.pid`);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      pid: process.pid,
      startTime: await processStartTime(process.pid),
    });
    expect(await findServingAgent(lab)).toMatchObject({ pid: process.pid });
    await unlock();
    expect(existsSync(file)).toBe(false);
    expect(await findServingAgent(lab)).toBeNull();
    // No draft is left beside it, and nothing was written under the state directory.
    expect(readdirSync(path.dirname(file))).toEqual([]);
    expect(existsSync(path.join(scratch, 'state-a'))).toBe(false);
  });

  test('a second agent with another NETCANVAS_STATE_DIR is refused, naming the pid', async () => {
    const unlock = await lockLab(lab);
    try {
      process.env.NETCANVAS_STATE_DIR = path.join(scratch, 'state-b');
      const second = lockLab(lab);
      await expect(second).rejects.toBeInstanceOf(LabBusyError);
      await expect(second).rejects.toThrow(`pid ${process.pid}`);
      // Another lab is free.
      await (
        await lockLab('other')
      )();
    } finally {
      await unlock();
    }
    // Once released, the lab can be served again.
    await (
      await lockLab(lab)
    )();
  });

  test('a lock whose process is gone is taken over', async () => {
    writeLock({ pid: deadPid(), startTime: 1 });
    expect(await findServingAgent(lab)).toBeNull();
    const unlock = await lockLab(lab);
    expect(await findServingAgent(lab)).toMatchObject({ pid: process.pid });
    await unlock();
  });

  test('a lock whose pid now belongs to another process (other start time) is taken over', async () => {
    const startTime = (await processStartTime(process.pid)) as number;
    writeLock({ pid: process.pid, startTime: startTime - 1 });
    expect(await findServingAgent(lab)).toBeNull();
    await (
      await lockLab(lab)
    )();
  });

  test('an unreadable lock is taken over', async () => {
    writeLock('12\n');
    await (
      await lockLab(lab)
    )();
  });

  test('releasing does not remove a lock another agent holds by now', async () => {
    const unlock = await lockLab(lab);
    const startTime = await processStartTime(process.ppid);
    writeLock({ pid: process.ppid, startTime });
    await unlock();
    expect(await findServingAgent(lab)).toMatchObject({ pid: process.ppid });
  });
});
