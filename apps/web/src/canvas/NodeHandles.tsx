import { Handle, Position } from '@xyflow/react';
import { Fragment, type CSSProperties } from 'react';
import { HANDLE_SIZE, KNOB_SIZE, NEW_LINK_HANDLE, handleId } from '../adapters/geometry';

const anchor = { width: HANDLE_SIZE, height: HANDLE_SIZE, minWidth: 0, minHeight: 0 };
const HALF = HANDLE_SIZE / 2;

/**
 * Zoomed out (plain boxes) an anchor is a bare, invisible element carrying what React Flow reads
 * when it measures a node's handles (`.source`, `data-handleid`, `data-handlepos`, its box), not a
 * `<Handle>`: at 2,000 namespaces that is ~12,000 fewer store subscriptions, painted dots and
 * transformed layers per pan frame (docs/benchmarks.md). Placed in the box a `<Handle>` on that
 * side takes (React Flow's CSS: on the edge, centred on it), with plain offsets instead of a
 * transform, so the measured bounds are the full card's and edges stay attached at every zoom.
 */
function BareAnchor({ id, position, at }: { id: string; position: Position; at: number }) {
  const style: CSSProperties = {
    position: 'absolute',
    width: HANDLE_SIZE,
    height: HANDLE_SIZE,
    visibility: 'hidden',
    pointerEvents: 'none',
    [position]: -HALF,
    ...(position === Position.Left || position === Position.Right ? { top: at - HALF } : { left: at - HALF }),
  };
  return <span data-handleid={id} data-handlepos={position} className="source" style={style} />;
}

/**
 * Anchors where veth edges attach: not connectable, barely visible. They are rendered in every
 * mode (also as plain boxes, also for viewers) because edges are drawn between measured handles;
 * as plain boxes, bare and invisible (see BareAnchor).
 */
export function RowAnchors({
  ifnames,
  centre,
  bare = false,
}: {
  ifnames: readonly string[];
  centre: (i: number) => number;
  /** Zoomed out: invisible measured anchors, no `<Handle>` components. */
  bare?: boolean;
}) {
  if (bare)
    return (
      <>
        {ifnames.map((ifname, i) => (
          <Fragment key={ifname}>
            <BareAnchor id={handleId(ifname, 'L')} position={Position.Left} at={centre(i)} />
            <BareAnchor id={handleId(ifname, 'R')} position={Position.Right} at={centre(i)} />
          </Fragment>
        ))}
      </>
    );
  return (
    <>
      {ifnames.map((ifname, i) => (
        <span key={ifname}>
          <Handle
            id={handleId(ifname, 'L')}
            type="source"
            position={Position.Left}
            isConnectable={false}
            className="!border-0 !bg-slate-300"
            style={{ ...anchor, top: centre(i) }}
          />
          <Handle
            id={handleId(ifname, 'R')}
            type="source"
            position={Position.Right}
            isConnectable={false}
            className="!border-0 !bg-slate-300"
            style={{ ...anchor, top: centre(i) }}
          />
        </span>
      ))}
    </>
  );
}

export function PortAnchors({
  ifnames,
  centre,
  bare = false,
}: {
  ifnames: readonly string[];
  centre: (i: number) => number;
  /** Zoomed out: invisible measured anchors, no `<Handle>` components. */
  bare?: boolean;
}) {
  if (bare)
    return (
      <>
        {ifnames.map((ifname, i) => (
          <Fragment key={ifname}>
            <BareAnchor id={handleId(ifname, 'T')} position={Position.Top} at={centre(i)} />
            <BareAnchor id={handleId(ifname, 'B')} position={Position.Bottom} at={centre(i)} />
          </Fragment>
        ))}
      </>
    );
  return (
    <>
      {ifnames.map((ifname, i) => (
        <span key={ifname}>
          <Handle
            id={handleId(ifname, 'T')}
            type="source"
            position={Position.Top}
            isConnectable={false}
            className="!border-0 !bg-slate-300"
            style={{ ...anchor, left: centre(i) }}
          />
          <Handle
            id={handleId(ifname, 'B')}
            type="source"
            position={Position.Bottom}
            isConnectable={false}
            className="!border-0 !bg-slate-300"
            style={{ ...anchor, left: centre(i) }}
          />
        </span>
      ))}
    </>
  );
}

/** The "+" knob: drag from it to another node to draw a veth pair. Editors only. */
export function NewLinkKnob({ top, name }: { top: number; name: string }) {
  return (
    <Handle
      id={NEW_LINK_HANDLE}
      type="source"
      position={Position.Right}
      isConnectableEnd={false}
      aria-label={`connect ${name}: drag to another node`}
      title="Drag to another namespace or bridge to make a veth pair"
      className="!flex items-center justify-center !rounded-full !border-2 !border-sky-700 !bg-white text-sm font-bold leading-none text-sky-700 hover:!bg-sky-50"
      style={{ width: KNOB_SIZE, height: KNOB_SIZE, top }}
    >
      <span className="pointer-events-none" aria-hidden>
        +
      </span>
    </Handle>
  );
}
