import type { Lab, LiveState, TerminalExit, TerminalHandle } from '@netcanvas/kernel';
import type { ObservedState, ServerMessage } from '@netcanvas/model';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Terminals } from '../src/core/terminals';
import type { AuditLog } from '../src/core/audit-log';
import type { ClientSession } from '../src/server';

/**
 * The race of commit 1b03e30, on a fake clock: a namespace's delete ends its processes (the shell
 * among them) a moment before the namespace goes. A fake lab whose shell exits, and a fake live
 * state whose kernel still has the namespace for a while, stand in for the apply's two steps.
 */

const stateWith = (names: string[]): ObservedState =>
  ({
    target: 'sandbox',
    takenAt: '',
    namespaces: names.map((name) => ({ name })),
  }) as unknown as ObservedState;

interface Fixture {
  terminals: Terminals;
  broadcasts: ServerMessage[];
  /** The shell ends (its pty says so). */
  exit: (exitCode: number) => void;
  /** The kernel's namespaces from now on (what a fresh read finds). */
  setKernel: (names: string[]) => void;
  freshReads: () => number;
}

async function openShellIn(namespace: string): Promise<Fixture> {
  let kernel = stateWith([namespace]);
  /** The live state's last read: the kernel as a fresh read found it. */
  let observed = kernel;
  let reads = 0;
  let onExit: ((exit: TerminalExit) => void) | null = null;
  const live = {
    get observed() {
      return observed;
    },
    fresh: () => {
      reads++;
      observed = kernel;
      return Promise.resolve(kernel);
    },
  } as unknown as LiveState;
  const handle: TerminalHandle = {
    pid: 1,
    shown: ['ip', 'netns', 'exec', namespace, 'bash'],
    write: () => undefined,
    resize: () => undefined,
    onData: () => undefined,
    onExit: (listener) => (onExit = listener),
    kill: () => undefined,
    pause: () => undefined,
    resume: () => undefined,
  };
  const lab = { terminal: () => Promise.resolve(handle) } as unknown as Lab;
  const audit = { note: () => Promise.resolve() } as unknown as AuditLog;
  const broadcasts: ServerMessage[] = [];
  const terminals = new Terminals(true, {
    lab,
    live,
    audit,
    broadcast: (m) => broadcasts.push(m),
    log: () => undefined,
  });
  const session = {
    clientId: 'c-test',
    role: 'editor',
    send: () => undefined,
  } as unknown as ClientSession;
  await terminals.open({ type: 'terminalOpen', requestId: 'r1', namespace, cols: 80, rows: 24 }, session);
  return {
    terminals,
    broadcasts,
    exit: (exitCode) => onExit?.({ exitCode, signal: null }),
    setKernel: (names) => (kernel = stateWith(names)),
    freshReads: () => reads,
  };
}

const endReasons = (broadcasts: ServerMessage[]) =>
  broadcasts.flatMap((m) => (m.type === 'terminalEnded' ? [m.reason] : []));

describe('Terminals: a shell that ends as its namespace is deleted', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('says "namespace deleted" when the namespace goes after the shell ended', async () => {
    const lab = await openShellIn('ns1');
    lab.exit(0);
    await vi.advanceTimersByTimeAsync(300);
    expect(endReasons(lab.broadcasts)).toEqual([]);
    lab.setKernel([]);
    await vi.advanceTimersByTimeAsync(1500);
    expect(endReasons(lab.broadcasts)).toEqual(['namespace ns1 was deleted: this terminal is closed']);
    lab.terminals.stop();
  });

  it('says "exited" when the namespace stays, after looking for it again for ~1.5 s', async () => {
    const lab = await openShellIn('ns1');
    lab.exit(3);
    await vi.advanceTimersByTimeAsync(1000);
    expect(endReasons(lab.broadcasts)).toEqual([]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(endReasons(lab.broadcasts)).toEqual(['the shell exited (code 3)']);
    expect(lab.freshReads()).toBeGreaterThan(1);
    lab.terminals.stop();
  });
});
