import { usePathNode } from './use-path-highlight';

/**
 * A node's place on the packet path: its number(s) in a badge at the card's corner, and at the
 * path's end a ✓ (delivered) or ✗ (stopped here) beside them, with the words in its label.
 */
export function PathBadge({ id }: { id: string }) {
  const at = usePathNode(id);
  if (!at) return null;
  const tone = at.end === 'stopped' ? 'bg-red-700' : at.end === 'delivered' ? 'bg-emerald-700' : 'bg-sky-700';
  const mark = at.end === 'stopped' ? ' ✗' : at.end === 'delivered' ? ' ✓' : '';
  const words =
    at.end === 'stopped' ? ', the path stops here' : at.end === 'delivered' ? ', delivered here' : '';
  return (
    <span
      role="img"
      aria-label={`packet path step ${at.numbers.join(' and ')}${words}`}
      data-path-step={at.numbers.join(',')}
      className={`nc-text nc-16 pointer-events-none absolute -top-3 -left-3 z-10 rounded-full px-2 py-0.5 font-mono font-bold text-white shadow ${tone}`}
    >
      {at.numbers.join('·')}
      {mark}
    </span>
  );
}
