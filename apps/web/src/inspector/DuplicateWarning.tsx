import { duplicateAddresses, type Topology } from '@netcanvas/model';
import { useSession } from '../store/session';

// One document's duplicates, found once however many inspectors and edges ask.
const found = new WeakMap<Topology, ReturnType<typeof duplicateAddresses>>();

/** The duplicate-address warnings about any of `holders` (`node:ifname` of a veth end, or a bridge). */
export function duplicateWarnings(doc: Topology, holders: readonly string[]): string[] {
  let list = found.get(doc);
  if (!list) found.set(doc, (list = duplicateAddresses(doc)));
  return list.filter((d) => d.holders.some((h) => holders.includes(h))).map((d) => d.message);
}

/**
 * The same address twice on one segment, said where the address is edited: a warning, never a
 * refusal (a lesson may show exactly this on purpose).
 */
export function DuplicateWarning({ holders }: { holders: readonly string[] }) {
  const doc = useSession((s) => s.document);
  const warnings = duplicateWarnings(doc, holders);
  if (warnings.length === 0) return null;
  return (
    <div
      role="alert"
      aria-label="duplicate address"
      className="mb-2 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-300"
    >
      {warnings.map((w) => (
        <p key={w}>⚠ {w}</p>
      ))}
    </div>
  );
}
