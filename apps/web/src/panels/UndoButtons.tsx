import { useEffect } from 'react';
import { isBlocked, useHistory } from '../store/history';
import { redoLast, undoLast } from '../store/history-run';
import { useSession } from '../store/session';
import { Button } from '../ui/Button';

/**
 * Undo and Redo in the top bar, with what they would do in their tooltips ("Undo: add veth
 * ns1:eth0 ⇄ ns2:eth0"), and their keys: Ctrl+Z, Ctrl+Shift+Z and Ctrl+Y (⌘ on a Mac), on the
 * canvas, never while a field or a dialog has the keyboard (there, Ctrl+Z is the field's own).
 * Editors only: a viewer makes no edits, so it has nothing to undo.
 */
export function UndoButtons() {
  const lastUndo = useHistory((s) => s.undo.at(-1));
  const lastRedo = useHistory((s) => s.redo.at(-1));
  const running = useHistory((s) => s.running);
  useUndoKeys();
  const undoTitle = !lastUndo
    ? 'Nothing to undo'
    : isBlocked(lastUndo)
      ? `Cannot undo: ${lastUndo.label} (${lastUndo.reason})`
      : `Undo: ${lastUndo.label}`;
  return (
    <>
      <Button
        tone="ghost"
        aria-label="undo"
        title={`${undoTitle} (Ctrl+Z)`}
        disabled={!lastUndo || running}
        onClick={() => void undoLast()}
      >
        Undo
      </Button>
      <Button
        tone="ghost"
        aria-label="redo"
        title={`${lastRedo ? `Redo: ${lastRedo.label}` : 'Nothing to redo'} (Ctrl+Shift+Z)`}
        disabled={!lastRedo || running}
        onClick={() => void redoLast()}
      >
        Redo
      </Button>
    </>
  );
}

function useUndoKeys(): void {
  const editable = useSession((s) => s.role === 'editor');
  useEffect(() => {
    if (!editable) return;
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey || typesText(e.target)) return;
      const key = e.key.toLowerCase();
      const redo = (key === 'z' && e.shiftKey) || (key === 'y' && !e.shiftKey);
      if (key !== 'z' && !redo) return;
      e.preventDefault();
      void (redo ? redoLast() : undoLast());
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [editable]);
}

/** A field, or anything inside a dialog: its keys are its own. */
function typesText(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target.closest('[role="dialog"]')) return true;
  return ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}
