import {
  applyEdits,
  Edit,
  replaceDocumentEdits,
  validateTopology,
  type ClientMessageInput,
  type EditInput,
  type Topology,
} from '@netcanvas/model';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { checkpointContents, resetToCheckpoint } from '../src/checkpoints/checkpoint-store';
import { applyServerMessage } from '../src/protocol/apply-message';
import type { EditResult } from '../src/protocol/edits';
import { historyActions, useHistory } from '../src/store/history';
import { undoLast } from '../src/store/history-run';
import { useSession } from '../src/store/session';
import { useUi } from '../src/store/ui';

/**
 * What ends this page's undo history (a whole document replaced: a checkpoint or class reset, an
 * import) and what an undo's notice says when the kernel kept something: the agent's messages
 * arrive through the page's own `applyServerMessage`, as the socket delivers them.
 */

const sent = vi.hoisted(() => [] as ClientMessageInput[]);
vi.mock('../src/protocol/socket', () => ({
  send: (message: ClientMessageInput) => {
    sent.push(message);
    return true;
  },
  resync: () => undefined,
}));

const parse = (raw: unknown): Topology => {
  const checked = validateTopology(raw);
  if (!checked.ok) throw new Error('bad fixture');
  return checked.value;
};
const LAB = parse({
  schemaVersion: 1,
  namespaces: [{ name: 'ns1' }, { name: 'ns2' }],
  bridges: [],
  links: [{ a: { node: 'ns1', ifname: 'veth0' }, b: { node: 'ns2', ifname: 'veth1' } }],
});
const CP1 = parse({
  schemaVersion: 1,
  namespaces: [{ name: 'ns1' }, { name: 'ns2' }],
  bridges: [],
  links: [],
});

const doc = (): Topology => useSession.getState().document;
const notices = () => useUi.getState().notices.map((n) => n.text);
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

/** The agent's broadcast of edits that made the next version, by `by`. */
function broadcast(edits: readonly EditInput[], by: string): void {
  const { version } = useSession.getState();
  applyServerMessage({
    type: 'documentEdits',
    version: version + 1,
    baseVersion: version,
    edits: edits.map((e) => Edit.parse(e)),
    by,
  });
}

/** This editor's edit, accepted and recorded as the page records it. */
function edit(...edits: EditInput[]): void {
  const before = doc();
  broadcast(edits, 'me');
  historyActions.record(before, edits);
}

beforeEach(() => {
  sent.splice(0);
  useUi.setState({ notices: [] });
  useSession.setState({ role: 'editor', clientId: 'me', document: LAB, version: 1 });
  historyActions.clear();
});

describe('a whole document replaced', () => {
  it('a checkpoint reset clears the undo history and says so once', async () => {
    edit({ type: 'setInterface', node: 'ns2', ifname: 'veth1', addresses: ['10.0.0.2/24'] });
    edit({ type: 'setNamespace', name: 'ns1', forwarding: true });
    const reset = resetToCheckpoint('cp1');
    await flush();
    const asked = sent.at(-1);
    if (asked?.type !== 'checkpointReset') throw new Error('no reset sent');
    // The agent broadcasts the new document first, then answers.
    broadcast(replaceDocumentEdits(doc(), CP1), 'me');
    applyServerMessage({
      type: 'accepted',
      requestId: asked.requestId,
      version: useSession.getState().version,
      outcome: { ok: true, commands: [], notRun: [] },
    });
    expect(await reset).toMatchObject({ ok: true });
    expect(useHistory.getState().undo).toEqual([]);
    expect(notices()).toEqual(['Undo history cleared: the lab was reset to cp1.']);
    await undoLast();
    expect(sent.at(-1)).toBe(asked); // nothing offered, nothing sent
  });

  it('another page’s reset (a teacher’s class reset) clears it too; a small edit of theirs does not', () => {
    edit({ type: 'setNamespace', name: 'ns1', forwarding: true });
    broadcast([{ type: 'setNamespace', name: 'ns2', loUp: false }], 'teacher');
    expect(useHistory.getState().undo).toHaveLength(1);
    broadcast(replaceDocumentEdits(doc(), CP1), 'teacher');
    expect(useHistory.getState().undo).toEqual([]);
    expect(notices()).toEqual([
      'Undo history cleared: another editor replaced the whole lab (a reset or an import).',
    ]);
  });
});

describe('an undo the kernel did not follow whole', () => {
  it('says what the plan kept (a namespace holding hand-made interfaces), not just "Undid"', async () => {
    edit({ type: 'addNamespace', name: 'ns3' });
    const kept = 'kept namespace "ns3": it holds interfaces netcanvas did not make (h1, h2)';
    const submit = (edits: Edit[]): Promise<EditResult> => {
      const next = applyEdits(doc(), edits);
      if (!next.ok) throw new Error('refused');
      useSession.setState({ document: next.value, version: useSession.getState().version + 1 });
      return Promise.resolve({ ok: true, version: 3, failed: null, notes: [kept] });
    };
    await undoLast(submit);
    expect(notices().at(-1)).toBe(`Undid: add namespace ns3. But the kernel kept something: ${kept}.`);
  });
});

describe('the checkpoint menu', () => {
  it('counts a checkpoint’s contents in words that agree', () => {
    const info = {
      name: 'cp1',
      savedAt: new Date(0).toISOString(),
      version: 3,
      by: 'me',
      namespaces: 2,
      bridges: 1,
      links: 1,
      observed: null,
    } as unknown as Parameters<typeof checkpointContents>[0];
    expect(checkpointContents(info)).toMatch(/^saved .+: 2 namespaces, 1 bridge, 1 veth pair$/);
  });
});
