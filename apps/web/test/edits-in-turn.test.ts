import { beforeEach, describe, expect, it, vi } from 'vitest';
import { Topology, applyEdits, type ClientMessageInput } from '@netcanvas/model';
import { submitEdits } from '../src/protocol/edits';
import { saveLaidOut } from '../src/canvas/save-positions';
import { requestsActions } from '../src/store/requests';
import { useSession } from '../src/store/session';
import { useHistory } from '../src/store/history';
import { useUi } from '../src/store/ui';

const sent = vi.hoisted(() => [] as ClientMessageInput[]);
vi.mock('../src/protocol/socket', () => ({
  send: (message: ClientMessageInput) => {
    sent.push(message);
    return true;
  },
  resync: () => undefined,
}));

const edits = (): ClientMessageInput & { type: 'edit' } => {
  const last = sent.at(-1);
  if (last?.type !== 'edit') throw new Error('no edit sent');
  return last;
};

/** The agent's answer to the last edit: its broadcast (the new version) first, then the reply. */
function accept(version: number, document = useSession.getState().document): void {
  const { requestId } = edits();
  useSession.setState({ version, document });
  requestsActions.settle({
    type: 'accepted',
    requestId,
    version,
    outcome: { ok: true, commands: [], notRun: [] },
  });
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("a page's edits", () => {
  beforeEach(() => {
    sent.splice(0);
    useSession.setState({
      role: 'editor',
      ready: true,
      version: 3,
      document: { schemaVersion: 1, namespaces: [], bridges: [], links: [] },
    });
  });

  it('say what the kernel kept that an edit of the canvas would have removed', async () => {
    useUi.setState({ notices: [] });
    const removed = submitEdits([{ type: 'setPosition', node: 'root', position: { x: 1, y: 2 } }]);
    await flush();
    const { requestId } = edits();
    useSession.setState({ version: 4 });
    const note = 'kept namespace "ns3": it holds interfaces netcanvas did not make (h1, h2)';
    requestsActions.settle({
      type: 'accepted',
      requestId,
      version: 4,
      outcome: { ok: true, commands: [], notRun: [], notes: [note] },
    });
    expect(await removed).toMatchObject({ ok: true, notes: [note] });
    expect(useUi.getState().notices.map((n) => n.text)).toEqual([`The kernel kept something: ${note}.`]);
  });

  it('go one at a time, the second on the version the first one made', async () => {
    // A new node's place saved (a move) and, at that moment, an adopt clicked (CI stop 24).
    const move = submitEdits([{ type: 'setPosition', node: 'root', position: { x: 1, y: 2 } }]);
    const adopt = submitEdits([{ type: 'adopt', all: true }]);
    await flush();
    expect(sent.map((m) => m.type === 'edit' && m.baseVersion)).toEqual([3]);
    accept(4);
    expect(await move).toMatchObject({ ok: true, version: 4 });
    await flush();
    expect(sent.map((m) => m.type === 'edit' && m.baseVersion)).toEqual([3, 4]);
    accept(5);
    expect(await adopt).toMatchObject({ ok: true, version: 5 });
  });

  it('are each checked on the document the one before made: an edit of what it adds is sent', async () => {
    const add = submitEdits([{ type: 'addNamespace', name: 'x' }]);
    const lo = submitEdits([{ type: 'setNamespace', name: 'x', loUp: false }]);
    await flush();
    const made = applyEdits(useSession.getState().document, [{ type: 'addNamespace', name: 'x' }]);
    if (!made.ok) throw new Error('the model refused addNamespace x');
    accept(4, made.value);
    expect(await add).toMatchObject({ ok: true });
    await flush();
    expect(sent.map((m) => m.type === 'edit' && m.baseVersion)).toEqual([3, 4]);
    accept(5);
    expect(await lo).toMatchObject({ ok: true, version: 5 });
  });

  it('record a named step (lay out all) on the document the edit ahead of it made', async () => {
    const at = (x: number) =>
      Topology.parse({ schemaVersion: 1, namespaces: [{ name: 'a', position: { x, y: x } }] });
    useSession.setState({ document: at(0) });
    useHistory.setState({ undo: [], redo: [] });
    // A drag put down, and "Lay out all" clicked while its edit is in flight.
    const drag = submitEdits([{ type: 'setPosition', node: 'a', position: { x: 10, y: 10 } }]);
    const layout = saveLaidOut(new Map([['a', { x: 50, y: 50 }]]), 'lay out all');
    await flush();
    accept(4, at(10));
    await drag;
    await flush();
    accept(5, at(50));
    await layout;
    const step = useHistory.getState().undo.at(-1);
    expect(step && 'inverse' in step && step.label).toBe('lay out all');
    // Undoing the layout puts the node back where the drag left it, not where it was before the drag.
    expect(step && 'inverse' in step && step.inverse).toEqual([
      { type: 'setPosition', node: 'a', position: { x: 10, y: 10 } },
    ]);
  });

  it('go on after one that was not sent (not connected) or refused', async () => {
    const first = submitEdits([{ type: 'adopt', all: true }]);
    const second = submitEdits([{ type: 'adopt', all: true }]);
    await flush();
    requestsActions.abandonAll(3);
    expect(await first).toMatchObject({ ok: false });
    await flush();
    expect(sent).toHaveLength(2);
    accept(4);
    expect(await second).toMatchObject({ ok: true });
  });
});
