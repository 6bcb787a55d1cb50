import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { Lab } from '@netcanvas/kernel';
import { validateTopology } from '@netcanvas/model';
import { DocumentStore } from '../src/core/document-store';
import { testLabName } from '../../../packages/kernel/test/lab-fixture';
import { netcanvasCommand } from './helpers/cli';
import { connect, exchangeToken } from './helpers/ws-client';

// The agent as its own process (`netcanvas serve`), killed with SIGKILL in the middle of a large
// apply, then started again: it must converge to the saved document and leak nothing.

const labName = testLabName('crash');
let stateDir = '';
const children: ChildProcess[] = [];

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await (await Lab.open({ lab: labName }, { create: false }).catch(() => null))?.destroy({ force: true });
  if (stateDir) await rm(stateDir, { recursive: true, force: true });
});

/**
 * Starts `netcanvas serve --port 0` (the command line's bundle, one process: the SIGKILL is the
 * agent's) and resolves with its origin and one-time editor link.
 */
function serve(): Promise<{ child: ChildProcess; origin: string; editorUrl: string }> {
  const [node, ...bundle] = netcanvasCommand as [string, ...string[]];
  const child = spawn(node, [...bundle, 'serve', '--port', '0', '--lab', labName], {
    env: { ...process.env, NETCANVAS_STATE_DIR: stateDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let errors = '';
  child.stderr?.on('data', (d: Buffer) => (errors += d.toString()));
  return new Promise((resolve, reject) => {
    let origin = '';
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      const listening = /^listening on (\S+)/.exec(line);
      if (listening) origin = listening[1] as string;
      const editor = /^editor \(one-time link\): (\S+)/.exec(line);
      if (editor) resolve({ child, origin, editorUrl: editor[1] as string });
    });
    child.once('exit', (code) => reject(new Error(`serve exited (${code}): ${errors}`)));
  });
}

const bigEdit = Array.from({ length: 60 }, (_, i) => [
  { type: 'addNamespace', name: `h${i}` },
  {
    type: 'connect',
    a: { node: 'root', ifname: `p${i}`, addresses: [`10.50.${i}.1/24`] },
    b: { node: `h${i}`, ifname: 'eth0', addresses: [`10.50.${i}.2/24`] },
  },
]).flat();

describe('an agent killed with SIGKILL in the middle of a large apply', () => {
  it('converges on restart to the saved document, with nothing leaked', async () => {
    stateDir = await mkdtemp(path.join(tmpdir(), 'netcanvas-crash-test-'));
    const first = await serve();
    const client = await connect(first.origin, await exchangeToken(first.editorUrl));
    await client.hello();
    client.send({ type: 'edit', requestId: 'big', baseVersion: 0, edits: bigEdit });
    // The first namespace to appear means the apply is under way: kill it there.
    await client.next(
      (m) =>
        m.type === 'observed' && m.patches.some((p) => p.op === 'namespace' && p.namespace.name !== 'root'),
      10_000,
    );
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));
    await client.close();

    const lab = await Lab.open({ lab: labName }, { create: false });
    const midway = await lab.observe();
    // Every command the killed apply may have run is in the audit log, written before it ran.
    const audit = (await readFile(path.join(stateDir, 'labs', labName, 'audit.log'), 'utf8'))
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as { pending?: boolean; argv: string[]; by: string });
    const pendingCommands = new Set(audit.filter((l) => l.pending).map((l) => l.argv.join(' ')));
    for (const ns of midway.namespaces.filter((n) => n.name !== 'root'))
      expect(pendingCommands).toContain(`ip netns add ${ns.name}`);
    expect(pendingCommands).toContain('ip netns add h59');
    const second = await serve();
    process.env.NETCANVAS_STATE_DIR = stateDir;
    const loaded = await new DocumentStore(labName).load();
    if (loaded.status !== 'saved') throw new Error(`no saved document after the restart: ${loaded.status}`);
    const saved = loaded.state;
    expect(saved.version).toBe(1);
    const doc = validateTopology(saved.document);
    expect(doc.ok).toBe(true);
    if (!doc.ok) return;
    // Converged: nothing left to do, and every namespace and interface is the document's.
    const observed = await lab.observe();
    expect(lab.plan(doc.value, observed).steps).toEqual([]);
    const names = observed.namespaces
      .map((ns) => ns.name)
      .filter((n) => n !== 'root')
      .sort();
    expect(names).toEqual(doc.value.namespaces.map((n) => n.name).sort());
    const rootPorts =
      observed.namespaces.find((ns) => ns.name === 'root')?.interfaces.filter((i) => i.ifname !== 'lo') ?? [];
    expect(rootPorts.every((i) => i.managed)).toBe(true);
    expect(rootPorts.length).toBe(60);
    console.log(
      `killed with ${midway.namespaces.length - 1} of 60 namespaces made, ${midway.namespaces.filter((ns) => ns.interfaces.some((i) => i.ifname === 'eth0' && i.addresses.some((a) => a.startsWith('10.50.')))).length} configured; the restart converged`,
    );
    second.child.kill('SIGTERM');
    await new Promise((resolve) => second.child.once('exit', resolve));
    await lab.close();
  }, 120_000);
});
