import type { CSSProperties } from 'react';
import type { RowModel } from '../adapters/types';
import { textEm } from '../lib/text-em';

/** What a row says for its addresses: the first, "+n" for the others; a drift or "no address" without any. */
export function addressText(row: RowModel, drift: boolean): string {
  if (row.addresses.length === 0) return drift ? (row.drift[0] ?? 'no address') : 'no address';
  return row.addresses.length > 1 ? `${row.addresses[0]} +${row.addresses.length - 1}` : row.addresses[0]!;
}

/** The gap between the line's parts, in ems (index.css's `.nc-fit` sizes the line). */
const GAP_EM = 0.3;

/** The line's width in ems at any size: what `.nc-fit` divides its room by. */
export function compactLineEm(ifname: string, state: string | null, addresses: string): number {
  const parts = [textEm(ifname, 600), state === null ? null : textEm(state, 600), textEm(addresses)];
  return parts.reduce<number>((em, part) => (part === null ? em : em + part + GAP_EM), -GAP_EM);
}

/**
 * A compact card's interface: one line in large type (as large as the row allows, never below the
 * smallest size on screen): the name, the state when it is not "up" (the lesson's "lo is down"),
 * the addresses, cut at their end when the row is too narrow. No state dot: at these zooms it
 * would be a speck; the state's word (in amber when it warns) says it, as the row's tooltip does.
 */
/** What a row's lines show, detailed or compact (./InterfaceRow.tsx works them out once). */
export interface RowLineProps {
  row: RowModel;
  drift: boolean;
  stateText: string;
  addresses: string;
  /** The state's word is a warning (amber): drift or no carrier. */
  warn: boolean;
}

export function CompactLine({ row, drift, stateText, addresses, warn }: RowLineProps) {
  const state = row.state === 'up' && !drift ? null : stateText;
  const style = { '--nc-len': compactLineEm(row.ifname, state, addresses) } as CSSProperties;
  return (
    <span className="nc-fit nc-row-line flex min-w-0 items-center gap-[0.3em]" style={style}>
      <span className="shrink-0 font-semibold text-slate-900" data-testid="ifname">
        {row.ifname}
      </span>
      {state !== null && (
        // Beside an adopt button the name keeps its room: the addresses give way first, then this.
        <span
          className={`min-w-0 shrink-[0.25] truncate font-semibold ${warn ? 'text-amber-700' : 'text-slate-600'}`}
        >
          {state}
        </span>
      )}
      <span className="min-w-0 truncate text-slate-700" data-testid="addresses">
        {addresses}
      </span>
    </span>
  );
}
