import { useEffect, useRef, type ButtonHTMLAttributes, type KeyboardEvent, type ReactNode } from 'react';
import { Button } from './Button';

/**
 * The top-bar button that opens a MenuList (it says whether the list is open). Other attributes
 * (a title, aria-busy) go to the button.
 */
export function MenuButton({
  label,
  open,
  onToggle,
  disabled = false,
  children,
  ...rest
}: {
  label: string;
  open: boolean;
  onToggle: () => void;
  disabled?: boolean;
  children: ReactNode;
} & Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'onClick' | 'aria-label' | 'children'>) {
  return (
    <Button
      tone="ghost"
      aria-haspopup="menu"
      aria-expanded={open}
      aria-label={label}
      disabled={disabled}
      onClick={onToggle}
      {...rest}
    >
      {children}
    </Button>
  );
}

/**
 * Arrow keys, Home and End move between a menu's items (the WAI-ARIA menu pattern); Tab closes it,
 * back on its button (the items are gone before Tab's own move could land anywhere). Says whether
 * it closed the menu.
 */
function moveFocus(e: KeyboardEvent<HTMLDivElement>): 'moved' | 'close' | null {
  const items = [...e.currentTarget.querySelectorAll<HTMLElement>('[role^="menuitem"]')];
  const at = items.indexOf(document.activeElement as HTMLElement);
  const targets: Record<string, number> = {
    ArrowDown: at + 1,
    ArrowUp: at - 1,
    Home: 0,
    End: items.length - 1,
  };
  const to = targets[e.key];
  if (to === undefined) return e.key === 'Tab' ? 'close' : null;
  items[(to + items.length) % items.length]?.focus();
  return 'moved';
}

/**
 * A top-bar drop-down's list: named for assistive technology, closed by Escape. With `keyboard`,
 * it is a menu a person works without a mouse: the focus starts on its first item, arrow keys,
 * Home and End move it, and Escape or Tab close it, back on the menu's button (the MenuButton
 * beside it); `onClose` then says so (`true`).
 */
export function MenuList({
  label,
  onClose,
  keyboard = false,
  className = 'w-80',
  children,
}: {
  label: string;
  onClose: (refocus: boolean) => void;
  keyboard?: boolean;
  /** Its width (a Tailwind class). */
  className?: string;
  children: ReactNode;
}) {
  const menu = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (keyboard) menu.current?.querySelector<HTMLElement>('[role^="menuitem"]')?.focus();
  }, [keyboard]);
  const closeToButton = () => {
    menu.current?.parentElement?.querySelector<HTMLElement>('[aria-haspopup="menu"]')?.focus();
    onClose(true);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (!keyboard) {
      if (e.key === 'Escape') onClose(false);
      return;
    }
    const move = e.key === 'Escape' ? 'close' : moveFocus(e);
    if (move === null) return;
    e.preventDefault();
    e.stopPropagation();
    if (move === 'close') closeToButton();
  };
  return (
    <div
      ref={menu}
      role="menu"
      aria-label={label}
      className={`absolute right-0 z-40 mt-1 ${className} rounded-lg bg-white p-1 shadow-lg ring-1 ring-slate-200`}
      onKeyDown={onKeyDown}
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
