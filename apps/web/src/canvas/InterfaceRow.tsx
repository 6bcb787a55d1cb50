import { memo } from 'react';
import { ROW_HEIGHT } from '../adapters/geometry';
import { STATE_TEXT } from '../adapters/status';
import type { RowModel } from '../adapters/types';
import { uiActions } from '../store/ui';
import { StateDot } from '../ui/StateDot';
import { AdoptButton } from './AdoptButton';
import { CompactLine, addressText, type RowLineProps } from './CompactLine';

interface Props {
  nodeId: string;
  context: string;
  owner: string;
  row: RowModel;
  selected: boolean;
  canAdopt: boolean;
  /** Zoomed out (or presenting): one line in large type, the name and addresses (../canvas/zoom.ts). */
  compact?: boolean;
}

/**
 * One interface of a card: state dot and word, name, MTU, addresses; drift in amber, unmanaged
 * dotted. Compact, one line: the name, the state when it is not "up", the addresses.
 */
export const InterfaceRow = memo(function InterfaceRow({
  nodeId,
  context,
  owner,
  row,
  selected,
  canAdopt,
  compact = false,
}: Props) {
  const drift = row.drift.length > 0;
  const stateText = drift && row.state === 'up' ? 'drift' : STATE_TEXT[row.state];
  const frame = row.unmanaged
    ? 'border-dashed border-slate-400'
    : drift
      ? 'border-amber-400 bg-amber-50'
      : 'border-transparent';
  const title = [
    `${row.ifname} (${row.kind}): ${STATE_TEXT[row.state]}`,
    row.peer ? `peer ${row.peer}` : '',
    ...row.drift.map((d) => `drift: ${d}`),
    row.unmanaged ? 'made outside netcanvas' : '',
  ]
    .filter(Boolean)
    .join('\n');
  const addresses = addressText(row, drift);
  const warn = drift || row.state === 'nocarrier';
  return (
    <div className={`flex items-stretch ${compact ? 'px-0.5' : 'px-1.5'}`} style={{ height: ROW_HEIGHT }}>
      <button
        type="button"
        aria-label={`interface ${row.ifname} in ${owner}`}
        aria-pressed={selected}
        data-ifname={row.ifname}
        data-state={row.state}
        data-drift={drift ? 'yes' : 'no'}
        title={title}
        onClick={() => uiActions.select({ kind: 'interface', nodeId, ifname: row.ifname })}
        className={`flex min-w-0 flex-1 flex-col justify-center rounded-md border text-left ${compact ? 'px-1' : 'px-2'} ${frame} ${selected ? 'ring-2 ring-sky-600' : 'hover:bg-slate-50'}`}
      >
        {compact ? (
          <CompactLine row={row} drift={drift} stateText={stateText} addresses={addresses} warn={warn} />
        ) : (
          <DetailedLines row={row} drift={drift} stateText={stateText} addresses={addresses} warn={warn} />
        )}
      </button>
      {row.unmanaged && canAdopt && (
        <AdoptButton namespace={context} ifname={row.ifname} label={`adopt ${row.ifname} in ${owner}`} />
      )}
    </div>
  );
});

/** A detailed row's two lines: dot, name, state, MTU; then the addresses. */
function DetailedLines({ row, drift, stateText, addresses, warn }: RowLineProps) {
  return (
    <>
      <span className="nc-text nc-13 flex items-center gap-2 leading-[1.3]">
        <StateDot state={row.state} drift={drift} />
        {/* The name never gives way: next to an adopt button, the rest of the line does. A
            Linux name is at most 15 characters, which fits; only a row narrower than that cuts
            it, and the row's tooltip names it in full. */}
        <span
          className="min-w-0 max-w-full shrink-0 truncate font-mono font-semibold text-slate-900"
          data-testid="ifname"
        >
          {row.ifname}
        </span>
        <span
          className={`nc-text nc-12 truncate ${warn ? 'font-semibold text-amber-700' : 'text-slate-500'}`}
        >
          {stateText}
        </span>
        <span className="nc-text nc-11 ml-auto truncate text-slate-500">
          {row.mtu !== null ? `mtu ${row.mtu}` : ''}
        </span>
      </span>
      <span className="nc-text nc-12 flex min-w-0 gap-1 leading-[1.2]">
        {row.unmanaged && <span className="shrink-0 text-slate-500">unmanaged ·</span>}
        <span className="truncate font-mono text-slate-600" data-testid="addresses">
          {addresses}
        </span>
      </span>
    </>
  );
}
