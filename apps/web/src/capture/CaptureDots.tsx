/**
 * Packets moving along an edge while a capture on one of its ends sees them: round dots marching
 * along the line, animated by the SVG itself (no React render per packet or per frame).
 */
export function CaptureDots({ path }: { path: string }) {
  return (
    <path
      d={path}
      data-capture="moving"
      fill="none"
      stroke="#7c3aed"
      strokeWidth={6}
      strokeLinecap="round"
      strokeDasharray="0 22"
      pointerEvents="none"
    >
      <animate attributeName="stroke-dashoffset" from="44" to="0" dur="0.9s" repeatCount="indefinite" />
    </path>
  );
}
