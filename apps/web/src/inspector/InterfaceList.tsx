import { STATE_TEXT } from '../adapters/status';
import type { RowModel } from '../adapters/types';
import { uiActions } from '../store/ui';
import { StateDot } from '../ui/StateDot';

/** A node's interfaces, each a link to its own inspector. */
export function InterfaceList({ nodeId, rows }: { nodeId: string; rows: readonly RowModel[] }) {
  return (
    <ul className="space-y-1">
      {rows.map((r) => (
        <li key={r.ifname}>
          <button
            type="button"
            onClick={() => uiActions.select({ kind: 'interface', nodeId, ifname: r.ifname })}
            className="flex w-full items-center gap-2 rounded-md px-2 py-1 text-left text-sm hover:bg-slate-100"
          >
            <StateDot state={r.state} drift={r.drift.length > 0} />
            <span className="font-mono font-semibold text-slate-900">{r.ifname}</span>
            <span className="text-xs text-slate-500">
              {r.drift.length > 0 ? 'drift' : STATE_TEXT[r.state]}
            </span>
            {r.peer && <span className="text-xs text-slate-500">↔ {r.peer}</span>}
            <span className="ml-auto truncate font-mono text-xs text-slate-600">{r.addresses.join(' ')}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}
