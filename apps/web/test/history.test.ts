import { applyEdits, validateTopology, type Edit, type EditInput, type Topology } from '@netcanvas/model';
import { beforeEach, describe, expect, it } from 'vitest';
import type { EditResult } from '../src/protocol/edits';
import { historyActions, useHistory } from '../src/store/history';
import { redoLast, undoLast } from '../src/store/history-run';
import { useSession } from '../src/store/session';
import { useUi } from '../src/store/ui';

/**
 * The page's undo history, driven as the page drives it: this editor's accepted edits are
 * recorded, undo and redo go through a submit that does what the agent does to the document
 * (applyEdits, a new version), and other editors' changes arrive as new documents.
 */

const LAB = validateTopology({
  schemaVersion: 1,
  namespaces: [{ name: 'ns1' }, { name: 'ns2' }],
  bridges: [{ name: 'br0' }],
  links: [
    { a: { node: 'ns1', ifname: 'eth0', addresses: ['10.0.0.1/24'] }, b: { node: 'br0', ifname: 'p1' } },
    { a: { node: 'ns2', ifname: 'eth0', addresses: ['10.0.0.2/24'] }, b: { node: 'br0', ifname: 'p2' } },
  ],
});

/** What the agent does with an accepted edit message: the next document, broadcast. */
function agentApplies(edits: readonly EditInput[]): EditResult {
  const { document, version } = useSession.getState();
  const next = applyEdits(document, edits);
  if (!next.ok) return { ok: false, message: next.issues[0]?.message ?? '', path: null, sent: true };
  useSession.setState({ document: next.value, version: version + 1 });
  return { ok: true, version: version + 1, failed: null, notes: [] };
}

/** This editor's edit: accepted, and recorded as the page records it. */
function edit(...edits: EditInput[]): void {
  const before = useSession.getState().document;
  const result = agentApplies(edits);
  if (!result.ok) throw new Error(result.message);
  historyActions.record(before, edits);
}

const sent: Edit[][] = [];
const submit = (edits: Edit[]) => {
  sent.push(edits);
  return Promise.resolve(agentApplies(edits));
};
const doc = (): Topology => useSession.getState().document;
const lastNotice = () => useUi.getState().notices.at(-1)?.text;

beforeEach(() => {
  if (!LAB.ok) throw new Error('bad fixture');
  useSession.setState({ role: 'editor', document: LAB.value, version: 1 });
  historyActions.clear();
  sent.length = 0;
});

describe('undo and redo', () => {
  it('undoes a new veth and does it again, each as one message to the agent', async () => {
    const start = doc();
    edit({ type: 'connect', a: { node: 'ns1', ifname: 'v1' }, b: { node: 'ns2', ifname: 'v2' } });
    expect(useHistory.getState().undo.at(-1)?.label).toBe('add veth ns1:v1 ⇄ ns2:v2');
    const added = doc();
    await undoLast(submit);
    expect(sent).toEqual([[{ type: 'disconnect', node: 'ns1', ifname: 'v1' }]]);
    expect(doc()).toEqual(start);
    expect(useHistory.getState().redo).toHaveLength(1);
    await redoLast(submit);
    expect(doc()).toEqual(added);
    expect(useHistory.getState()).toMatchObject({ redo: [], undo: [{ label: 'add veth ns1:v1 ⇄ ns2:v2' }] });
  });

  it('brings back a removed namespace with its link and address in one batch', async () => {
    edit({ type: 'removeNamespace', name: 'ns1' });
    await undoLast(submit);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.map((e) => e.type)).toEqual(['addNamespace', 'connect']);
    expect(doc().links.find((l) => l.a.node === 'ns1')?.a.addresses).toEqual(['10.0.0.1/24']);
  });

  it('refuses, with a sentence, to undo what another editor changed since, and changes nothing', async () => {
    edit({ type: 'setInterface', node: 'ns1', ifname: 'eth0', addresses: ['10.0.0.9/24'] });
    agentApplies([{ type: 'setInterface', node: 'ns1', ifname: 'eth0', up: false }]); // another editor
    const theirs = doc();
    await undoLast(submit);
    expect(sent).toEqual([]);
    expect(doc()).toBe(theirs);
    expect(lastNotice()).toBe(
      'Cannot undo “set ns1:eth0 (addresses 10.0.0.9/24)”: the veth on ns1:eth0, the veth on br0:p1 changed since (by another editor, or an adopt); nothing was changed.',
    );
    expect(useHistory.getState().undo).toEqual([]);
  });

  it('undoes this editor’s step when another editor changed something else', async () => {
    edit({ type: 'setNamespace', name: 'ns1', forwarding: true });
    agentApplies([{ type: 'setNamespace', name: 'ns2', loUp: false }]);
    await undoLast(submit);
    expect(doc().namespaces.find((n) => n.name === 'ns1')?.forwarding).toBe(false);
    expect(doc().namespaces.find((n) => n.name === 'ns2')?.loUp).toBe(false);
  });

  it('says why an adopt cannot be undone, then undoes what came before it', async () => {
    edit({ type: 'addNamespace', name: 'ns3' });
    historyActions.record(doc(), [{ type: 'adopt', namespace: 'h0' }]);
    await undoLast(submit);
    expect(lastNotice()).toMatch(/^“adopt .*” cannot be undone: adopting marks objects/);
    expect(sent).toEqual([]);
    await undoLast(submit);
    expect(doc().namespaces.map((n) => n.name)).toEqual(['ns1', 'ns2']);
  });

  it('forgets what was undone once a new edit is made, and a viewer has no undo', async () => {
    edit({ type: 'setBridge', name: 'br0', stp: true });
    await undoLast(submit);
    edit({ type: 'setBridge', name: 'br0', up: false });
    expect(useHistory.getState().redo).toEqual([]);
    useSession.setState({ role: 'viewer' });
    await undoLast(submit);
    expect(sent).toHaveLength(1);
  });

  it('keeps the step when the agent refuses the undo, so it can be tried again', async () => {
    edit({ type: 'setPosition', node: 'ns1', position: { x: 10, y: 10 } });
    const refused = () =>
      Promise.resolve<EditResult>({ ok: false, message: 'the agent is busy', path: null, sent: true });
    await undoLast(refused);
    expect(lastNotice()).toBe('Could not undo “move ns1”: the agent is busy');
    expect(useHistory.getState().undo).toHaveLength(1);
    await undoLast(submit);
    expect(doc().namespaces[0]?.position).toBeUndefined();
  });
});
