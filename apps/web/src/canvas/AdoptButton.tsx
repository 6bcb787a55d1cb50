import type { XYPosition } from '@xyflow/react';
import { submitHandEdit } from '../protocol/adopt';
import { useAdoptOffer } from './use-adopt-offer';

/**
 * Takes something made outside netcanvas into the document, with what it needs: the button says
 * what it takes ("adopt br0 and this veth"; on a card, where room is short, "adopt +1" with the
 * whole sentence as its tooltip); the agent resolves it against the kernel.
 */
export function AdoptButton({
  namespace,
  ifname,
  position,
  label,
  full = false,
}: {
  namespace: string;
  ifname?: string;
  position?: XYPosition;
  label: string;
  /** The whole sentence as the button's text (the inspector has room for it). */
  full?: boolean;
}) {
  const offer = useAdoptOffer({ namespace, ...(ifname !== undefined ? { ifname } : {}) });
  const adopt = () =>
    submitHandEdit(
      {
        type: 'adopt',
        namespace,
        ...(ifname !== undefined ? { ifname } : {}),
        ...(position ? { position: { x: Math.round(position.x), y: Math.round(position.y) } } : {}),
      },
      'adopt',
    );
  return (
    <button
      type="button"
      aria-label={label}
      title={offer.ok ? offer.label : `cannot adopt: ${offer.why ?? ''}`}
      disabled={!offer.ok}
      onClick={(e) => {
        e.stopPropagation();
        void adopt();
      }}
      className="nodrag ml-1 max-w-[16rem] self-center truncate rounded-md border border-dashed border-sky-600 px-2 py-0.5 text-xs font-semibold text-sky-800 hover:bg-sky-50 disabled:cursor-not-allowed disabled:border-slate-300 disabled:text-slate-400"
    >
      {full || offer.along.length === 0 ? offer.label : `adopt +${offer.along.length}`}
    </button>
  );
}
