import type { z } from 'zod';
import { BridgeSpec, LIMITS, LinkSpec, NamespaceSpec, Position, RootSpec, SCHEMA_VERSION } from './topology';
import type { Topology } from './topology';

/**
 * Checking an edited document by what the edits changed (docs/architecture.md, "An edit's check").
 *
 * An edit at 1,000 namespaces used to clone, parse and check the whole document: ~35 ms of CPU
 * before anything was planned. Documents are immutable values, and edits share what they do not
 * change (`applyEdits` copies an object before it changes it), so an object of the edited document
 * that is *the same object* as in a document already checked was parsed then: only the objects
 * that differ are parsed again. The rules that span objects (unique names, references, addresses)
 * are still checked over the whole (`semanticIssues`, linear, a few ms at 1,000).
 *
 * `parseChanged` answers only when every changed object parses: any issue, or anything it does
 * not expect (an unknown key, a list over its limit), and the caller parses the whole document,
 * so every issue is reported exactly as a whole parse reports it. A property test
 * (validate-edited.property.test.ts) holds the two ways equal.
 */

/** Documents parsed and checked whole, or made from one by checked edits. Never changed in place. */
const checked = new WeakSet<Topology>();

export const markChecked = (doc: Topology): Topology => {
  checked.add(doc);
  return doc;
};

export const isChecked = (doc: Topology): boolean => checked.has(doc);

const TOP_KEYS = new Set(['schemaVersion', 'namespaces', 'bridges', 'links', 'root', 'rootPosition']);

/**
 * `next` parsed where it differs from `prev` (a checked document): its objects that are not
 * `prev`'s own replaced by their parse. Null: parse the whole instead (`prev` unchecked, or
 * something changed did not parse).
 */
export function parseChanged(prev: Topology, next: Topology): Topology | null {
  if (!checked.has(prev) || next.schemaVersion !== SCHEMA_VERSION) return null;
  if (Object.keys(next).some((key) => !TOP_KEYS.has(key))) return null;
  const namespaces = parseList(prev.namespaces, next.namespaces, NamespaceSpec, LIMITS.namespaces);
  const bridges = parseList(prev.bridges, next.bridges, BridgeSpec, LIMITS.bridges);
  const links = parseList(prev.links, next.links, LinkSpec, LIMITS.links);
  if (!namespaces || !bridges || !links) return null;
  const out: Topology = { schemaVersion: SCHEMA_VERSION, namespaces, bridges, links };
  if (next.root !== undefined) {
    const root = next.root === prev.root ? next.root : parseOne(RootSpec, next.root);
    if (!root) return null;
    out.root = root;
  }
  if (next.rootPosition !== undefined) {
    const at =
      next.rootPosition === prev.rootPosition ? next.rootPosition : parseOne(Position, next.rootPosition);
    if (!at) return null;
    out.rootPosition = at;
  }
  return out;
}

/** A list whose items not in `prev` (by identity) are parsed; null when one does not parse. */
function parseList<T>(
  prev: readonly T[],
  next: readonly T[],
  item: z.ZodType<T, unknown>,
  max: number,
): T[] | null {
  if (!Array.isArray(next) || next.length > max) return null;
  const before = new Set(prev);
  const out: T[] = new Array<T>(next.length);
  for (let i = 0; i < next.length; i++) {
    const value = next[i] as T;
    if (before.has(value)) out[i] = value;
    else {
      const parsed = parseOne(item, value);
      if (parsed === null) return null;
      out[i] = parsed;
    }
  }
  return out;
}

function parseOne<T>(schema: z.ZodType<T, unknown>, value: unknown): T | null {
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : null;
}
