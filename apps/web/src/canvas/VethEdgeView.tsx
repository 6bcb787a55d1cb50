import { BaseEdge, getBezierPath, useStore, type EdgeProps } from '@xyflow/react';
import { memo } from 'react';
import type { VethData, VethEdge } from '../adapters/types';
import { formatBytesPerSecond } from '../lib/format';
import { useRate } from '../store/rates';
import { EDGE_STROKE, SELECTED_STROKE } from './edge-look';
import { loopPath } from './loop-path';
import { zoomedOut } from './zoom';

const CHAR = 7.3;

/**
 * A veth pair: the line between its two ends, labelled with both names and, while traffic flows,
 * the rate each way (and a moving dash). The label is SVG text, not an EdgeLabelRenderer portal
 * (one portal per edge costs a DOM subtree each, too many on big graphs). Rates come from the rates store.
 */
export const VethEdgeView = memo(function VethEdgeView(props: EdgeProps<VethEdge>) {
  const { id, data, selected, source, target, sourceX, sourceY, targetX, targetY } = props;
  const { sourcePosition, targetPosition } = props;
  const simple = useStore(zoomedOut);
  const rate = useRate(data?.a.context ?? null, data?.a.ifname ?? '');
  if (!data) return null;
  const look = EDGE_STROKE[data.state];
  const [stroke, dash] = [selected ? SELECTED_STROKE : look.stroke, look.dash?.join(' ')];
  const flowing = rate !== undefined && rate.rxPps + rate.txPps > 0;
  const width = selected ? 4 : flowing ? 3.5 : 2.5;
  const names = `${data.a.ifname} ⇄ ${data.b.ifname}`;
  const traffic = flowing
    ? `→ ${formatBytesPerSecond(rate.txBps)}  ← ${formatBytesPerSecond(rate.rxBps)}`
    : null;
  const { reason, warning, lines } = labelLines(data, names, traffic);
  const boxWidth = Math.max(...lines.map((l) => l.length)) * CHAR + 16;
  const boxHeight = lines.length * 16 + 8;
  const { path, labelX, labelY } =
    source === target
      ? loopPath(sourceX, sourceY, targetX, targetY, sourcePosition, { width: boxWidth, height: boxHeight })
      : straightLabel(
          getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition })[0],
          sourceX,
          sourceY,
          targetX,
          targetY,
        );
  return (
    <>
      <BaseEdge
        id={id}
        path={path}
        style={{ stroke, strokeWidth: width, strokeDasharray: dash }}
        interactionWidth={simple ? 0 : 24}
      />
      {flowing && !simple && (
        // Packets on the move: light dots marching along the line (the line's own style still says its state).
        <path
          d={path}
          className="veth-flow"
          fill="none"
          stroke="white"
          strokeWidth={2}
          strokeLinecap="round"
          strokeDasharray="1 11"
        />
      )}
      {!simple && (
        <g
          transform={`translate(${labelX - boxWidth / 2}, ${labelY - boxHeight / 2})`}
          className="veth-label"
          data-edge-state={data.state}
          data-loop={source === target ? 'true' : undefined}
          data-warning={warning ? 'duplicate address' : undefined}
        >
          <title>{[names, ...data.reasons, ...(data.warnings ?? []).map((w) => w.message)].join('\n')}</title>
          <rect
            width={boxWidth}
            height={boxHeight}
            rx={6}
            fill="white"
            stroke={stroke}
            strokeDasharray={dash}
            strokeWidth={1.5}
          />
          {lines.map((line, i) => (
            <text
              key={i}
              x={boxWidth / 2}
              y={4 + 12 + i * 16}
              textAnchor="middle"
              className={`font-mono text-[12px] ${i === 0 ? 'fill-slate-800 font-semibold' : line === reason ? 'fill-amber-800' : line === warning ? 'fill-red-700 font-semibold' : 'fill-emerald-800'}`}
            >
              {line}
            </text>
          ))}
        </g>
      )}
    </>
  );
});

/** The label's lines: both names, the traffic, why it is drawn so, and a duplicate address. */
function labelLines(data: VethData, names: string, traffic: string | null) {
  const reason = data.state === 'drift' || data.state === 'unmanaged' ? (data.reasons[0] ?? null) : null;
  // The same address twice on this segment: a warning on the link itself (not a refusal).
  const warning = data.warnings?.[0] ? `⚠ ${data.warnings[0].short}` : null;
  const lines = [names, traffic, reason, warning].filter((l): l is string => l !== null);
  return { reason, warning, lines };
}

/**
 * Halfway along the straight line, not the curve: between a bridge above and a card below, the
 * curve's midpoint falls on the card; this one falls in the gap between them.
 */
const straightLabel = (path: string, sx: number, sy: number, tx: number, ty: number) => ({
  path,
  labelX: (sx + tx) / 2,
  labelY: (sy + ty) / 2,
});
