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
  disabled = false,
  children,
}: {
  /** The button's and the list's accessible name ("examples"). */
  label: string;
  /** What the button shows ("Examples ▾"). */
  button: ReactNode;
  /** Or a function, called only while the list is open (for choices worth working out only then). */
  choices: readonly DropMenuChoice[] | (() => readonly DropMenuChoice[]);
  disabled?: boolean;
  children?: ReactNode;
}) {
  const [open, setOpen] = useState(false);
  return (
    <div className="relative">
      <MenuButton label={label} open={open} onToggle={() => setOpen((o) => !o)} disabled={disabled}>
        {button}
      </MenuButton>
      {open && (
        <MenuList label={label} onClose={() => setOpen(false)}>
          {(typeof choices === 'function' ? choices() : choices).map((choice) => (
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
