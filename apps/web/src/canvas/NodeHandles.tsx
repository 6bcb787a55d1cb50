import { Handle, Position } from '@xyflow/react';
import { Fragment, type CSSProperties } from 'react';
import { HANDLE_SIZE, KNOB_SIZE, NEW_LINK_HANDLE, handleId, type Side } from '../adapters/geometry';

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

interface AnchorsProps {
  ifnames: readonly string[];
  /** Where anchor `i` sits along its side: from the top on the left and right, from the left above and below. */
  centre: (i: number, side: Side) => number;
  /** Zoomed out: invisible measured anchors, no `<Handle>` components. */
  bare?: boolean;
}

/** A namespace row's anchors sit left and right of it; a bridge port's on all four edges of the bar. */
const SIDES: Record<'row' | 'port', readonly (readonly [Side, Position])[]> = {
  row: [
    ['L', Position.Left],
    ['R', Position.Right],
  ],
  port: [
    ['T', Position.Top],
    ['B', Position.Bottom],
    ['L', Position.Left],
    ['R', Position.Right],
  ],
};

/**
 * Anchors where veth edges attach: not connectable, barely visible. They are rendered in every
 * mode (also as plain boxes, also for viewers) because edges are drawn between measured handles;
 * as plain boxes, bare and invisible (see BareAnchor). Which one an edge uses is chosen facing its
 * other end (adapters/edge-sides.ts).
 */
function Anchors({ ifnames, centre, bare = false, kind }: AnchorsProps & { kind: keyof typeof SIDES }) {
  return (
    <>
      {ifnames.map((ifname, i) => (
        <Fragment key={ifname}>
          {SIDES[kind].map(([side, position]) => {
            const at = centre(i, side);
            const along = side === 'L' || side === 'R' ? 'top' : 'left';
            return bare ? (
              <BareAnchor key={side} id={handleId(ifname, side)} position={position} at={at} />
            ) : (
              <Handle
                key={side}
                id={handleId(ifname, side)}
                type="source"
                position={position}
                isConnectable={false}
                className="!border-0 !bg-slate-300"
                style={{ ...anchor, [along]: at }}
              />
            );
          })}
        </Fragment>
      ))}
    </>
  );
}

export const RowAnchors = (props: AnchorsProps) => <Anchors {...props} kind="row" />;
export const PortAnchors = (props: AnchorsProps) => <Anchors {...props} kind="port" />;

/** The "+" knob: drag from it to another node to draw a veth pair. Editors only. */
export function NewLinkKnob({ top, name }: { top: number; name: string }) {
  return (
    <Handle
      id={NEW_LINK_HANDLE}
      type="source"
      position={Position.Right}
      isConnectableEnd={false}
      // A name needs a role (a bare div may not carry aria-label): it is a picture of a "+", used by dragging.
      role="img"
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
