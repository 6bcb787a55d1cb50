import { describe, expect, it } from 'vitest';
import { emptyTopology, type ServerMessage } from '@netcanvas/model';
import { documentFor, documentMessage, versionAfter } from '../src/server/document-edits';

// Which form of a new document version each client is sent (server/document-edits.ts): the edits
// when it holds the version before, whole otherwise; one object for all who can follow.

const doc = { ...emptyTopology(), namespaces: [] };
const made = documentMessage(8, doc, 'c1', {
  baseVersion: 7,
  edits: [{ type: 'addNamespace', name: 'ns0' }],
});

describe('documentFor', () => {
  it('sends the edits, with their defaults, to a client at the version before', () => {
    const sent = documentFor(made, 7);
    expect(sent).toEqual({
      type: 'documentEdits',
      version: 8,
      baseVersion: 7,
      by: 'c1',
      edits: [expect.objectContaining({ type: 'addNamespace', name: 'ns0', loUp: true, routes: [] })],
    });
    // The same object for every such client: its JSON is made once.
    expect(documentFor(made, 7)).toBe(sent);
    expect(versionAfter(sent)).toBe(8);
  });

  it('sends the whole document to a client at another version, or unknown', () => {
    for (const held of [6, 8, undefined]) expect(documentFor(made, held)).toBe(made);
  });

  it('sends the whole when the change is not of one version (a save that made no new version)', () => {
    const same = documentMessage(8, doc, 'c1', { baseVersion: 8, edits: [] });
    expect(documentFor(same, 8)).toBe(same);
    expect(documentFor(documentMessage(9, doc, 'c1'), 8)).toMatchObject({ type: 'document', version: 9 });
  });

  it('passes any other message as it is', () => {
    const log: ServerMessage = { type: 'log', entries: [] };
    expect(documentFor(log, 7)).toBe(log);
    expect(versionAfter(log)).toBeUndefined();
  });
});
