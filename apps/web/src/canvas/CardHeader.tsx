import type { XYPosition } from '@xyflow/react';
import { memo, type CSSProperties } from 'react';
import { CARD_HEADER } from '../adapters/geometry';
import type { CardNode } from '../adapters/types';
import { plural } from '../lib/plural';
import { textEm } from '../lib/text-em';
import { useFirewallHot } from '../store/counters';
import { uiActions } from '../store/ui';
import { CardTerminalButton } from '../terminal/TerminalButton';
import { AdoptButton } from './AdoptButton';

const KIND_LABEL = { namespace: 'namespace', root: 'lab root', foreign: 'unmanaged' } as const;

type Data = CardNode['data'];

/**
 * The compact badges' line: one line high (a badge is 1 em and its padding), the badges that do
 * not fit wrap onto a second line it clips, so a badge is shown whole or not at all (the compact
 * name's size leaves them room: `badgesEm`).
 */
const BADGE_LINE =
  'nc-text nc-11 flex h-[calc(1em+7px)] min-w-0 flex-1 flex-wrap content-start items-center overflow-hidden pt-px';

/**
 * The full header's line: one line, never wrapped. The netfilter badges (what a lesson points
 * at, the firewall's a button) never shrink; the kind's word gives way first (cut to "NAM…", then
 * nothing: the frame says the kind too), then the drift's words. Wrapped, the last badge (the
 * firewall's) went onto a clipped second line and was gone.
 */
const FULL_LINE = 'nc-text nc-11 flex min-w-0 flex-1 flex-nowrap items-center gap-x-2 overflow-hidden';

/**
 * A card's header: its name, what it is, the netfilter badges, the first drift, an adopt button
 * for a namespace made by hand. Compact, the name in large type and the badges (what a lesson
 * points at: forwarding, routes, the firewall); the kind and the drift's words are left to the
 * frame (its colour and dashes) and the inspector. The name keeps its room, then the netfilter
 * badges theirs; the kind's word and the drift's are cut at their end to fit (whole in the card's
 * tooltip and the inspector).
 */
export function CardHeader({
  id,
  data,
  position,
  compact,
}: {
  id: string;
  data: Data;
  position: XYPosition;
  compact: boolean;
}) {
  const drift = data.drift.length > 0;
  const badges = data.netfilter && (
    <NetfilterBadges id={id} context={data.context} summary={data.netfilter} />
  );
  // A click on the header selects the namespace, also while one of its interfaces is selected
  // (the canvas's selection does not change then: the card is selected already).
  const selectCard = () => uiActions.select({ kind: 'node', id });
  if (compact) {
    const style = { '--nc-len': textEm(data.name, 600) + badgesEm(data.netfilter) } as CSSProperties;
    return (
      <div
        className="flex items-center gap-[0.3em] px-2"
        style={{ height: CARD_HEADER }}
        onClick={selectCard}
      >
        <span
          className="nc-fit nc-header-line min-w-0 max-w-full shrink-0 truncate font-semibold text-slate-900"
          style={style}
        >
          {data.name}
        </span>
        <span className={`${BADGE_LINE} gap-x-1`}>{badges}</span>
      </div>
    );
  }
  return (
    <div className="flex items-center gap-2 px-3" style={{ height: CARD_HEADER }} onClick={selectCard}>
      <span className="nc-text nc-16 min-w-0 max-w-full shrink-0 truncate font-semibold text-slate-900">
        {data.name}
      </span>
      <span className={FULL_LINE}>
        <span className="nc-text nc-11 min-w-0 shrink-[100] truncate rounded bg-slate-100 px-1.5 py-0.5 font-medium uppercase leading-none tracking-wide text-slate-600">
          {KIND_LABEL[data.kind]}
        </span>
        {badges}
        {drift && (
          <span className="nc-text nc-11 min-w-[3em] max-w-fit flex-1 basis-0 truncate rounded bg-amber-100 px-1.5 py-0.5 font-semibold leading-none text-amber-800">
            {data.drift[0]}
          </span>
        )}
      </span>
      <span className="ml-auto shrink-0">
        <CardTerminalButton namespace={data.context} />
      </span>
      {data.kind === 'foreign' && data.editable && (
        <span className="shrink-0">
          <AdoptButton namespace={data.name} position={position} label={`adopt namespace ${data.name}`} />
        </span>
      )}
    </div>
  );
}

/** About how wide the badges are beside a compact name, in ems of its size (they are smaller). */
function badgesEm(summary: Data['netfilter']): number {
  if (!summary) return 0;
  const count = (summary.forwarding ? 1 : 0) + (summary.routes > 0 ? 1 : 0) + (summary.rules > 0 ? 1 : 0);
  return count * 1.6;
}

/** "fwd", the static routes and the firewall's rules; the firewall badge lights up (in words too) when a rule's counter rose. */
const NetfilterBadges = memo(function NetfilterBadges({
  id,
  context,
  summary,
}: {
  id: string;
  context: string;
  summary: NonNullable<Data['netfilter']>;
}) {
  const hot = useFirewallHot(context);
  const badge = 'nc-text nc-11 shrink-0 rounded px-1 py-0.5 font-semibold leading-none';
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
          aria-label={`${plural(summary.routes, 'static route')} in ${context}`}
          title="static routes (ip route)"
        >
          ↪{summary.routes}
        </span>
      )}
      {summary.rules > 0 && (
        <button
          type="button"
          aria-label={`firewall of ${context}: ${plural(summary.rules, 'rule')}${hot ? ', a rule was just hit' : ''}`}
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
