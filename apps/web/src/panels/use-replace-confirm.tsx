import { useState, type ReactNode } from 'react';
import { useSession } from '../store/session';
import { ReplaceDialog } from './ReplaceDialog';

/**
 * A replace of the lab chosen in a menu (an example, a lesson, a checkpoint). `ask` replaces at
 * once when the lab holds nothing, else after the ReplaceDialog's yes; `confirm` asks whatever the
 * lab holds. `dialog` is to be rendered beside the menu (null while nothing is asked).
 */
export function useReplaceConfirm<T>(
  replace: (choice: T) => void,
  what: (choice: T) => string,
  /** What goes, when it is known (a checkpoint's names); the whole lab otherwise. */
  removes?: (choice: T) => string[],
): { ask: (choice: T) => void; confirm: (choice: T) => void; dialog: ReactNode } {
  // Boxed: a choice may itself be falsy (an empty name) and still be asked about.
  const [asking, setAsking] = useState<{ choice: T } | null>(null);
  const ask = (choice: T) => {
    const doc = useSession.getState().document;
    if (doc.namespaces.length + doc.bridges.length === 0) replace(choice);
    else setAsking({ choice });
  };
  const dialog = asking && (
    <ReplaceDialog
      what={what(asking.choice)}
      removes={removes?.(asking.choice)}
      onConfirm={() => {
        setAsking(null);
        replace(asking.choice);
      }}
      onClose={() => setAsking(null)}
    />
  );
  return { ask, confirm: (choice) => setAsking({ choice }), dialog };
}
