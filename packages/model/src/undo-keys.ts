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
    keys.set(`ns:${ns.name}`, text(ns));
    if (position) keys.set(`pos:${ns.name}`, text(position));
  }
  for (const { position, ...br } of doc.bridges) {
    keys.set(`br:${br.name}`, text(br));
    if (position) keys.set(`pos:${br.name}`, text(position));
  }
  for (const link of doc.links) {
    const linkText = text(link);
    for (const end of [link.a, link.b]) keys.set(`end:${end.node}:${end.ifname}`, linkText);
  }
  if (doc.root) keys.set(ROOT, text(doc.root));
  if (doc.rootPosition) keys.set(`pos:${ROOT}`, text(doc.rootPosition));
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
    .filter(([key, was]) => (now.get(key) ?? null) !== was)
    .map(([key]) => keyWords(key));
}

/**
 * JSON with every object's keys sorted: the same value reads the same whichever way it was built
 * (an edit adds `mtu` last; a document loaded from disk has it where the schema puts it).
 */
function text(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
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
