import { ROOT } from './names';
import type { Topology } from './topology';

/**
 * What an undo may overwrite, as keys: a namespace's settings (`ns:NAME`), a bridge's
 * (`br:NAME`), the veth an interface is on (`end:NODE:IFNAME`), the lab root's firewall (`root`),
 * where a node is drawn (`pos:NAME`). Each key maps to its text in one document (null: absent).
 * An undo is safe while every key its edit changed still reads as the edit left it: otherwise
 * someone (another editor, an adopt) changed the same thing since, and undoing would wipe it.
 */
export type KeyTexts = Record<string, string | null>;

/** Every key of a document, with its text. Positions apart: moving a node changes no setting. */
export function documentKeys(doc: Topology): Map<string, string> {
  const keys = new Map<string, string>();
  for (const { position, ...ns } of doc.namespaces) {
    keys.set(`ns:${ns.name}`, JSON.stringify(ns));
    if (position) keys.set(`pos:${ns.name}`, JSON.stringify(position));
  }
  for (const { position, ...br } of doc.bridges) {
    keys.set(`br:${br.name}`, JSON.stringify(br));
    if (position) keys.set(`pos:${br.name}`, JSON.stringify(position));
  }
  for (const link of doc.links) {
    const text = JSON.stringify(link);
    for (const end of [link.a, link.b]) keys.set(`end:${end.node}:${end.ifname}`, text);
  }
  if (doc.root) keys.set(ROOT, JSON.stringify(doc.root));
  if (doc.rootPosition) keys.set(`pos:${ROOT}`, JSON.stringify(doc.rootPosition));
  return keys;
}

/** The keys whose text differs from `before` to `after`, with their text in each. */
export function changedKeys(before: Topology, after: Topology): { before: KeyTexts; after: KeyTexts } {
  const a = documentKeys(before);
  const b = documentKeys(after);
  const changed: { before: KeyTexts; after: KeyTexts } = { before: {}, after: {} };
  for (const key of new Set([...a.keys(), ...b.keys()])) {
    const was = a.get(key) ?? null;
    const is = b.get(key) ?? null;
    if (was === is) continue;
    changed.before[key] = was;
    changed.after[key] = is;
  }
  return changed;
}

/** The keys of `expected` that `doc` no longer reads as expected, in words ("ns1", "veth ns1:eth0"). */
export function driftedKeys(doc: Topology, expected: KeyTexts): string[] {
  const now = documentKeys(doc);
  return Object.entries(expected)
    .filter(([key, text]) => (now.get(key) ?? null) !== text)
    .map(([key]) => keyWords(key));
}

function keyWords(key: string): string {
  const [kind, ...rest] = key.split(':');
  const name = rest.join(':');
  switch (kind) {
    case 'ns':
      return `namespace ${name}`;
    case 'br':
      return `bridge ${name}`;
    case 'end':
      return `the veth on ${name}`;
    case 'pos':
      return `where ${name} is drawn`;
    default:
      return "the lab root's firewall";
  }
}
