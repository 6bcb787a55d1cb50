import { useStore, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { CARD_HEADER, CARD_WIDTH, cardHeight, rowCentre } from '../adapters/geometry';
import type { CardNode } from '../adapters/types';
import { useUi } from '../store/ui';
import { AdoptButton } from './AdoptButton';
import { InterfaceRow } from './InterfaceRow';
import { NewLinkKnob, RowAnchors } from './NodeHandles';
import { PlainBox } from './PlainBox';
import { zoomedOut } from './zoom';

const FRAME = {
  namespace: 'border-slate-300 bg-white',
  root: 'border-slate-300 bg-slate-100',
  foreign: 'border-dashed border-slate-400 bg-white/90',
} as const;

const KIND_LABEL = { namespace: 'namespace', root: 'lab root', foreign: 'unmanaged' } as const;

/** A namespace (or the lab's root, or a namespace made outside netcanvas): a card, one row per interface. */
export const CardNodeView = memo(function CardNodeView({
  id,
  data,
  selected,
  positionAbsoluteX,
  positionAbsoluteY,
}: NodeProps<CardNode>) {
  const simple = useStore(zoomedOut);
  const selectedRow = useUi((s) =>
    s.selection?.kind === 'interface' && s.selection.nodeId === id ? s.selection.ifname : null,
  );
  const height = cardHeight(data.rows.length);
  const ifnames = data.rows.map((r) => r.ifname);
  const anchors = <RowAnchors ifnames={ifnames} centre={rowCentre} />;
  if (simple)
    return (
      <PlainBox
        width={CARD_WIDTH}
        height={height}
        label={data.name}
        tone={data.drift.length > 0 ? 'drift' : data.kind}
      >
        {anchors}
      </PlainBox>
    );
  const drift = data.drift.length > 0;
  return (
    <div
      className={`relative box-border rounded-xl border-2 shadow-sm ${FRAME[data.kind]} ${drift ? '!border-amber-400' : ''} ${selected ? 'outline-3 outline-offset-2 outline-sky-600' : ''}`}
      style={{ width: CARD_WIDTH, height }}
      title={data.drift.map((d) => `drift: ${d}`).join('\n') || undefined}
    >
      <div className="flex items-center gap-2 px-3" style={{ height: CARD_HEADER }}>
        <span className="truncate text-base font-semibold text-slate-900">{data.name}</span>
        <span className="rounded bg-slate-100 px-1.5 py-0.5 text-[11px] font-medium uppercase tracking-wide text-slate-500">
          {KIND_LABEL[data.kind]}
        </span>
        {drift && (
          <span className="rounded bg-amber-100 px-1.5 py-0.5 text-[11px] font-semibold text-amber-800">
            {data.drift[0]}
          </span>
        )}
        {data.kind === 'foreign' && data.editable && (
          <span className="ml-auto">
            <AdoptButton
              namespace={data.name}
              position={{ x: positionAbsoluteX, y: positionAbsoluteY }}
              label={`adopt namespace ${data.name}`}
            />
          </span>
        )}
      </div>
      {data.rows.map((row) => (
        <InterfaceRow
          key={row.ifname}
          nodeId={id}
          context={data.context}
          owner={data.name}
          row={row}
          selected={selectedRow === row.ifname}
          canAdopt={data.editable && data.kind !== 'foreign'}
        />
      ))}
      {anchors}
      {data.editable && data.kind !== 'foreign' && <NewLinkKnob top={CARD_HEADER / 2} name={data.name} />}
    </div>
  );
});
