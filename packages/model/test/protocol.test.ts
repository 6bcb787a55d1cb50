import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyEdits } from '../src/edits';
import { ClientMessage, ErrorCode, ErrorCodeSchema, ServerMessage, badEditOf } from '../src/protocol';
import { emptyTopology } from '../src/topology';

/** Parses a client message; on failure, what the agent answers: a bad edit (with its issues) or a bad message. */
const read = (value: unknown) => {
  const parsed = ClientMessage.safeParse(value);
  if (parsed.success) return { ok: true as const, message: parsed.data };
  return { ok: false as const, badEdit: badEditOf(value, parsed.error) };
};

const editMessage = (edits: unknown[], extra: Record<string, unknown> = {}) => ({
  type: 'edit',
  requestId: 'r1',
  baseVersion: 0,
  edits,
  ...extra,
});

describe('edits are typed on the wire', () => {
  it('parses a good edit into the typed union (defaults filled, MAC canonical)', () => {
    const read1 = read(
      editMessage([
        { type: 'addNamespace', name: 'ns0' },
        { type: 'addBridge', name: 'br0', mac: '02:AA:00:00:00:01' },
      ]),
    );
    expect(read1.ok).toBe(true);
    if (!read1.ok || read1.message.type !== 'edit') throw new Error('expected an edit message');
    const [ns, br] = read1.message.edits;
    expect(ns).toMatchObject({ type: 'addNamespace', name: 'ns0', loUp: true });
    expect(br).toMatchObject({ type: 'addBridge', name: 'br0', mac: '02:aa:00:00:00:01' });
  });

  it('refuses a bad edit at the boundary with its field path', () => {
    const result = read(
      editMessage([
        { type: 'addNamespace', name: 'ns0' },
        { type: 'connect', a: { node: 'ns0', ifname: 'v0' }, b: { node: '-rf', ifname: 'v1' } },
      ]),
    );
    expect(result).toEqual({
      ok: false,
      badEdit: {
        type: 'edit',
        requestId: 'r1',
        issues: [{ path: 'edits[1].b.node', message: 'starts with "-", which commands read as an option' }],
      },
    });
  });

  it('says which edit of a preview is wrong, and an unknown edit type at the edit itself', () => {
    const result = read({ type: 'preview', requestId: 'p1', edits: [{ type: 'renameEverything' }] });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.badEdit).toMatchObject({ type: 'preview', requestId: 'p1' });
    expect(result.badEdit?.issues.map((i) => i.path)).toEqual(['edits[0].type']);
  });

  it('reports only the first wrong edit, as applyEdits does', () => {
    const result = read(
      editMessage([
        { type: 'addNamespace', name: 'ns0' },
        { type: 'addBridge', name: 'a b', mtu: 65536 },
        { type: 'addNamespace', name: '..' },
      ]),
    );
    expect(result.ok ? [] : result.badEdit?.issues.map((i) => i.path)).toEqual([
      'edits[1].name',
      'edits[1].mtu',
    ]);
  });

  it('is a bad message, not a bad edit, when anything outside the edits is wrong too', () => {
    const bad = [{ type: 'addNamespace', name: '-rf' }];
    expect(read(editMessage(bad, { requestId: '' }))).toEqual({ ok: false, badEdit: null });
    expect(read(editMessage(bad, { extra: 1 }))).toEqual({ ok: false, badEdit: null });
    expect(read(editMessage([]))).toEqual({ ok: false, badEdit: null });
    expect(read(editMessage(bad, { baseVersion: -1 }))).toEqual({ ok: false, badEdit: null });
  });

  // The agent answers a bad edit at the boundary; the writer answered it before with applyEdits.
  // Both must say the same thing, at the same path, whatever the edit and wherever it sits.
  it('gives the same issues as applyEdits for any wrong edit anywhere in the list', () => {
    const wrong = fc.constantFrom<unknown>(
      { type: 'addNamespace', name: 'a\nnetns add evil' },
      { type: 'addNamespace', name: 'root' },
      { type: 'addBridge', name: 'bridge-name-16by' },
      { type: 'addBridge', name: 'br0', mtu: 65536, mac: 'ff:ff:ff:ff:ff:ff' },
      { type: 'connect', a: { node: 'x', ifname: 'v0', addresses: ['10.0.1.300/24'] }, b: { node: 'root' } },
      { type: 'setInterface', node: 'x', ifname: 'eth+', up: 'yes' },
      { type: 'setNamespace', name: 'x', firewall: { rules: [{ chain: 'NOPE' }] } },
      { type: 'setPosition', node: 'x', position: { x: 'left', y: 0 } },
      { type: 'adopt', namespace: 'x', ifname: 'v0', routes: true },
      { type: 'removeHandRule', namespace: 'x', table: 'nat', chain: 'POSTROUTING', args: [] },
      { type: 'nothing' },
      'addNamespace',
      null,
    );
    fc.assert(
      fc.property(fc.nat(5), fc.nat(5), wrong, (before, after, bad) => {
        const good = (n: number, from: number) =>
          Array.from({ length: n }, (_, i) => ({ type: 'addNamespace', name: `n${from + i}` }));
        const edits = [...good(before, 0), bad, ...good(after, before)];
        const result = read(editMessage(edits));
        const applied = applyEdits(emptyTopology(), edits);
        expect(result.ok).toBe(false);
        expect(applied.ok).toBe(false);
        if (result.ok || applied.ok) return;
        expect(result.badEdit?.issues).toEqual(applied.issues);
        expect(result.badEdit?.issues[0]?.path).toMatch(new RegExp(`^edits\\[${before}\\]`));
      }),
    );
  });
});

describe('one registry of error codes', () => {
  const rejected = (code: string) => ({
    type: 'rejected',
    requestId: 'r1',
    code,
    message: 'no',
    path: null,
    currentVersion: 0,
  });

  it('the schema is exactly the registry', () => {
    expect([...ErrorCodeSchema.options].sort()).toEqual(Object.values(ErrorCode).sort());
    for (const code of Object.values(ErrorCode))
      expect(ServerMessage.safeParse(rejected(code)).success).toBe(true);
  });

  it('refuses a code outside it, in rejected and in error (a client-side state is never a wire code)', () => {
    for (const code of ['ERR_DISCONNECTED', 'ERR_SOMETHING', 'internal', ''])
      expect(ServerMessage.safeParse(rejected(code)).success, code).toBe(false);
    expect(ServerMessage.safeParse({ type: 'error', code: 'ERR_DISCONNECTED', message: 'x' }).success).toBe(
      false,
    );
  });
});
