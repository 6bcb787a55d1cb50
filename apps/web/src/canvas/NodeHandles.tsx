import { Handle, Position } from '@xyflow/react';
import { HANDLE_SIZE, KNOB_SIZE, NEW_LINK_HANDLE, handleId } from '../adapters/geometry';

const anchor = { width: HANDLE_SIZE, height: HANDLE_SIZE, minWidth: 0, minHeight: 0 };

/**
 * Anchors where veth edges attach: not connectable, barely visible. They are rendered in every
 * mode (also as plain boxes, also for viewers) because edges are drawn between measured handles.
 */
export function RowAnchors({
  ifnames,
  centre,
}: {
  ifnames: readonly string[];
  centre: (i: number) => number;
}) {
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
}: {
  ifnames: readonly string[];
  centre: (i: number) => number;
}) {
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
