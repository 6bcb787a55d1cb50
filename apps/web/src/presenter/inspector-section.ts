/**
 * The inspector's sections, as the lead reads them and a follower shows them. A section is the
 * inspector's `<section aria-label>`: its label names it on the wire. The DOM, not React state:
 * which section a person reads is where the inspector is scrolled, which only the DOM knows.
 */

/** The inspector's sticky header: a section scrolled under it is not being read. */
const HEADER_PX = 36;
const INSPECTOR = 'aside[aria-label="inspector"]';

export const inspectorElement = (): HTMLElement | null => document.querySelector<HTMLElement>(INSPECTOR);

function sectionsOf(aside: HTMLElement): HTMLElement[] {
  return [...aside.querySelectorAll<HTMLElement>('section[aria-label]')].filter(
    (s) => s.parentElement?.closest('section') === null,
  );
}

/** The section at the top of the inspector (its label); null at the very top, or with no inspector open. */
export function sectionAtTop(): string | null {
  const aside = inspectorElement();
  if (!aside || aside.scrollTop < 4) return null;
  const top = aside.getBoundingClientRect().top + HEADER_PX;
  const first = sectionsOf(aside).find((s) => s.getBoundingClientRect().bottom > top + 8);
  return first?.getAttribute('aria-label') ?? null;
}

/** Scrolls the inspector to the lead's section (null: its top) and marks it (index.css, `data-presented`). */
export function showSection(label: string | null): void {
  const aside = inspectorElement();
  if (!aside) return;
  const sections = sectionsOf(aside);
  const target = label === null ? undefined : sections.find((s) => s.getAttribute('aria-label') === label);
  for (const s of sections) if (s !== target) delete s.dataset.presented;
  if (target === undefined) {
    if (label === null) aside.scrollTo({ top: 0 });
    return;
  }
  target.dataset.presented = '';
  const top =
    target.getBoundingClientRect().top - aside.getBoundingClientRect().top + aside.scrollTop - HEADER_PX;
  if (Math.abs(aside.scrollTop - top) > 2) aside.scrollTo({ top });
}
