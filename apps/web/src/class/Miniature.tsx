import type { MiniState, Miniature as MiniatureData } from '@netcanvas/model';

/** The colours of the canvas's states (UI.md): green up, grey down, amber drift, dotted unmanaged. */
const FILL: Record<MiniState, string> = {
  ok: '#d1fae5',
  down: '#e2e8f0',
  drift: '#fef3c7',
  missing: '#ffffff',
  unmanaged: '#f8fafc',
};
const STROKE: Record<MiniState, string> = {
  ok: '#059669',
  down: '#64748b',
  drift: '#d97706',
  missing: '#d97706',
  unmanaged: '#64748b',
};
const DASH: Partial<Record<MiniState, string>> = { drift: '6 4', missing: '6 4', unmanaged: '2 4' };

const NODE_W = 220;
const NODE_H = 90;
const BRIDGE_H = 36;
const MARGIN = 40;

/**
 * A student's lab in a few hundred bytes of SVG: a box per namespace, a bar per bridge, a line per
 * veth, each in its state's colour and dash (and its state in the title, for who cannot tell the
 * colours). Scaled to its box: the layout is the student's, in canvas units.
 */
export function Miniature({ data, label }: { data: MiniatureData; label: string }) {
  if (data.nodes.length === 0)
    return <p className="flex h-full items-center justify-center text-sm text-slate-500">empty lab</p>;
  const xs = data.nodes.map((n) => n.x);
  const ys = data.nodes.map((n) => n.y);
  const minX = Math.min(...xs) - MARGIN;
  const minY = Math.min(...ys) - MARGIN;
  const width = Math.max(...xs) + NODE_W + MARGIN - minX;
  const height = Math.max(...ys) + NODE_H + MARGIN - minY;
  const centre = new Map(
    data.nodes.map((n) => [
      n.name,
      { x: n.x + NODE_W / 2, y: n.y + (n.kind === 'bridge' ? BRIDGE_H : NODE_H) / 2 },
    ]),
  );
  return (
    <svg
      role="img"
      aria-label={label}
      viewBox={`${minX} ${minY} ${width} ${height}`}
      preserveAspectRatio="xMidYMid meet"
      className="h-full w-full"
    >
      {data.edges.map((e, i) => {
        const a = centre.get(e.a);
        const b = centre.get(e.b);
        if (!a || !b) return null;
        return (
          <line
            key={i}
            data-state={e.state}
            x1={a.x}
            y1={a.y}
            x2={b.x}
            y2={b.y}
            stroke={STROKE[e.state]}
            strokeWidth={8}
            strokeDasharray={DASH[e.state]}
          >
            <title>{`${e.a} — ${e.b}: ${e.state}`}</title>
          </line>
        );
      })}
      {data.nodes.map((n) => (
        <g key={`${n.kind}:${n.name}`} data-node={n.name} data-state={n.state}>
          <title>{`${n.name}: ${n.state}`}</title>
          <rect
            x={n.x}
            y={n.y}
            width={NODE_W}
            height={n.kind === 'bridge' ? BRIDGE_H : NODE_H}
            rx={n.kind === 'bridge' ? 18 : 10}
            fill={FILL[n.state]}
            stroke={STROKE[n.state]}
            strokeWidth={5}
            strokeDasharray={DASH[n.state]}
          />
          <text
            x={n.x + NODE_W / 2}
            y={n.y + (n.kind === 'bridge' ? BRIDGE_H : NODE_H) / 2}
            textAnchor="middle"
            dominantBaseline="central"
            fontSize={34}
            fill="#0f172a"
          >
            {n.name}
          </text>
        </g>
      ))}
    </svg>
  );
}
