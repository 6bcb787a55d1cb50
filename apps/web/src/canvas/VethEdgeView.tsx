import { BaseEdge, getBezierPath, useStore, type EdgeProps } from '@xyflow/react';
import { memo, useState } from 'react';
import type { VethData, VethEdge } from '../adapters/types';
import { formatBytesPerSecond } from '../lib/format';
import { CaptureDots } from '../capture/CaptureDots';
import { EffectsBadge } from '../effects/EffectsBadge';
import { useCaptureMoving } from '../capture/capture-store';
import { usePathEdge } from '../path/use-path-highlight';
import { useRate } from '../store/rates';
import { EDGE_STROKE, SELECTED_STROKE } from './edge-look';
import { loopPath } from './loop-path';
import { LINE, edgeLabel, type EdgeLabel, type LabelTone } from './routing/edge-label';
import { halfway, roundedPath } from './routing/route-path';
import { zoomedOut } from './zoom';

/**
 * A veth pair: the line between its two ends, routed around the cards (./routing, computed for
 * every edge in view by use-edge-routes.ts), labelled with both ends' names and, while traffic
 * flows, the rate each way (and a moving dash). The label goes where the placer found it room; with
 * no room it shows while the edge is hovered or selected (a drifting one keeps a marker on its line).
 * SVG text, not an EdgeLabelRenderer portal (one portal per edge costs a DOM subtree each).
 */
export const VethEdgeView = memo(function VethEdgeView(props: EdgeProps<VethEdge>) {
  const { id, data, selected, source, target } = props;
  const simple = useStore(zoomedOut);
  const rate = useRate(data?.a.context ?? null, data?.a.ifname ?? '');
  const [hovered, setHovered] = useState(false);
  const onPath = usePathEdge(data?.a, data?.b);
  const capturing = useCaptureMoving(data?.a, data?.b);
  if (!data) return null;
  const look = EDGE_STROKE[data.state];
  const [stroke, dash] = [selected ? SELECTED_STROKE : look.stroke, look.dash?.join(' ')];
  const flowing = rate !== undefined && rate.rxPps + rate.txPps > 0;
  const traffic = flowing
    ? `→ ${formatBytesPerSecond(rate.txBps)}  ← ${formatBytesPerSecond(rate.rxBps)}`
    : null;
  const label = edgeLabel(data, traffic);
  const shape = edgeShape(props, data, label);
  const show = !simple && (shape.placed || selected || hovered);
  const marked = !simple && !show && (data.state === 'drift' || data.warnings !== undefined);
  return (
    <g
      data-edge-state={data.state}
      data-source={source}
      data-target={target}
      data-routed={data.route ? (data.route.clear ? 'clear' : 'blocked') : 'no'}
      onMouseEnter={() => setHovered(true)}
      onMouseLeave={() => setHovered(false)}
    >
      <BaseEdge
        id={id}
        path={shape.path}
        style={{ stroke, strokeWidth: selected ? 4 : flowing ? 3.5 : 2.5, strokeDasharray: dash }}
        interactionWidth={simple ? 0 : 24}
      />
      {onPath && (
        // The packet path (apps/web/src/path): a wide, translucent sky band along the line.
        <path
          d={shape.path}
          data-path-edge
          fill="none"
          stroke="#0284c7"
          strokeOpacity={0.45}
          strokeWidth={10}
          strokeLinecap="round"
        />
      )}
      {flowing && !simple && (
        // Packets on the move: light dots marching along the line (the line's own style still says its state).
        <path
          d={shape.path}
          className="veth-flow"
          fill="none"
          stroke="white"
          strokeWidth={2}
          strokeLinecap="round"
          strokeDasharray="1 11"
        />
      )}
      {capturing && !simple && <CaptureDots path={shape.path} />}
      {marked && <DriftMarker at={shape.centre} title={label.title} />}
      {!simple && (
        <EffectsBadge
          a={data.a}
          b={data.b}
          at={{ x: shape.centre.x, y: shape.centre.y + (show ? label.height / 2 + 4 : 10) }}
        />
      )}
      {show && (
        <LabelBox
          label={label}
          at={shape.centre}
          stroke={stroke}
          dash={dash}
          state={data.state}
          loop={source === target}
          placed={shape.placed}
          warning={data.warnings !== undefined}
        />
      )}
    </g>
  );
});

/** The line's path and where its label goes: the router's, or (not routed yet) a plain curve. */
function edgeShape(props: EdgeProps<VethEdge>, data: VethData, label: EdgeLabel) {
  const { source, target, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition } = props;
  if (data.route) {
    const { points, label: at } = data.route;
    return { path: roundedPath(points), centre: at ?? halfway(points), placed: at !== null };
  }
  if (source === target) {
    const loop = loopPath(sourceX, sourceY, targetX, targetY, sourcePosition, label);
    return { path: loop.path, centre: { x: loop.labelX, y: loop.labelY }, placed: true };
  }
  const [path] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  // Halfway along the straight line, not the curve: between a bridge and a card below, the curve's
  // midpoint falls on the card; this one falls in the gap between them.
  return { path, centre: { x: (sourceX + targetX) / 2, y: (sourceY + targetY) / 2 }, placed: true };
}

const TONE: Record<LabelTone, string> = {
  names: 'fill-slate-800 font-semibold',
  traffic: 'fill-emerald-800',
  reason: 'fill-amber-800',
  warning: 'fill-red-700 font-semibold',
};

interface LabelBoxProps {
  label: EdgeLabel;
  at: { x: number; y: number };
  stroke: string;
  dash: string | undefined;
  state: VethData['state'];
  loop: boolean;
  placed: boolean;
  warning: boolean;
}

/** The label: a white box with both names, the traffic, the reasons in full, a duplicate address. */
function LabelBox({ label, at, stroke, dash, state, loop, placed, warning }: LabelBoxProps) {
  const { width, height } = label;
  return (
    <g
      transform={`translate(${at.x - width / 2}, ${at.y - height / 2})`}
      className="veth-label"
      data-state={state}
      data-loop={loop ? 'true' : undefined}
      data-warning={warning ? 'duplicate address' : undefined}
      data-floating={placed ? undefined : 'true'}
    >
      <title>{label.title}</title>
      <rect
        width={width}
        height={height}
        rx={6}
        fill="white"
        stroke={stroke}
        strokeDasharray={dash}
        strokeWidth={1.5}
      />
      {label.lines.map((line, i) => (
        <text
          key={i}
          x={width / 2}
          y={4 + 12 + i * LINE}
          textAnchor="middle"
          className={`font-mono text-[12px] ${TONE[line.tone]}`}
        >
          {line.text}
        </text>
      ))}
    </g>
  );
}

/** A drifting link whose label found no room: a small "!" on its line; hover or select it for the label. */
function DriftMarker({ at, title }: { at: { x: number; y: number }; title: string }) {
  return (
    <g className="veth-marker" transform={`translate(${at.x}, ${at.y})`}>
      <title>{title}</title>
      <circle r={8} fill="#fef3c7" stroke="#d97706" strokeWidth={1.5} />
      <text y={4} textAnchor="middle" className="fill-amber-800 text-[11px] font-bold">
        !
      </text>
    </g>
  );
}
