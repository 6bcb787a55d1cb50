import type { XYPosition } from '@xyflow/react';
import { submitEdits } from '../protocol/edits';
import { uiActions } from '../store/ui';

/** Takes something made outside netcanvas into the document (the agent resolves it against the kernel). */
export function AdoptButton({
  namespace,
  ifname,
  position,
  label,
}: {
  namespace: string;
  ifname?: string;
  position?: XYPosition;
  label: string;
}) {
  const adopt = async () => {
    const result = await submitEdits([
      {
        type: 'adopt',
        namespace,
        ...(ifname !== undefined ? { ifname } : {}),
        ...(position ? { position: { x: Math.round(position.x), y: Math.round(position.y) } } : {}),
      },
    ]);
    if (!result.ok) uiActions.notify(`Could not adopt: ${result.message}`, 'error');
  };
  return (
    <button
      type="button"
      aria-label={label}
      onClick={(e) => {
        e.stopPropagation();
        void adopt();
      }}
      className="nodrag ml-1 self-center rounded-md border border-dashed border-sky-600 px-2 py-0.5 text-xs font-semibold text-sky-800 hover:bg-sky-50"
    >
      adopt
    </button>
  );
}
