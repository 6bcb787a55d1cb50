import { readFile, readdir, readlink } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerMessage } from '@netcanvas/model';
import { edit, requestId, startHarness, tutorialEdits, type AgentHarness } from './agent-fixture';
import type { TestClient } from './helpers/ws-client';

// A namespace deleted by hand (`ip netns del` at a terminal, behind the agent's back) while a
// capture and a terminal run in it. The kernel keeps a network namespace while a process is in
// it: a tcpdump or a shell left running there holds it (and its veths, the peer's end UP) for good.
// A tester saw both: the capture said "capturing" a minute later, the shell ran on as nobody.

let harness: AgentHarness;
let editor: TestClient;
beforeAll(async () => {
  harness = await startHarness('handdel', { terminals: true });
  editor = await harness.editor();
  const welcome = await editor.hello();
  const reply = await edit(editor, welcome.version, tutorialEdits);
  if (reply.type !== 'accepted') throw new Error(`tutorial refused: ${reply.message}`);
});
afterAll(async () => {
  await harness?.stop();
});

/** The host pids of every process in the network namespace `net:[inode]`. */
async function processesIn(netns: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const link = await readlink(`/proc/${entry}/ns/net`).catch(() => null);
    if (link === netns) pids.push(Number(entry));
  }
  return pids;
}

/** The names of the processes in that network namespace. */
const namesIn = async (netns: string): Promise<string[]> =>
  Promise.all(
    (await processesIn(netns)).map(async (pid) =>
      (await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '')).trim(),
    ),
  );

describe('a namespace deleted by hand', () => {
  it('stops its capture, saying why, and ends its terminal: nothing is left holding it', async () => {
    const netns = (await harness.sh('ns1', ['readlink', '/proc/self/ns/net'])).stdout.trim();
    expect(netns).toMatch(/^net:\[\d+\]$/);
    const opening = requestId();
    editor.send({ type: 'terminalOpen', requestId: opening, namespace: 'ns1', cols: 80, rows: 24 });
    const terminal = (await editor.nextOfType('terminalAttached', 15_000)).terminal;
    // A command in the foreground that ignores the hangup: the shell waits for it, and neither
    // goes when the terminal's pty does. Only ending the terminal's whole pid namespace ends them.
    editor.send({
      type: 'terminalInput',
      terminalId: terminal.id,
      data: 'nohup sleep 1000 >/dev/null 2>&1\r',
    });
    await expect.poll(async () => (await namesIn(netns)).includes('sleep'), { timeout: 10_000 }).toBe(true);
    const starting = requestId();
    editor.send({
      type: 'captureStart',
      requestId: starting,
      namespace: 'ns1',
      ifname: 'veth1',
      filter: 'icmp',
    });
    const started = await editor.next(
      (m) => (m.type === 'captureStarted' || m.type === 'rejected') && m.requestId === starting,
      15_000,
    );
    if (started.type !== 'captureStarted') throw new Error(`capture refused: ${JSON.stringify(started)}`);
    expect((await processesIn(netns)).length).toBeGreaterThan(0);

    expect((await harness.sh('root', ['ip', 'netns', 'del', 'ns1'])).exitCode).toBe(0);

    const ended = (await editor.next(
      (m) => m.type === 'captureEnded' && m.capture.id === started.capture.id,
      15_000,
    )) as Extract<ServerMessage, { type: 'captureEnded' }>;
    expect(ended.capture.ended).toMatchObject({
      reason: 'interface-gone',
      message: 'stopped: ns1:veth1 is gone (namespace ns1 was deleted)',
    });
    expect(
      await editor.next((m) => m.type === 'terminalEnded' && m.terminalId === terminal.id, 15_000),
    ).toMatchObject({ reason: 'namespace ns1 was deleted: this terminal is closed' });
    // No tcpdump, no shell: the kernel frees the namespace, and ns0's veth goes with its peer.
    await expect.poll(() => namesIn(netns), { timeout: 10_000 }).toEqual([]);
    await expect
      .poll(async () => (await harness.sh('ns0', ['ip', '-o', 'link', 'show', 'veth0'])).exitCode, {
        timeout: 10_000,
      })
      .not.toBe(0);
  });
});
