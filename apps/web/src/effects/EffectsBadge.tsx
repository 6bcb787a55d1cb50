import type { ObservedState, Topology } from '@netcanvas/model';
import type { EndRef } from '../adapters/types';
import { useSession } from '../store/session';
import { endEffects, linkBadge } from './effects-view';

/** Whether anything in the document or the kernel has effects: most labs have none, and then no edge looks further. */
const docHas = new WeakMap<Topology, boolean>();
const observedHas = new WeakMap<ObservedState, boolean>();
function anyEffects(doc: Topology, observed: ObservedState | null): boolean {
  let d = docHas.get(doc);
  if (d === undefined) docHas.set(doc, (d = doc.links.some((l) => l.a.effects || l.b.effects)));
  if (d || !observed) return d;
  let o = observedHas.get(observed);
  if (o === undefined)
    observedHas.set(observed, (o = observed.namespaces.some((ns) => ns.interfaces.some((i) => i.effects))));
  return o;
}

/** The badge's text and whether the kernel differs, as one string so an edge re-renders only when it changes. */
function badgeOf(doc: Topology, observed: ObservedState | null, a: EndRef, b: EndRef): string {
  if (!anyEffects(doc, observed)) return '';
  const badge = linkBadge(
    endEffects(doc, observed, a.node, a.ifname),
    endEffects(doc, observed, b.node, b.ifname),
  );
  return badge ? `${badge.drift ? '!' : ' '}${badge.text}` : '';
}

/**
 * The link's effects on its line ("100 ms · 2% loss"), drawn by the edge under its centre: amber
 * with a "≠" while the kernel does not have them (yet). SVG, like the edge's label.
 */
export function EffectsBadge({ a, b, at }: { a: EndRef; b: EndRef; at: { x: number; y: number } }) {
  const shown = useSession((s) => badgeOf(s.document, s.observed, a, b));
  if (shown === '') return null;
  const drift = shown.startsWith('!');
  const text = `${drift ? '≠ ' : ''}${shown.slice(1)}`;
  // Wide enough for the text at 12 px monospace (7.2 px a character), with a margin.
  const width = text.length * 7.3 + 14;
  return (
    <g
      className="effects-badge"
      data-effects={shown.slice(1)}
      data-drift={drift ? 'true' : undefined}
      transform={`translate(${at.x - width / 2}, ${at.y})`}
    >
      <title>{drift ? `Link effects (the kernel differs): ${text}` : `Link effects: ${text}`}</title>
      <rect
        width={width}
        height={20}
        rx={10}
        fill={drift ? '#fef3c7' : '#ede9fe'}
        stroke={drift ? '#d97706' : '#7c3aed'}
        strokeWidth={1.2}
      />
      <text
        x={width / 2}
        y={14}
        textAnchor="middle"
        className={`font-mono text-[12px] ${drift ? 'fill-amber-900' : 'fill-violet-900'}`}
      >
        {text}
      </text>
    </g>
  );
}
