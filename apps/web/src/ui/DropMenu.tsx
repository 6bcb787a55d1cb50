import { useState, type ReactNode } from 'react';
import { MenuButton, MenuItem, MenuList } from './Menu';

/** One choice of a DropMenu: its accessible name, what it shows, and what choosing it does. */
export interface DropMenuChoice {
  key: string;
  label: string;
  title: string;
  description: string;
  onChoose: () => void;
}

/**
 * A top-bar drop-down: its MenuButton, and while open its MenuList of choices (a choice closes the
 * list before it acts). `children` are what the choices open beside it (dialogs). The Examples,
 * Lessons, Checkpoints and Layout menus are each one of these.
 */
export function DropMenu({
  label,
  button,
  choices,
  onOpen,
  disabled = false,
  children,
}: {
  /** The button's and the list's accessible name ("examples"). */
  label: string;
  /** What the button shows ("Examples ▾"). */
  button: ReactNode;
  /**
   * Or a function, called only while the list is open (for choices worth working out only then),
   * which may give a sentence instead while they are not there yet ("Loading the lessons…").
   */
  choices: readonly DropMenuChoice[] | (() => readonly DropMenuChoice[] | string);
  /** Called as the list opens (to fetch what `choices` will list). */
  onOpen?: () => void;
  disabled?: boolean;
  children?: ReactNode;
}) {
  const [open, setOpen] = useState(false);
  const toggle = () => {
    if (!open) onOpen?.();
    setOpen(!open);
  };
  const listed = typeof choices !== 'function' ? choices : open ? choices() : [];
  return (
    <div className="relative">
      <MenuButton label={label} open={open} onToggle={toggle} disabled={disabled}>
        {button}
      </MenuButton>
      {open && typeof listed === 'string' && (
        <MenuList label={label} onClose={() => setOpen(false)}>
          <p role="status" className="px-3 py-2 text-sm text-slate-600">
            {listed}
          </p>
        </MenuList>
      )}
      {open && typeof listed !== 'string' && (
        <MenuList label={label} onClose={() => setOpen(false)}>
          {listed.map((choice) => (
            <MenuItem
              key={choice.key}
              label={choice.label}
              title={choice.title}
              description={choice.description}
              onClick={() => {
                setOpen(false);
                choice.onChoose();
              }}
            />
          ))}
        </MenuList>
      )}
      {children}
    </div>
  );
}
