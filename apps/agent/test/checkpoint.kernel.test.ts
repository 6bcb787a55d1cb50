import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  findInterface,
  findNamespace,
  resetRemoves,
  type ServerMessage,
  type Topology,
} from '@netcanvas/model';
import { edit, requestId, startHarness, tutorialEdits, type AgentHarness } from './agent-fixture';
import type { TestClient } from './helpers/ws-client';
import { Checkpoints } from '../src/core/checkpoints';

// Checkpoints and reset (issue 13 §5) on a real agent and a real kernel in a sandbox: what a reset
// converges, and what it leaves (things made by hand are never the lab's to delete).

let harness: AgentHarness;
let client: TestClient;
let version = 0;

beforeAll(async () => {
  harness = await startHarness('checkpoint');
  client = await harness.editor();
  version = (await client.hello()).version;
}, 60_000);
afterAll(async () => harness?.stop());

type Reply = Extract<ServerMessage, { type: 'accepted' | 'rejected' }>;

async function ask<T extends ServerMessage['type']>(
  message: Record<string, unknown>,
  answer: T,
): Promise<Extract<ServerMessage, { type: T }> | Reply> {
  const id = requestId();
  client.send({ ...message, requestId: id });
  return (await client.next(
    (m) => 'requestId' in m && m.requestId === id && (m.type === answer || m.type === 'rejected'),
    30_000,
  )) as Extract<ServerMessage, { type: T }> | Reply;
}

async function editNow(edits: unknown[]): Promise<void> {
  const reply = await edit(client, version, edits);
  expect(reply).toMatchObject({ type: 'accepted', outcome: { ok: true } });
  if (reply.type === 'accepted') version = reply.version;
}

/** The kernel read whole, now, and what the planner would still do to make it the document. */
async function leftToDo(document: Topology) {
  const observed = await harness.agent.lab.observe({ firewall: true });
  const plan = harness.agent.lab.plan(document, observed);
  return { observed, steps: plan.steps.map((s) => s.argv.join(' ')), conflicts: plan.conflicts };
}

describe('checkpoints', () => {
  it('saves the lab, and a reset after edits and hand changes brings the kernel back to it', async () => {
    await editNow([
      ...tutorialEdits,
      { type: 'setNamespace', name: 'ns0', routes: [{ to: '10.9.0.0/16', via: '10.0.1.2' }] },
    ]);
    const saved = await ask({ type: 'checkpointSave', name: 'step-1' }, 'checkpointSaved');
    expect(saved).toMatchObject({ type: 'checkpointSaved', replaced: false, checkpoint: { name: 'step-1' } });
    const atSave = (await leftToDo(await documentNow())).steps;
    expect(atSave).toEqual([]);
    const checkpointDoc = await documentNow();

    // By edit: a namespace more, an address changed. By hand: an address more, a link down, a
    // route gone, and a namespace the lab did not make.
    await editNow([
      { type: 'addNamespace', name: 'ns2' },
      { type: 'setInterface', node: 'ns0', ifname: 'veth0', addresses: ['10.0.1.1/24', '10.0.7.1/24'] },
    ]);
    for (const [ns, argv] of [
      ['ns1', ['ip', 'addr', 'add', '10.0.1.50/24', 'dev', 'veth1']],
      ['ns1', ['ip', 'link', 'set', 'veth1', 'down']],
      ['root', ['ip', 'netns', 'add', 'byhand']],
    ] as const)
      expect((await harness.sh(ns, [...argv])).exitCode).toBe(0);

    const listed = await ask({ type: 'checkpointList' }, 'checkpoints');
    expect(listed).toMatchObject({ type: 'checkpoints', checkpoints: [{ name: 'step-1', namespaces: 2 }] });
    // What it holds, by name: the reset's question names what of the lab goes (ns2), not all of it.
    const holds = listed.type === 'checkpoints' ? listed.checkpoints[0]?.holds : undefined;
    expect(holds?.namespaces.sort()).toEqual(['ns0', 'ns1']);
    expect(resetRemoves(await documentNow(), holds!)).toEqual(['1 namespace (with their veths): ns2']);
    const reset = await ask({ type: 'checkpointReset', name: 'step-1' }, 'accepted');
    expect(reset).toMatchObject({ type: 'accepted', outcome: { ok: true } });
    if (reset.type === 'accepted') version = reset.version;

    // The document is the checkpoint's, and the kernel read whole needs nothing more to be it.
    expect(await documentNow()).toEqual(checkpointDoc);
    const after = await leftToDo(checkpointDoc);
    expect(after.steps).toEqual([]);
    expect(after.conflicts).toEqual([]);
    expect(findNamespace(after.observed, 'ns2')).toBeUndefined();
    expect(findInterface(after.observed, 'ns0', 'veth0')?.addresses).not.toContain('10.0.7.1/24');
    const veth1 = findInterface(after.observed, 'ns1', 'veth1');
    expect(veth1?.up).toBe(true);
    // The address added by hand on the lab's own interface is the lab's to remove (as any edit does).
    expect(veth1?.addresses).not.toContain('10.0.1.50/24');
    // A namespace made by hand is not the lab's: kept, as every edit keeps it.
    expect(findNamespace(after.observed, 'byhand')?.managed).toBe(false);
  });

  it('refuses a checkpoint it does not have, and a name that is not one, changing nothing', async () => {
    const before = version;
    const unknown = await ask({ type: 'checkpointReset', name: 'nope' }, 'accepted');
    expect(unknown).toMatchObject({ type: 'rejected', code: 'ERR_INVALID', path: 'name' });
    expect((unknown as Extract<Reply, { type: 'rejected' }>).message).toContain('no checkpoint named "nope"');
    client.send({ type: 'checkpointSave', requestId: requestId(), name: '../etc/passwd' });
    const bad = await client.next((m) => m.type === 'error' || m.type === 'rejected', 10_000);
    expect(JSON.stringify(bad)).toContain('name');
    const listed = await ask({ type: 'checkpointList' }, 'checkpoints');
    expect(listed).toMatchObject({ checkpoints: [{ name: 'step-1' }] });
    expect((listed as Extract<ServerMessage, { type: 'checkpoints' }>).checkpoints).toHaveLength(1);
    expect(version).toBe(before);
  });

  it('deletes a checkpoint: every client gets the list without it, and a reset to it or a delete again is refused at name', async () => {
    const before = version;
    expect(await ask({ type: 'checkpointSave', name: 'to-go' }, 'checkpointSaved')).toMatchObject({
      type: 'checkpointSaved',
    });
    const other = await harness.editor();
    await other.hello();
    const deleted = await ask({ type: 'checkpointDelete', name: 'to-go' }, 'checkpointDeleted');
    expect(deleted).toMatchObject({ type: 'checkpointDeleted', name: 'to-go' });
    const told = await other.next(
      (m) => m.type === 'checkpoints' && !m.checkpoints.some((c) => c.name === 'to-go'),
      10_000,
    );
    expect(namesIn(told)).toEqual(['step-1']);
    await other.close();
    for (const message of [
      { type: 'checkpointReset', name: 'to-go' },
      { type: 'checkpointDelete', name: 'to-go' },
    ]) {
      const refused = await ask(message, 'checkpointDeleted');
      expect(refused).toMatchObject({ type: 'rejected', code: 'ERR_INVALID', path: 'name' });
      expect((refused as Extract<Reply, { type: 'rejected' }>).message).toContain(
        'no checkpoint named "to-go"',
      );
    }
    expect(version).toBe(before);
  });

  it("deletes a damaged checkpoint's file too, and refuses a viewer's delete", async () => {
    const dir = new Checkpoints(harness.labName).dir;
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'broken.json'), '{ not json');
    expect(await ask({ type: 'checkpointDelete', name: 'broken' }, 'checkpointDeleted')).toMatchObject({
      type: 'checkpointDeleted',
    });
    expect(existsSync(path.join(dir, 'broken.json'))).toBe(false);

    const viewer = await harness.viewer();
    await viewer.hello();
    viewer.send({ type: 'checkpointDelete', requestId: 'v-delete', name: 'step-1' });
    expect(await viewer.next((m) => m.type === 'rejected', 10_000)).toMatchObject({
      requestId: 'v-delete',
      code: 'ERR_FORBIDDEN',
    });
    await viewer.close();
    expect(namesIn(await ask({ type: 'checkpointList' }, 'checkpoints'))).toEqual(['step-1']);
    expect(existsSync(path.join(dir, 'step-1.json'))).toBe(true);
  });
});

const namesIn = (m: ServerMessage) => (m.type === 'checkpoints' ? m.checkpoints.map((c) => c.name) : m);

/** The document as the agent holds it now (a fresh client's welcome). */
async function documentNow(): Promise<Topology> {
  const other = await harness.editor();
  const welcome = await other.hello();
  await other.close();
  return welcome.document;
}
