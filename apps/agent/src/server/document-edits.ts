import { Edit, type EditInput, type ServerMessage, type Topology } from '@netcanvas/model';

type DocumentMessage = Extract<ServerMessage, { type: 'document' }>;
type DocumentEdits = Extract<ServerMessage, { type: 'documentEdits' }>;

/**
 * A new version of the document goes to each client as the edits that made it when the client
 * holds the version before (its connection sent it: `documentFor`), and whole otherwise. At 1,000
 * namespaces the whole is ~250 KB, ~2 ms to write and ~25 ms for a strict client to parse, per
 * edit; the edits of a new namespace are ~300 bytes. In-process sessions (a class's student
 * mirrors) get the whole message, which costs them nothing.
 */
const compact = new WeakMap<DocumentMessage, DocumentEdits>();

/** The `document` broadcast of `version`, and, when `change` says how it came from the one before, its edits. */
export function documentMessage(
  version: number,
  document: Topology,
  by: string,
  change?: { baseVersion: number; edits: readonly EditInput[] },
): DocumentMessage {
  const message: DocumentMessage = { type: 'document', version, document, by };
  // Only a change of one version: a client at baseVersion then holds exactly the agent's document.
  if (change && change.baseVersion === version - 1)
    compact.set(message, {
      type: 'documentEdits',
      version,
      baseVersion: change.baseVersion,
      // As the writer applied them (adopts already expanded), each with its defaults: a few
      // small objects, parsed before (applyEdits), so this cannot fail.
      edits: change.edits.map((edit) => Edit.parse(edit)),
      by,
    });
  return message;
}

/** What to send a client whose last document version is `held`: the edits when it can follow them. */
export function documentFor(message: ServerMessage, held: number | undefined): ServerMessage {
  if (message.type !== 'document') return message;
  const edits = compact.get(message);
  // The same object for every client that can follow: its JSON is made once (wire-text.ts).
  return edits && edits.baseVersion === held ? edits : message;
}

/** The document version a client holds after this message, or undefined when it does not say. */
export function versionAfter(message: ServerMessage): number | undefined {
  if (message.type === 'welcome' || message.type === 'document' || message.type === 'documentEdits')
    return message.version;
  return undefined;
}
