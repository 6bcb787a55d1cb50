import { useStore, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import {
  BRIDGE_HEIGHT,
  CARD_HEADER,
  PORT_SPACING,
  bridgeWidth,
  portAnchorAt,
  portCentre,
} from '../adapters/geometry';
import { STATE_TEXT } from '../adapters/status';
import type { BridgeNode } from '../adapters/types';
import { uiActions, useUi } from '../store/ui';
import { StateDot } from '../ui/StateDot';
import { PathBadge } from '../path/PathBadge';
import { AdoptButton } from './AdoptButton';
import { NewLinkKnob, PortAnchors } from './NodeHandles';
import { PlainBox } from './PlainBox';
import { zoomedOut } from './zoom';

/** A bridge: a wide bar, its name and STP state on top, one port (and handle) per attached veth. */
export const BridgeNodeView = memo(function BridgeNodeView({ id, data, selected }: NodeProps<BridgeNode>) {
  const simple = useStore(zoomedOut);
  const selectedPort = useUi((s) =>
    s.selection?.kind === 'interface' && s.selection.nodeId === id ? s.selection.ifname : null,
  );
  const width = bridgeWidth(data.ports.length);
  const anchors = (
    <PortAnchors
      ifnames={data.ports.map((p) => p.ifname)}
      centre={portAnchorAt(data.ports.length)}
      bare={simple}
    />
  );
  const drift = data.drift.length > 0;
  if (simple)
    return (
      <PlainBox width={width} height={BRIDGE_HEIGHT} label={data.name} tone={drift ? 'drift' : 'bridge'}>
        {anchors}
      </PlainBox>
    );
  return (
    <div
      className={`relative box-border rounded-xl border-2 shadow-sm ${data.handMade ? 'border-dotted border-slate-400 bg-slate-50' : drift ? 'border-amber-400 bg-indigo-50' : 'border-indigo-300 bg-indigo-50'} ${selected ? 'outline-3 outline-offset-2 outline-sky-600' : ''}`}
      style={{ width, height: BRIDGE_HEIGHT }}
      title={data.drift.map((d) => `drift: ${d}`).join('\n') || undefined}
    >
      <PathBadge id={id} />
      <BridgeHeader data={data} drift={drift} />
      <div className="relative h-9">
        {data.ports.length === 0 && (
          <span className="px-3 text-xs text-slate-500">
            {data.handMade ? 'no ports' : 'no ports: drag from + to a namespace'}
          </span>
        )}
        {data.ports.map((port, i) => {
          const portDrift = port.drift.length > 0;
          return (
            <button
              key={port.ifname}
              type="button"
              aria-label={`port ${port.ifname} of ${data.name}`}
              aria-pressed={selectedPort === port.ifname}
              data-ifname={port.ifname}
              data-state={port.state}
              data-drift={portDrift ? 'yes' : 'no'}
              title={[`${port.ifname}: ${STATE_TEXT[port.state]}`, ...port.drift].join('\n')}
              onClick={() => uiActions.select({ kind: 'interface', nodeId: id, ifname: port.ifname })}
              className={`absolute top-1 flex h-7 items-center gap-1 rounded-md border bg-white px-1.5 ${port.unmanaged ? 'border-dashed border-slate-400' : portDrift ? 'border-amber-400' : 'border-indigo-200'} ${selectedPort === port.ifname ? 'ring-2 ring-sky-600' : ''}`}
              style={{ left: portCentre(i) - (PORT_SPACING - 8) / 2, width: PORT_SPACING - 8 }}
            >
              <StateDot state={port.state} drift={portDrift} />
              <span className="truncate font-mono text-[11px] text-slate-800">{port.ifname}</span>
            </button>
          );
        })}
      </div>
      {anchors}
      {data.editable && !data.handMade && <NewLinkKnob top={CARD_HEADER / 2} name={data.name} />}
    </div>
  );
});

/** The bar's top line: state, name, kind, adopt (made by hand), drift or state, STP. */
function BridgeHeader({ data, drift }: { data: BridgeNode['data']; drift: boolean }) {
  return (
    <div className="flex h-8 items-center gap-1.5 px-3">
      <StateDot state={data.state} drift={drift} />
      <span
        className="shrink-0 font-mono text-base font-semibold text-indigo-950"
        title={STATE_TEXT[data.state]}
      >
        {data.name}
      </span>
      {/* One line: the kind's word gives way (cut at its end, whole in its title) before the
          name, the adopt button and STP; "made by hand" on three lines cut the button to "a…". */}
      <span
        className={`min-w-0 shrink truncate whitespace-nowrap rounded px-1.5 py-0.5 text-[11px] font-medium ${data.handMade ? 'bg-slate-200 text-slate-700' : 'bg-indigo-100 uppercase tracking-wide text-indigo-700'}`}
        title={data.handMade ? 'a bridge made by hand (outside netcanvas)' : undefined}
      >
        {kindText(data)}
      </span>
      {data.handMade && data.editable && (
        <span className="shrink-0">
          <AdoptButton namespace={data.context} ifname={data.name} label={`adopt bridge ${data.name}`} />
        </span>
      )}
      {/* A bridge made by hand has the adopt button where this word was: its dot says the state. */}
      {(drift || !data.handMade) && (
        <span
          className={`min-w-0 shrink-[10] truncate whitespace-nowrap text-xs ${drift ? 'font-semibold text-amber-700' : 'text-slate-500'}`}
        >
          {drift ? data.drift[0] : STATE_TEXT[data.state]}
        </span>
      )}
      <span className="ml-auto shrink-0 whitespace-nowrap text-xs text-slate-500">
        STP {data.stp === null ? '?' : data.stp ? 'on' : 'off'}
      </span>
    </div>
  );
}

/**
 * "bridge", "bridge in ns1", or "by hand" (the bar says bridge, the dotted frame and the adopt
 * button say the rest, in the room a one-port bridge has).
 */
const kindText = (data: BridgeNode['data']): string =>
  data.handMade ? 'by hand' : `bridge${data.context !== 'root' ? ` in ${data.context}` : ''}`;
