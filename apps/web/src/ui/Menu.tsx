import type { ReactNode } from 'react';
import { Button } from './Button';

/** The top-bar button that opens a MenuList (it says whether the list is open). */
export function MenuButton({
  label,
  open,
  onToggle,
  disabled = false,
  children,
}: {
  label: string;
  open: boolean;
  onToggle: () => void;
  disabled?: boolean;
  children: ReactNode;
}) {
  return (
    <Button
      tone="ghost"
      aria-haspopup="menu"
      aria-expanded={open}
      aria-label={label}
      disabled={disabled}
      onClick={onToggle}
    >
      {children}
    </Button>
  );
}

/** A top-bar drop-down's list: named for assistive technology, closed by Escape. */
export function MenuList({
  label,
  onClose,
  children,
}: {
  label: string;
  onClose: () => void;
  children: ReactNode;
}) {
  return (
    <div
      role="menu"
      aria-label={label}
      className="absolute right-0 z-40 mt-1 w-80 rounded-lg bg-white p-1 shadow-lg ring-1 ring-slate-200"
      onKeyDown={(e) => e.key === 'Escape' && onClose()}
    >
      {children}
    </div>
  );
}

/** One choice of a MenuList: a title and a line saying what it does. */
export function MenuItem({
  label,
  title,
  description,
  onClick,
}: {
  label: string;
  title: string;
  description: string;
  onClick: () => void;
}) {
  return (
    <button
      role="menuitem"
      type="button"
      aria-label={label}
      onClick={onClick}
      className="block w-full rounded-md px-3 py-2 text-left hover:bg-slate-100 focus-visible:bg-slate-100 focus-visible:outline-none"
    >
      <span className="block text-sm font-semibold text-slate-900">{title}</span>
      <span className="block text-xs text-slate-500">{description}</span>
    </button>
  );
}
