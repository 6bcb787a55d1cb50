import type { Lab, LiveState, TerminalHandle } from '@netcanvas/kernel';
import { ErrorCode, type ObservedState, type ServerMessage } from '@netcanvas/model';
import { describe, expect, it } from 'vitest';
import { Terminals } from '../src/core/terminals';
import type { AuditLog } from '../src/core/audit-log';
import type { ClientSession } from '../src/server';

/**
 * A class's limit on terminals against opens sent together: each open waits (a fresh read, the
 * shell's start) after the count, so a slot not held from the count on let all of them through
 * (a tester ran 4 shells against a limit of 2). A fake lab whose shells start only when told.
 */

const observed = {
  target: 'sandbox',
  takenAt: '',
  namespaces: ['h1', 'h2'].map((name) => ({ name })),
} as unknown as ObservedState;

const handle = (): TerminalHandle => ({
  pid: 1,
  shown: ['bash'],
  write: () => undefined,
  resize: () => undefined,
  onData: () => undefined,
  onExit: () => undefined,
  kill: () => undefined,
  pause: () => undefined,
  resume: () => undefined,
});

function fixture(terminalsAtOnce: number) {
  const starting: (() => void)[] = [];
  let failNext = false;
  const lab = {
    terminal: () =>
      new Promise<TerminalHandle>((resolve, reject) => {
        const fail = failNext;
        failNext = false;
        starting.push(() => (fail ? reject(new Error('pty failed')) : resolve(handle())));
      }),
  } as unknown as Lab;
  const live = { observed, fresh: () => Promise.resolve(observed) } as unknown as LiveState;
  const sent: ServerMessage[] = [];
  const session = { clientId: 'c1', role: 'editor', send: (m: ServerMessage) => sent.push(m) };
  const terminals = new Terminals(true, {
    lab,
    live,
    audit: { note: () => Promise.resolve() } as unknown as AuditLog,
    broadcast: () => undefined,
    log: () => undefined,
    limits: { terminals: terminalsAtOnce },
  });
  const open = (requestId: string, namespace: string) =>
    terminals.open(
      { type: 'terminalOpen', requestId, namespace, cols: 80, rows: 24 },
      session as unknown as ClientSession,
    );
  const startAll = async () => {
    // Each open reaches the lab after a turn or two (the fresh read): start what is waiting.
    for (let turn = 0; turn < 5; turn++) {
      await new Promise((resolve) => setImmediate(resolve));
      starting.splice(0).forEach((start) => start());
    }
  };
  return { terminals, sent, open, startAll, failNextStart: () => (failNext = true) };
}

const answers = (sent: ServerMessage[], type: ServerMessage['type']) => sent.filter((m) => m.type === type);

describe("a lab's terminal limit", () => {
  it('holds against opens sent together: exactly the limit attached, the rest refused by field', async () => {
    const f = fixture(2);
    const first = f.open('r1', 'h1');
    await f.startAll();
    await first;
    const together = Promise.all([f.open('r2', 'h1'), f.open('r3', 'h2'), f.open('r4', 'root')]);
    await f.startAll();
    await together;
    expect(answers(f.sent, 'terminalAttached')).toHaveLength(2);
    const refused = answers(f.sent, 'rejected');
    expect(refused).toHaveLength(2);
    for (const r of refused)
      expect(r).toMatchObject({
        code: ErrorCode.busy,
        path: 'terminals',
        message: 'at most 2 terminals at once: close one first',
      });
    expect(f.terminals.listMessage()).toMatchObject({ terminals: [{}, {}] });
  });

  it('gives the slot back when an open fails', async () => {
    const f = fixture(1);
    f.failNextStart();
    const failed = expect(f.open('r1', 'h1')).rejects.toThrow('pty failed');
    await f.startAll();
    await failed;
    const next = f.open('r2', 'h1');
    await f.startAll();
    await next;
    expect(answers(f.sent, 'terminalAttached')).toHaveLength(1);
  });

  it('gives the slot back when the namespace is refused', async () => {
    const f = fixture(1);
    const missing = f.open('r1', 'nowhere');
    await f.startAll();
    await missing;
    expect(answers(f.sent, 'rejected')[0]).toMatchObject({ path: 'namespace' });
    const next = f.open('r2', 'h1');
    await f.startAll();
    await next;
    expect(answers(f.sent, 'terminalAttached')).toHaveLength(1);
  });
});
