import { useStore, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { CARD_HEADER, CARD_WIDTH, cardHeight, rowCentre } from '../adapters/geometry';
import type { CardNode } from '../adapters/types';
import { useFirewallHot } from '../store/counters';
import { uiActions, useUi } from '../store/ui';
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
      <div className="flex items-center gap-2 px-3" style={{ height: CARD_HEADER }}>
        <span className="truncate text-base font-semibold text-slate-900">{data.name}</span>
        <span className="shrink-0 rounded bg-slate-100 px-1.5 py-0.5 text-[11px] font-medium uppercase tracking-wide text-slate-500">
          {KIND_LABEL[data.kind]}
        </span>
        {data.netfilter && <NetfilterBadges id={id} context={data.context} summary={data.netfilter} />}
        {drift && (
          <span className="min-w-0 truncate rounded bg-amber-100 px-1.5 py-0.5 text-[11px] font-semibold text-amber-800">
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

/** "fwd", the static routes and the firewall's rules; the firewall badge lights up (in words too) when a rule's counter rose. */
const NetfilterBadges = memo(function NetfilterBadges({
  id,
  context,
  summary,
}: {
  id: string;
  context: string;
  summary: NonNullable<CardNode['data']['netfilter']>;
}) {
  const hot = useFirewallHot(context);
  const badge = 'shrink-0 rounded px-1 py-0.5 text-[11px] font-semibold leading-none';
  return (
    <>
      {summary.forwarding && (
        <span
          className={`${badge} bg-sky-50 text-sky-800 ring-1 ring-sky-200`}
          aria-label={`forwarding on in ${context}`}
          title="IPv4 forwarding on: this namespace routes packets between its interfaces"
        >
          fwd
        </span>
      )}
      {summary.routes > 0 && (
        <span
          className={`${badge} bg-slate-50 text-slate-700 ring-1 ring-slate-200`}
          aria-label={`${summary.routes} static route${summary.routes > 1 ? 's' : ''} in ${context}`}
          title="static routes (ip route)"
        >
          ↪{summary.routes}
        </span>
      )}
      {summary.rules > 0 && (
        <button
          type="button"
          aria-label={`firewall of ${context}: ${summary.rules} rule${summary.rules > 1 ? 's' : ''}${hot ? ', a rule was just hit' : ''}`}
          data-hot={hot ? 'yes' : 'no'}
          title="firewall rules (iptables): open the picture of netfilter"
          onClick={(e) => {
            e.stopPropagation();
            uiActions.select({ kind: 'node', id });
            uiActions.showNetfilter(context);
          }}
          className={`nodrag ${badge} ${hot ? 'bg-amber-300 text-amber-950 ring-2 ring-amber-500' : 'bg-slate-50 text-slate-700 ring-1 ring-slate-200 hover:bg-slate-100'}`}
        >
          fw {summary.rules}
          {hot ? ' hit' : ''}
        </button>
      )}
    </>
  );
});
