const ARROWS = {
  // The arrow points where the panel goes: a left-hand panel folds to the left.
  left: { open: '«', folded: '»' },
  right: { open: '»', folded: '«' },
} as const;

/** Folds a side panel to a narrow rail, or opens it again ("hide palette", "show inspector"). */
export function FoldButton({
  open,
  side,
  panel,
  onClick,
}: {
  open: boolean;
  side: keyof typeof ARROWS;
  panel: string;
  onClick: () => void;
}) {
  return (
    <button
      type="button"
      aria-label={`${open ? 'hide' : 'show'} ${panel}`}
      aria-expanded={open}
      title={`${open ? 'Fold' : 'Open'} the ${panel} (remembered)`}
      onClick={onClick}
      className="inline-flex size-8 shrink-0 items-center justify-center rounded-md text-lg leading-none text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600"
    >
      <span aria-hidden>{ARROWS[side][open ? 'open' : 'folded']}</span>
    </button>
  );
}
