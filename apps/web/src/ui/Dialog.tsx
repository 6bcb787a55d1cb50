import { useEffect, useId, useRef, type KeyboardEvent, type ReactNode } from 'react';

const TABBABLE =
  'button:not(:disabled), input:not(:disabled):not([type="hidden"]), select:not(:disabled), textarea:not(:disabled), a[href], [tabindex]:not([tabindex="-1"])';

/** Tab and Shift+Tab go round the dialog's own controls: a modal keeps the keyboard (WAI-ARIA's dialog pattern). */
function keepFocusInside(e: KeyboardEvent<HTMLDivElement>): void {
  const items = [...e.currentTarget.querySelectorAll<HTMLElement>(TABBABLE)].filter(
    (el) => el.getClientRects().length > 0,
  );
  const [first, last] = [items[0], items.at(-1)];
  if (!first || !last) return;
  const from = document.activeElement;
  if (e.shiftKey ? from === first || from === e.currentTarget : from === last) {
    e.preventDefault();
    (e.shiftKey ? last : first).focus();
  }
}

/** A small modal: labelled, Escape closes, Tab stays inside, focus starts inside and returns where it was. */
export function Dialog({
  title,
  onClose,
  children,
  wide = false,
}: {
  title: string;
  onClose: () => void;
  children: ReactNode;
  wide?: boolean;
}) {
  const titleId = useId();
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    const first = box.current?.querySelector<HTMLElement>('input, textarea, select, button');
    first?.focus();
    if (first instanceof HTMLInputElement) first.select();
    return () => before?.focus?.();
  }, []);
  return (
    <div
      className="fixed inset-0 z-50 flex items-center justify-center bg-slate-900/30 p-4"
      onMouseDown={(e) => {
        if (e.target === e.currentTarget) onClose();
      }}
    >
      <div
        ref={box}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        // Focusable itself (not by Tab), so a click on its text keeps the focus, and the keys, in it.
        tabIndex={-1}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.stopPropagation();
            onClose();
          } else if (e.key === 'Tab') keepFocusInside(e);
        }}
        className={`w-full ${wide ? 'max-w-3xl' : 'max-w-md'} rounded-xl bg-white p-5 shadow-xl ring-1 ring-slate-200 outline-none`}
      >
        <h2 id={titleId} className="mb-3 text-lg font-semibold text-slate-900">
          {title}
        </h2>
        {children}
      </div>
    </div>
  );
}

/** An error for a person: a sentence about the thing on screen, and the field path under it. */
export type { Problem } from '../lib/messages';

/** A refusal at the field: the sentence, and (smaller, under it) the detail the command line shows. */
export function FieldError({ message, detail = null }: { message: string | null; detail?: string | null }) {
  if (!message) return null;
  return (
    <div
      role="alert"
      className="mt-2 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 ring-1 ring-red-200"
    >
      <p>{message}</p>
      {detail && detail !== message && (
        <p data-testid="error-detail" className="mt-1 break-words font-mono text-xs text-red-700/80">
          {detail}
        </p>
      )}
    </div>
  );
}
