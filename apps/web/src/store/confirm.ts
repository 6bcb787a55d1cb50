import { Edit, whatGoes, type EditInput } from '@netcanvas/model';
import { create } from 'zustand';
import { useSession } from './session';
import { plural } from '../lib/plural';

/** A delete waiting for its answer (the dialog is `DeleteConfirm`). */
export interface DeleteQuestion {
  title: string;
  items: string[];
  answer: (go: boolean) => void;
}

export const useConfirm = create<{ question: DeleteQuestion | null }>(() => ({ question: null }));

/**
 * Asks once before a delete that takes links along (a namespace with veths, a bridge with ports):
 * true at once when there is nothing worth a question (a namespace alone is one Ctrl+Z away).
 */
export function askBeforeDeleting(inputs: readonly EditInput[]): Promise<boolean> {
  const edits = inputs.flatMap((e) => {
    const parsed = Edit.safeParse(e);
    return parsed.success ? [parsed.data] : [];
  });
  const items = whatGoes(useSession.getState().document, edits);
  if (items.length === 0) return Promise.resolve(true);
  const names = edits.flatMap((e) =>
    e.type === 'removeNamespace' || e.type === 'removeBridge' ? [e.name] : [],
  );
  const title = names.length === 1 ? `Delete ${names[0]}?` : `Delete ${plural(names.length, 'node')}?`;
  return new Promise((resolve) => {
    useConfirm.setState({
      question: {
        title,
        items,
        answer: (go) => {
          useConfirm.setState({ question: null });
          resolve(go);
        },
      },
    });
  });
}
