import { memo } from 'react';
import { ROW_HEIGHT } from '../adapters/geometry';
import { STATE_TEXT } from '../adapters/status';
import type { RowModel } from '../adapters/types';
import { uiActions } from '../store/ui';
import { StateDot } from '../ui/StateDot';
import { AdoptButton } from './AdoptButton';

interface Props {
  nodeId: string;
  context: string;
  owner: string;
  row: RowModel;
  selected: boolean;
  canAdopt: boolean;
}

/** One interface of a card: state dot and word, name, MTU, addresses; drift in amber, unmanaged dotted. */
export const InterfaceRow = memo(function InterfaceRow({
  nodeId,
  context,
  owner,
  row,
  selected,
  canAdopt,
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
  return (
    <div className="flex items-stretch px-1.5" style={{ height: ROW_HEIGHT }}>
      <button
        type="button"
        aria-label={`interface ${row.ifname} in ${owner}`}
        aria-pressed={selected}
        data-ifname={row.ifname}
        data-state={row.state}
        data-drift={drift ? 'yes' : 'no'}
        title={title}
        onClick={() => uiActions.select({ kind: 'interface', nodeId, ifname: row.ifname })}
        className={`flex min-w-0 flex-1 flex-col justify-center rounded-md border px-2 text-left ${frame} ${selected ? 'ring-2 ring-sky-600' : 'hover:bg-slate-50'}`}
      >
        <span className="flex items-center gap-2 text-[13px] leading-5">
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
            className={`truncate text-xs ${drift || row.state === 'nocarrier' ? 'font-semibold text-amber-700' : 'text-slate-500'}`}
          >
            {stateText}
          </span>
          <span className="ml-auto truncate text-[11px] text-slate-400">
            {row.mtu !== null ? `mtu ${row.mtu}` : ''}
          </span>
        </span>
        <span className="flex min-w-0 gap-1 text-xs leading-4">
          {row.unmanaged && <span className="shrink-0 text-slate-500">unmanaged ·</span>}
          <span className="truncate font-mono text-slate-600" data-testid="addresses">
            {row.addresses.length === 0
              ? drift
                ? row.drift[0]
                : 'no address'
              : row.addresses.length > 1
                ? `${row.addresses[0]} +${row.addresses.length - 1}`
                : row.addresses[0]}
          </span>
        </span>
      </button>
      {row.unmanaged && canAdopt && (
        <AdoptButton namespace={context} ifname={row.ifname} label={`adopt ${row.ifname} in ${owner}`} />
      )}
    </div>
  );
});
