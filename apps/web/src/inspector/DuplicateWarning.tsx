import { duplicateWarnings } from '../lib/duplicates';
import { useSession } from '../store/session';

/**
 * The same address twice on one segment, said where the address is edited: a warning, never a
 * refusal (a lesson may show exactly this on purpose).
 */
export function DuplicateWarning({ holders }: { holders: readonly string[] }) {
  const doc = useSession((s) => s.document);
  const warnings = duplicateWarnings(doc, holders).map((d) => d.message);
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
