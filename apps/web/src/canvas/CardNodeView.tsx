import { useStore, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { CARD_HEADER, CARD_WIDTH, cardHeight, rowCentre } from '../adapters/geometry';
import type { CardNode } from '../adapters/types';
import { useUi } from '../store/ui';
import { PathBadge } from '../path/PathBadge';
import { CardHeader } from './CardHeader';
import { InterfaceRow } from './InterfaceRow';
import { NewLinkKnob, RowAnchors } from './NodeHandles';
import { PlainBox } from './PlainBox';
import { MIN_TEXT_PX, compactCards, zoomedOut } from './zoom';

const FRAME = {
  namespace: 'border-slate-300 bg-white',
  root: 'border-slate-300 bg-slate-100',
  foreign: 'border-dashed border-slate-400 bg-white/90',
} as const;

/** A namespace (or the lab's root, or a namespace made outside netcanvas): a card, one row per interface. */
export const CardNodeView = memo(function CardNodeView({
  id,
  data,
  selected,
  positionAbsoluteX,
  positionAbsoluteY,
}: NodeProps<CardNode>) {
  const simple = useStore(zoomedOut);
  const minText = useUi((s) => (s.present ? MIN_TEXT_PX.presenter : MIN_TEXT_PX.normal));
  const compact = useStore(compactCards(minText));
  const selectedRow = useUi((s) =>
    s.selection?.kind === 'interface' && s.selection.nodeId === id ? s.selection.ifname : null,
  );
  const height = cardHeight(data.rows.length);
  const ifnames = data.rows.map((r) => r.ifname);
  const anchors = <RowAnchors ifnames={ifnames} centre={rowCentre} bare={simple} />;
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
      <PathBadge id={id} />
      <CardHeader
        id={id}
        data={data}
        position={{ x: positionAbsoluteX, y: positionAbsoluteY }}
        compact={compact}
      />
      {data.rows.map((row) => (
        <InterfaceRow
          key={row.ifname}
          nodeId={id}
          context={data.context}
          owner={data.name}
          row={row}
          selected={selectedRow === row.ifname}
          canAdopt={data.editable && data.kind !== 'foreign'}
          compact={compact}
        />
      ))}
      {anchors}
      {data.editable && data.kind !== 'foreign' && <NewLinkKnob top={CARD_HEADER / 2} name={data.name} />}
    </div>
  );
});
