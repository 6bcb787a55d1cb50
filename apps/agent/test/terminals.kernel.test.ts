import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, TERMINALS_OFF_MESSAGE, type ServerMessage } from '@netcanvas/model';
import { edit, requestId, startHarness, type AgentHarness } from './agent-fixture';
import { patchedNamespace, type TestClient } from './helpers/ws-client';

// The agent's terminals (issue 12 §1) through its socket, on a real sandbox: off unless asked
// for; an editor's shell in a namespace, watched read-only by a viewer; in the audit log.

type Output = Extract<ServerMessage, { type: 'terminalOutput' }>;

/** Waits until the terminal's output (after `from` messages) holds `text`. */
async function outputUntil(client: TestClient, terminalId: string, text: string): Promise<string> {
  let seen = '';
  while (!seen.includes(text)) {
    const m = (await client.next(
      (x) => x.type === 'terminalOutput' && x.terminalId === terminalId,
      10_000,
    )) as Output;
    seen += m.data;
  }
  return seen;
}

describe('terminals off (the default)', () => {
  let h: AgentHarness;
  beforeAll(async () => (h = await startHarness('term-off')));
  afterAll(async () => h?.stop());

  it('says they are off, and how to turn them on, and opens none', async () => {
    const client = await h.editor();
    await client.hello();
    expect(await client.nextOfType('terminals')).toEqual({
      type: 'terminals',
      enabled: false,
      terminals: [],
    });
    const id = requestId();
    client.send({ type: 'terminalOpen', requestId: id, namespace: 'root', cols: 80, rows: 24 });
    expect(await client.nextOfType('rejected')).toMatchObject({
      requestId: id,
      code: ErrorCode.forbidden,
      message: TERMINALS_OFF_MESSAGE,
    });
  });
});

describe('terminals on', () => {
  let h: AgentHarness;
  beforeAll(async () => (h = await startHarness('term-on', { terminals: true })));
  afterAll(async () => h?.stop());

  it('an editor types in a shell, a viewer watches and cannot type, and the audit log has it all', async () => {
    const editor = await h.editor();
    await editor.hello();
    expect(await editor.nextOfType('terminals')).toMatchObject({ enabled: true, terminals: [] });
    const open = requestId();
    editor.send({ type: 'terminalOpen', requestId: open, namespace: 'root', cols: 100, rows: 30 });
    const attached = await editor.nextOfType('terminalAttached');
    expect(attached).toMatchObject({ requestId: open, terminal: { namespace: 'root', cols: 100 } });
    const id = attached.terminal.id;
    editor.send({ type: 'terminalInput', terminalId: id, data: 'echo "hello-""from-the-editor"\r' });
    await outputUntil(editor, id, 'hello-from-the-editor');

    // A viewer attaches: the scrollback first, then the output live; its keys are refused.
    const viewer = await h.viewer();
    await viewer.hello();
    const list = await viewer.nextOfType('terminals');
    expect(list.terminals.map((t) => t.id)).toEqual([id]);
    viewer.send({ type: 'terminalAttach', requestId: requestId(), terminalId: id });
    expect((await viewer.nextOfType('terminalAttached')).scrollback).toContain('hello-from-the-editor');
    viewer.send({ type: 'terminalInput', terminalId: id, data: 'echo viewer-typed\r' });
    expect(await viewer.nextOfType('error')).toMatchObject({ code: ErrorCode.forbidden });
    viewer.send({ type: 'terminalClose', terminalId: id });
    expect(await viewer.nextOfType('error')).toMatchObject({ code: ErrorCode.forbidden });
    editor.send({ type: 'terminalInput', terminalId: id, data: 'echo "second-""line"\r' });
    await outputUntil(viewer, id, 'second-line');

    // Closed by the editor: everyone is told, and the shell is gone.
    editor.send({ type: 'terminalClose', terminalId: id });
    expect(await viewer.nextOfType('terminalEnded')).toMatchObject({ terminalId: id });

    const readAudit = async () =>
      (await readFile(path.join(h.stateDir, 'labs', h.labName, 'audit.log'), 'utf8'))
        .split('\n')
        .filter((line) => line.includes('"terminal"'))
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    // Written a moment after the end is broadcast.
    await expect.poll(async () => (await readAudit()).at(-1)?.event).toBe('terminalEnded');
    const audit = await readAudit();
    expect(audit.map((e) => e.event)).toEqual([
      'terminalOpened',
      'terminalTyped',
      'terminalAttached',
      'terminalTyped',
      'terminalEnded',
    ]);
    expect(audit[0]).toMatchObject({ namespace: 'root', role: 'editor', by: expect.any(String) as unknown });
    expect(audit[1]).toMatchObject({ typed: 'echo "hello-""from-the-editor"', role: 'editor' });
    expect(audit[2]).toMatchObject({ role: 'viewer' });
    expect(JSON.stringify(audit)).not.toContain('viewer-typed');
  });

  // iptables raises no rtnetlink event, and an empty firewall was read only by the sweep (every
  // ten seconds). Two firewalls, each seen within a window far shorter than the sweep's period: at
  // most one could be the sweep's luck, so without netcanvas-nfwatch (firewall-watch.ts) this fails.
  it('shows a rule typed into an empty firewall within a moment, in its namespace or one the line names', async () => {
    const editor = await h.editor();
    const welcome = await editor.hello();
    const built = await edit(editor, welcome.version, [
      { type: 'addNamespace', name: 'fw1' },
      { type: 'addNamespace', name: 'fw2' },
    ]);
    expect(built).toMatchObject({ type: 'accepted', outcome: { ok: true } });
    const withinLooks = 1500;
    const typeAndSee = async (namespace: string, line: string, seenIn: string, dport: string) => {
      const open = requestId();
      editor.send({ type: 'terminalOpen', requestId: open, namespace, cols: 100, rows: 30 });
      const id = (await editor.nextOfType('terminalAttached')).terminal.id;
      editor.send({ type: 'terminalInput', terminalId: id, data: `${line}; echo "typed-""${dport}"\r` });
      await outputUntil(editor, id, `typed-${dport}`);
      const seen = await editor.next(
        (m) =>
          patchedNamespace(m, seenIn)?.firewall?.rules.some(
            (r) => r.chain === 'INPUT' && r.args.includes(dport) && !r.managed,
          ) === true,
        withinLooks,
      );
      expect(seen.type).toBe('observed');
      editor.send({ type: 'terminalClose', terminalId: id });
    };
    await typeAndSee('fw1', 'iptables -A INPUT -p tcp --dport 4101 -j ACCEPT', 'fw1', '4101');
    await typeAndSee(
      'root',
      'ip netns exec fw2 iptables -A INPUT -p tcp --dport 4102 -j ACCEPT',
      'fw2',
      '4102',
    );
  });

  it('refuses a namespace the lab does not have, naming the field', async () => {
    const editor = await h.editor();
    await editor.hello();
    const id = requestId();
    editor.send({ type: 'terminalOpen', requestId: id, namespace: 'nosuch', cols: 80, rows: 24 });
    expect(await editor.nextOfType('rejected')).toMatchObject({
      requestId: id,
      code: ErrorCode.invalid,
      path: 'namespace',
    });
  });
});
