import { describe, expect, it } from 'vitest';
import type { Edit, ServerMessage } from '@netcanvas/model';
import { applyServerMessage } from '../src/protocol/apply-message';
import { useSession } from '../src/store/session';
import { welcomeMessage } from './lab-state';

// A new version of the document may come as the edits that made it (the agent sends them to a
// page it knows holds the version before): the page follows them with the model's
// followDocumentEdits,
// and asks for the whole state again (false) when they are for a version it does not hold.

const welcome = welcomeMessage({ role: 'viewer', version: 3 });
const addNamespace = (name: string): Edit => ({
  type: 'addNamespace',
  name,
  loUp: true,
  forwarding: false,
  routes: [],
  firewall: { chains: [], policies: [], rules: [] },
});
const editsOf = (version: number, baseVersion: number, edits: Edit[]): ServerMessage => ({
  type: 'documentEdits',
  version,
  baseVersion,
  edits,
  by: 'c2',
});
const names = () => useSession.getState().document.namespaces.map((ns) => ns.name);

describe('documentEdits at the page', () => {
  it('applies the edits to the version they name, in order', () => {
    applyServerMessage(welcome);
    expect(applyServerMessage(editsOf(4, 3, [addNamespace('ns0')]))).toBe(true);
    expect(
      applyServerMessage(editsOf(5, 4, [addNamespace('ns1'), { type: 'removeNamespace', name: 'ns0' }])),
    ).toBe(true);
    expect(useSession.getState().version).toBe(5);
    expect(names()).toEqual(['ns1']);
  });

  it('ignores a version it has, and asks again for edits of a version it does not hold', () => {
    applyServerMessage(welcome);
    expect(applyServerMessage(editsOf(3, 2, [addNamespace('old')]))).toBe(true);
    expect(names()).toEqual([]);
    expect(applyServerMessage(editsOf(6, 5, [addNamespace('later')]))).toBe(false);
    expect(useSession.getState().version).toBe(3);
    expect(names()).toEqual([]);
  });

  it('asks again when the edits do not apply to what it holds (nothing changes)', () => {
    applyServerMessage(welcome);
    expect(applyServerMessage(editsOf(4, 3, [{ type: 'removeNamespace', name: 'missing' }]))).toBe(false);
    expect(useSession.getState().version).toBe(3);
  });
});
