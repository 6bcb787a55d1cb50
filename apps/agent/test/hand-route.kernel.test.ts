import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findNamespace, type ObservedRoute } from '@netcanvas/model';
import { edit, startHarness, tutorialEdits, type AgentHarness } from './agent-fixture';
import type { TestClient } from './helpers/ws-client';

// A route of the topology whose gateway someone changed by hand (`ip route replace`, proto boot
// now): the lab's other edits go on, and "Make the kernel match" (a converge) puts it back.

let harness: AgentHarness;
let client: TestClient;
let version = 0;
const ROUTES = [{ to: '10.9.0.0/16', via: '10.0.1.2' }];

beforeAll(async () => {
  harness = await startHarness('handroute');
  client = await harness.editor();
  version = (await client.hello()).version;
  const reply = await edit(client, version, [
    ...tutorialEdits,
    { type: 'setNamespace', name: 'ns0', routes: ROUTES },
  ]);
  expect(reply).toMatchObject({ type: 'accepted', outcome: { ok: true } });
  if (reply.type === 'accepted') version = reply.version;
  const hand = await harness.sh('ns0', [
    'ip',
    'route',
    'replace',
    '10.9.0.0/16',
    'via',
    '10.0.1.9',
    'dev',
    'veth0',
  ]);
  expect(hand.exitCode).toBe(0);
}, 60_000);
afterAll(async () => harness?.stop());

const routeTo = async (prefix: string): Promise<ObservedRoute | undefined> =>
  findNamespace(await harness.agent.lab.observe({ firewall: false }), 'ns0')?.routes?.find(
    (r) => r.to === prefix,
  );

describe('a route of the topology changed by hand', () => {
  it('does not stop an edit elsewhere in the lab (its conflict is not the edit’s)', async () => {
    expect(await routeTo('10.9.0.0/16')).toMatchObject({ via: '10.0.1.9', managed: false });
    const reply = await edit(client, version, [{ type: 'addNamespace', name: 'ns7' }]);
    expect(reply).toMatchObject({ type: 'accepted', outcome: { ok: true } });
    if (reply.type === 'accepted') version = reply.version;
    // Left as the person made it: an edit runs only what it changes.
    expect(await routeTo('10.9.0.0/16')).toMatchObject({ via: '10.0.1.9', managed: false });
  });

  it('is put back as the topology has it by "Make the kernel match" (a converge), in place', async () => {
    // What the repair's button sends: the topology's routes again, as a converge.
    const reply = await edit(client, version, [{ type: 'setNamespace', name: 'ns0', routes: ROUTES }], {
      converge: true,
    });
    expect(reply).toMatchObject({ type: 'accepted', outcome: { ok: true } });
    if (reply.type === 'accepted') version = reply.version;
    expect(await routeTo('10.9.0.0/16')).toMatchObject({ via: '10.0.1.2', managed: true });
  });
});
